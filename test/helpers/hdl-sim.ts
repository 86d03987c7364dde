/**
 * Generated nodes on disk for the open tools: writes a node's files beside its resolved library sources, then
 * lints it (Verilator) or synthesises it (Yosys). Simulation goes through src/sim (see hdl-kernel.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedNode } from '../../src/index.js';
import { tempDir } from './tmp.js';
export { skipNoIcarus, skipNoVerilator } from './sim.js';

export const hasYosys = spawnSync('yosys', ['-V']).status === 0;
export const skipNoYosys: string | false = hasYosys ? false : 'needs Yosys (apt-get install yosys)';

/** A generated node written to a folder of its own, with its library sources resolved. */
export interface WrittenNode {
  dir: string;
  top: string;
  /** Every source, library modules first. */
  sources: string[];
}

/** Writes the node's files into a fresh folder; `libraryRoot` is the backend plugin's folder. */
export function writeNode(gen: GeneratedNode, libraryRoot: string): WrittenNode {
  const dir = tempDir('bs-hdl-');
  for (const [name, text] of Object.entries(gen.files)) writeFileSync(path.join(dir, name), text);
  const libs = (gen.libraries ?? []).map((l) => path.resolve(libraryRoot, l));
  const own = Object.keys(gen.files).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
  return { dir, top: gen.module, sources: [...libs, ...own] };
}

/** `verilator --lint-only -Wall` output (empty when clean). */
export function lint(node: WrittenNode): string {
  const res = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', node.top, ...node.sources], { cwd: node.dir, encoding: 'utf8' });
  return (res.stdout + res.stderr).trim();
}

/** Runs Yosys `read_verilog` + `synth_xilinx` on the node; returns its log with the cell statistics, throws on error. */
export function synth(node: WrittenNode): string {
  const script = `${node.sources.map((s) => `read_verilog ${s}`).join('; ')}; synth_xilinx -top ${node.top}; stat`;
  return execFileSync('yosys', ['-p', script], { cwd: node.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}
