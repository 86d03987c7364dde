/**
 * The compile's hardware target: command-line flags over the blueprint's `target` section, resolved once
 * into the FPGA target, clock and folding goal, and into the `${…}` settings the blueprint's transform
 * options refer to (blueprint-vars.ts).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { resolveTarget } from '../estimate/boards.js';
import type { FpgaTarget } from '../plugins/types.js';
import type { TargetSettings } from './blueprint-schema.js';
import type { BlueprintVars } from './blueprint-vars.js';

/** FINN's examples build at 100 MHz. */
export const DEFAULT_CLOCK_NS = 10;

export interface TargetFlags {
  board?: string;
  part?: string;
  clockNs?: number;
  targetFps?: number;
  /** Relative to the working folder. */
  foldingConfig?: string;
  prefer?: 'rtl' | 'hls';
}

export interface CompileTarget {
  target: FpgaTarget;
  clockNs: number;
  targetFps?: number;
  /** Absolute path. */
  foldingConfig?: string;
  /** Backend preference for every kernel. */
  prefer?: 'rtl' | 'hls';
  /** Where each setting came from, for the log (`flag`, `blueprint`, `default`). */
  sources: Record<string, 'flag' | 'blueprint' | 'default'>;
}

function positive(v: number | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new BrainsmithError('E_USAGE', `${flag} must be a positive number, got '${String(v)}'`, { kind: 'usage' });
  }
  return v;
}

/** Flags win over the blueprint's target; a flag --board drops the blueprint's part and vice versa. */
export function compileTarget(flags: TargetFlags, bp: TargetSettings, cwd: string, blueprintFile?: string): CompileTarget {
  const sources: CompileTarget['sources'] = {};
  if (flags.board && flags.part) throw new BrainsmithError('E_USAGE', 'give --board or --part, not both', { kind: 'usage' });
  let board: string | undefined;
  let part: string | undefined;
  if (flags.board || flags.part) {
    board = flags.board;
    part = flags.part;
    sources[board ? 'board' : 'part'] = 'flag';
  } else if (bp.board || bp.part) {
    if (bp.board && bp.part) {
      throw new BrainsmithError('E_BLUEPRINT_INVALID', `${blueprintFile ?? 'blueprint'}: target: give board or part, not both`, { kind: 'input', file: blueprintFile });
    }
    board = bp.board;
    part = bp.part;
    sources[board ? 'board' : 'part'] = 'blueprint';
  } else {
    sources.board = 'default';
  }
  const target = resolveTarget({ board, part });

  const clockFlag = positive(flags.clockNs, '--clock-ns');
  const clockNs = clockFlag ?? bp.clock_ns ?? DEFAULT_CLOCK_NS;
  sources.clock_ns = clockFlag !== undefined ? 'flag' : bp.clock_ns !== undefined ? 'blueprint' : 'default';

  const fpsFlag = positive(flags.targetFps, '--target-fps');
  const targetFps = fpsFlag ?? bp.target_fps;
  if (targetFps !== undefined) sources.target_fps = fpsFlag !== undefined ? 'flag' : 'blueprint';

  let foldingConfig: string | undefined;
  if (flags.foldingConfig) {
    foldingConfig = path.resolve(cwd, flags.foldingConfig);
    sources.folding_config = 'flag';
  } else if (bp.folding_config) {
    foldingConfig = bp.folding_config;
    sources.folding_config = 'blueprint';
  }
  if (foldingConfig && !(existsSync(foldingConfig) && statSync(foldingConfig).isFile())) {
    const kind = sources.folding_config === 'flag' ? 'usage' : 'input';
    const what = !existsSync(foldingConfig) ? 'not found' : statSync(foldingConfig).isDirectory() ? 'is a folder, not a file' : 'is not a regular file (a device, FIFO or socket)';
    throw new BrainsmithError('E_FOLDING_CONFIG', what === 'not found' ? `folding config not found: ${foldingConfig}` : `folding config ${foldingConfig} ${what}`, { kind, file: foldingConfig });
  }
  if (flags.prefer !== undefined && flags.prefer !== 'rtl' && flags.prefer !== 'hls') {
    throw new BrainsmithError('E_USAGE', `--prefer must be rtl or hls, got '${String(flags.prefer)}'`, { kind: 'usage' });
  }
  const prefer = flags.prefer ?? bp.prefer;
  if (prefer) sources.prefer = flags.prefer ? 'flag' : 'blueprint';
  return { target, clockNs, targetFps, foldingConfig, prefer, sources };
}

/** The `${…}` settings for the blueprint's options. Only one of board/part is set (transforms refuse both). */
export function targetVariables(t: CompileTarget, outputDir: string): BlueprintVars {
  return {
    ...(t.targetFps !== undefined ? { target_fps: t.targetFps } : {}),
    clock_ns: t.clockNs,
    ...(t.target.board ? { board: t.target.board } : { part: t.target.part }),
    ...(t.foldingConfig ? { folding_config: t.foldingConfig } : {}),
    ...(t.prefer ? { prefer: t.prefer } : {}),
    output_dir: outputDir,
    report_dir: path.join(outputDir, 'report'),
  };
}
