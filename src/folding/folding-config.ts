/**
 * FINN folding configs: `{"Defaults": {attr: [value, ["OpType", …] | "all", …]}, "<node name>": {attr:
 * value, …}}` (ApplyConfig's format). Reading with checks, applying to a model, and writing a model's
 * folding in the same format (FINN's auto_folding_config.json).
 */
import { z } from 'zod';
import { readRegularTextFile } from '../util/safe-read.js';
import { BrainsmithError, errorMessage } from '../errors.js';
import { hwNodeKind, reportNames } from '../hw/hw-nodes.js';
import { decodeAttribute as decoded } from '../hw/node-view.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { HwApi } from '../hw/types.js';
import { writeAttribute } from './write-attribute.js';
import type { KernelAttributeSpec } from '../plugins/types.js';

export type ConfigValue = number | string | number[];

export interface FoldingConfig {
  /** attr → list of (value, op types or 'all') pairs. */
  defaults: Record<string, Array<{ value: ConfigValue; opTypes: string[] | 'all' }>>;
  /** node name → attributes, in file order. */
  nodes: Record<string, Record<string, ConfigValue>>;
}

/**
 * Attributes FINN writes into auto_folding_config.json when a node has them (step_target_fps_parallelization's
 * list; ram_style_thresholds, which a config may still set, is not in it).
 */
export const FOLDING_CONFIG_ATTRIBUTES = [
  'PE', 'SIMD', 'parallel_window', 'ram_style', 'resType', 'mem_mode',
  'runtime_writeable_weights', 'depth_trigger_uram', 'depth_trigger_bram',
] as const;

export interface FoldingConfigOptions {
  /**
   * Attributes a node's op type lacks in FINN although its kernel's schema (shared by the backends) has them,
   * e.g. ram_style on Thresholding_rtl: left out of its entry.
   */
  lacks?: (opType: string) => readonly string[];
}

function isValue(v: unknown): v is ConfigValue {
  return typeof v === 'number' || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
}

function bad(where: string, msg: string): BrainsmithError {
  return new BrainsmithError('E_FOLDING_CONFIG', `${where}: ${msg}`, { kind: 'input', file: where });
}

/** Validates parsed JSON as a FINN folding config; `where` names the file in errors. */
export function parseFoldingConfig(json: unknown, where = 'folding config'): FoldingConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(where, 'expected a JSON object of node names');
  const out: FoldingConfig = { defaults: {}, nodes: {} };
  for (const [key, entry] of Object.entries(json as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw bad(where, `entry '${key}' must be an object of attributes`);
    if (key === 'Defaults') {
      for (const [attr, spec] of Object.entries(entry as Record<string, unknown>)) {
        if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2 !== 0) {
          throw bad(where, `Defaults.${attr} must be [value, ["OpType", …] | "all", …] (pairs), got ${JSON.stringify(spec)}`);
        }
        const pairs: FoldingConfig['defaults'][string] = [];
        for (let i = 0; i < spec.length; i += 2) {
          const value: unknown = spec[i];
          const ops: unknown = spec[i + 1];
          if (!isValue(value)) throw bad(where, `Defaults.${attr}: value ${JSON.stringify(value)} is not a number, string or list of numbers`);
          if (ops !== 'all' && !(Array.isArray(ops) && ops.every((o) => typeof o === 'string'))) {
            throw bad(where, `Defaults.${attr}: expected "all" or a list of op types after ${JSON.stringify(value)}, got ${JSON.stringify(ops)}`);
          }
          if (ops === 'all' && spec.length > 2) throw bad(where, `Defaults.${attr}: "all" cannot be combined with other pairs`);
          pairs.push({ value, opTypes: ops as string[] | 'all' });
        }
        out.defaults[attr] = pairs;
      }
      continue;
    }
    const attrs: Record<string, ConfigValue> = {};
    for (const [attr, v] of Object.entries(entry as Record<string, unknown>)) {
      if (!isValue(v)) throw bad(where, `${key}.${attr}: ${JSON.stringify(v)} is not a number, string or list of numbers`);
      attrs[attr] = v;
    }
    out.nodes[key] = attrs;
  }
  return out;
}

