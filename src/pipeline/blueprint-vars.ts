/**
 * Compile settings inside transform options: a blueprint writes `target_fps: ${target_fps}` or
 * `output: ${report_dir}/auto_folding_config.json`, and the compile fills them in from its flags and the
 * blueprint's `target`. The core thus knows no transform by name: which option gets which setting is
 * written in the blueprint, where a user can see and change it. An option that refers to a setting that is
 * not set is left out, so the transform's own default applies.
 */
import path from 'node:path';
import { BrainsmithError } from '../errors.js';

/** The settings a blueprint may refer to, with what each holds. */
export const BLUEPRINT_VARIABLES = {
  target_fps: 'frames per second to fold to (--target-fps, target.target_fps)',
  clock_ns: 'clock period in ns (--clock-ns, target.clock_ns; default 10)',
  board: 'board name, when the target is a board (--board, target.board; default Pynq-Z1)',
  part: 'FPGA part, when the target is given as a part (--part, target.part)',
  folding_config: 'a FINN folding config file (--folding-config, target.folding_config)',
  prefer: 'backend preference for every kernel, rtl or hls (--prefer, target.prefer)',
  output_dir: 'the build folder being written',
  report_dir: 'its report/ folder',
  insert_topk: 'true with --insert-topk: replace a classifier output by its top-1 label (FINN inserts no TopK)',
} as const;

export type BlueprintVariable = keyof typeof BLUEPRINT_VARIABLES;
export type BlueprintVars = Partial<Record<BlueprintVariable, string | number | boolean>>;

const REF = /\$\{([^}]*)\}/g;

/** Marks an option that refers to an unset variable (the key is dropped). */
const UNSET = Symbol('unset');

function isKnown(name: string): name is BlueprintVariable {
  return Object.hasOwn(BLUEPRINT_VARIABLES, name);
}

function unknownVariable(name: string, at: string): BrainsmithError {
  return new BrainsmithError(
    'E_BLUEPRINT_VARIABLE',
    `${at}: unknown setting \${${name}} (known: ${Object.keys(BLUEPRINT_VARIABLES).map((k) => `\${${k}}`).join(', ')})`,
    { kind: 'input' },
  );
}

function substituteString(s: string, vars: BlueprintVars, at: string): unknown {
  const whole = /^\$\{([^}]*)\}$/.exec(s);
  if (whole) {
    const name = whole[1]!;
    if (!isKnown(name)) throw unknownVariable(name, at);
    // A whole-value reference keeps the setting's type (target_fps stays a number).
    return vars[name] ?? UNSET;
  }
  let unset = false;
  let inBuild = false;
  const out = s.replace(REF, (_m, name: string) => {
    if (!isKnown(name)) throw unknownVariable(name, at);
    const v = vars[name];
    if (v === undefined) unset = true;
    if (name === 'output_dir' || name === 'report_dir') inBuild = true;
    return String(v ?? '');
  });
  // A path built on the build folder stays in it: `${report_dir}/../../x.json` is refused.
  if (inBuild && !unset && vars.output_dir !== undefined) {
    const root = path.resolve(String(vars.output_dir));
    const rel = path.relative(root, path.resolve(root, out));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new BrainsmithError('E_BLUEPRINT_PATH', `${at}: '${s}' leads outside the build folder`, { kind: 'input' });
    }
  }
  return unset ? UNSET : out;
}

function substitute(v: unknown, vars: BlueprintVars, at: string): unknown {
  if (typeof v === 'string') return v.includes('${') ? substituteString(v, vars, at) : v;
  if (Array.isArray(v)) return v.map((x, i) => substitute(x, vars, `${at}[${i}]`)).filter((x) => x !== UNSET);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = substitute(x, vars, `${at}.${k}`);
      if (r !== UNSET) out[k] = r;
    }
    return out;
  }
  return v;
}

/**
 * The options with every `${name}` filled in from `vars`; keys whose value refers to an unset setting are
 * left out. `at` names the options in messages (`default.yaml: stages.optimization[0].options`).
 */
export function resolveOptionVariables(options: Record<string, unknown>, vars: BlueprintVars, at: string): Record<string, unknown> {
  return substitute(options, vars, at) as Record<string, unknown>;
}

/** The settings named anywhere in `options` (to tell a user when a flag has no effect). */
export function variablesUsed(options: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof options === 'string') for (const m of options.matchAll(REF)) into.add(m[1]!);
  else if (Array.isArray(options)) for (const x of options) variablesUsed(x, into);
  else if (options && typeof options === 'object') for (const x of Object.values(options)) variablesUsed(x, into);
  return into;
}