export function readFoldingConfig(file: string): FoldingConfig {
  let text: string;
  try {
    text = readRegularTextFile(file, { what: 'folding config' });
  } catch (e) {
    throw new BrainsmithError('E_FOLDING_CONFIG', `cannot read folding config ${errorMessage(e)}`, { kind: 'input', file, cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BrainsmithError('E_FOLDING_CONFIG', `${file} is not valid JSON: ${errorMessage(e)}`, { kind: 'input', file, cause: e });
  }
  return parseFoldingConfig(json, file);
}

export interface ApplyConfigResult {
  /** Nodes that got attributes from a per-node entry. */
  applied: string[];
  /** Config entries naming no node of the model. */
  unmatched: string[];
  /** Hardware nodes without a per-node entry. */
  unconfigured: string[];
  /** Entries written for the other backend (`MVAU_hls_0`) that configured a node (`MVAU_rtl_0`). */
  crossBackend: { entry: string; node: string }[];
  changed: boolean;
}

/**
 * FINN names a node after its backend (`MVAU_hls_0`), so a config written for FINN's default backends names no
 * node of a `--prefer rtl` build. Such an entry still configures `<Kernel>_<other>_<N>` when it names no node
 * itself and every node of that kernel uses one backend: FINN's per-op-type counters then number them alike.
 */
function crossBackendKeys(all: readonly Node[], names: ReadonlyMap<Node, string>, config: FoldingConfig): Map<Node, string> {
  const languages = new Map<string, Set<string | undefined>>();
  for (const node of all) {
    const kind = hwNodeKind(node);
    if (kind) languages.set(kind.kernel, (languages.get(kind.kernel) ?? new Set()).add(kind.language));
  }
  const taken = new Set(names.values());
  const out = new Map<Node, string>();
  for (const node of all) {
    const kind = hwNodeKind(node);
    const name = names.get(node)!;
    if (!kind?.language || config.nodes[name] || languages.get(kind.kernel)!.size !== 1) continue;
    const m = new RegExp(`^${kind.kernel}_${kind.language}_(\\d+)$`).exec(name);
    const other = kind.language === 'rtl' ? 'hls' : 'rtl';
    const key = m ? `${kind.kernel}_${other}_${m[1]}` : undefined;
    if (key && config.nodes[key] && !taken.has(key)) out.set(node, key);
  }
  return out;
}

function sameValue(a: unknown, b: ConfigValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies Defaults (to hardware nodes of the listed op types, or all) and then per-node entries (by node
 * name). When a registry is given, every parallelism value is checked to divide its kernel's dimension.
 */
export async function applyFoldingConfig(model: Model, config: FoldingConfig, hw?: HwApi): Promise<ApplyConfigResult> {
  const all = model.graph.nodeList();
  const names = reportNames(all);
  const used = new Set<string>();
  const applied: string[] = [];
  const unconfigured: string[] = [];
  let changed = false;
  const set = (node: (typeof all)[number], attr: string, v: ConfigValue): void => {
    const cur = node.attributes.find((a) => a.name === attr);
    if (cur && sameValue(decoded(cur), v)) return;
    writeAttribute(node, attr, v);
    changed = true;
  };
  const specs = new Map<string, AttributeChecks | undefined>();
  const crossKeys = crossBackendKeys(all, names, config);
  const crossBackend: ApplyConfigResult['crossBackend'] = [];
  for (const node of all) {
    const kind = hwNodeKind(node);
    const name = names.get(node)!;
    const key = config.nodes[name] ? name : crossKeys.get(node);
    if (key) {
      let spec: AttributeChecks | undefined;
      if (kind && hw) {
        if (!specs.has(node.opType)) specs.set(node.opType, await declaredAttributes(hw, node));
        spec = specs.get(node.opType);
      }
      checkEntry(key, node, config.nodes[key], spec);
    }
    // Defaults first, then the node's own entry; each attribute is written once with its final value.
    const wanted = new Map<string, ConfigValue>();
    if (kind) {
      for (const [attr, pairs] of Object.entries(config.defaults)) {
        const hit = pairs.find((p) => p.opTypes === 'all' || p.opTypes.includes(node.opType) || p.opTypes.includes(kind.kernel));
        if (hit) wanted.set(attr, hit.value);
      }
    }
    const entry = key ? config.nodes[key] : undefined;
    if (key && entry) {
      used.add(key);
      applied.push(name);
      if (key !== name) crossBackend.push({ entry: key, node: name });
      for (const [attr, v] of Object.entries(entry)) wanted.set(attr, v);
    } else if (kind) {
      unconfigured.push(name);
    }
    for (const [attr, v] of wanted) set(node, attr, v);
  }
  if (hw) await checkLegalFolding(model, hw);
  const unmatched = Object.keys(config.nodes).filter((k) => !used.has(k));
  return { applied, unmatched, unconfigured, crossBackend, changed };
}


/** Names a folding config entry must not set: they are the node's identity, not attributes. */
const RESERVED = new Set(['op_type', 'domain', 'name', 'input', 'output']);

/** Per declared attribute of a kernel, a check of a value (undefined when it declares none, or is unknown). */
type AttributeChecks = Record<string, (v: ConfigValue) => string | undefined>;

async function declaredAttributes(hw: HwApi, node: Node): Promise<AttributeChecks | undefined> {
  const declared = await hw.declaredAttributes(node);
  if (!declared) return undefined;
  const out: AttributeChecks = {};
  for (const schema of declared.schemas) {
    if (!(schema instanceof z.ZodObject)) continue;
    for (const [k, t] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      out[k] = (v) => {
        const r = t.safeParse(v);
        return r.success ? undefined : `${JSON.stringify(v)} is not valid (${r.error.issues[0]?.message ?? 'wrong type'})`;
      };
    }
  }
  for (const [k, spec] of Object.entries(declared.specs)) out[k] ??= (v) => typeProblem(v, spec);
  return Object.keys(out).length ? out : undefined;
}

function typeProblem(v: ConfigValue, spec: KernelAttributeSpec): string | undefined {
  const got = JSON.stringify(v);
  switch (spec.type) {
    case 'int': return typeof v === 'number' && Number.isInteger(v) ? undefined : `expected an integer, got ${got}`;
    case 'float': return typeof v === 'number' ? undefined : `expected a number, got ${got}`;
    case 'string': return typeof v === 'string' ? undefined : `expected a string, got ${got}`;
    case 'ints': return Array.isArray(v) && v.every(Number.isInteger) ? undefined : `expected a list of integers, got ${got}`;
    case 'floats': return Array.isArray(v) ? undefined : `expected a list of numbers, got ${got}`;
    default: return undefined;
  }
}

/** FINN's set_nodeattr refuses an attribute the node type does not have; so does this, by name. */
function checkEntry(name: string, node: { opType: string; attributes: readonly { name?: string | null }[] }, entry: Record<string, ConfigValue>, spec: AttributeChecks | undefined): void {
  for (const [attr, v] of Object.entries(entry)) {
    if (RESERVED.has(attr)) throw new BrainsmithError('E_FOLDING_CONFIG', `folding config entry '${name}': '${attr}' is not an attribute a folding config may set`, { kind: 'input' });
    if (!spec) continue;
    const s = spec[attr];
    if (!s) {
      if (node.attributes.some((a) => a.name === attr)) continue;
      throw new BrainsmithError('E_FOLDING_CONFIG', `folding config entry '${name}': ${node.opType} has no attribute '${attr}' (known: ${Object.keys(spec).join(', ')})`, { kind: 'input' });
    }
    const why = s(v);
    if (why) throw new BrainsmithError('E_FOLDING_CONFIG', `folding config entry '${name}': ${attr}: ${why}`, { kind: 'input' });
  }
}

/** Every parallelism parameter of every hardware node divides its dimension (else an error naming the node). */
export async function checkLegalFolding(model: Model, hw: HwApi): Promise<void> {
  const { nodes } = await hw.nodes(model, { skipUnknown: true });
  for (const kn of nodes) {
    for (const [param, p] of Object.entries(kn.parallelism())) {
      const v = kn.view.attrs[param];
      if (typeof v !== 'number') continue;
      if (!Number.isInteger(v) || v < 1 || p.size % v !== 0) {
        throw new BrainsmithError('E_FOLDING', `node '${kn.name}': ${param}=${v} does not divide ${p.dimension}=${p.size} (legal values are its divisors)`, { kind: 'input' });
      }
    }
  }
}

export type FinnFoldingJson = Record<string, Record<string, ConfigValue>>;

/**
 * The model's folding in FINN's format: `{"Defaults": {}, "<node>": {PE, SIMD, …}}`, per hardware node its
 * kernel's parallelism parameters and the FINN folding attributes it has, with their effective values
 * (defaults filled by its schema).
 */
export async function foldingConfigOf(model: Model, hw: HwApi, opts: FoldingConfigOptions = {}): Promise<FinnFoldingJson> {
  const { nodes } = await hw.nodes(model, { skipUnknown: true });
  const out: FinnFoldingJson = { Defaults: {} };
  for (const kn of nodes) {
    const entry: Record<string, ConfigValue> = {};
    const keys = [...Object.keys(kn.parallelism()), ...FOLDING_CONFIG_ATTRIBUTES.filter((a) => a !== 'PE' && a !== 'SIMD')];
    const lacks = opts.lacks?.(kn.node.opType) ?? [];
    for (const k of keys) {
      if (lacks.includes(k)) continue;
      const v = kn.view.attrs[k];
      if (isValue(v)) entry[k] = v;
    }
    if (Object.keys(entry).length) out[kn.name] = entry;
  }
  return out;
}

/** FINN's layout: two-space indentation, trailing newline. */
export function formatFoldingConfig(json: FinnFoldingJson): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}
