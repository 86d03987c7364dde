/**
 * SetFolding on a model: builds the foldable view of every hardware node from its kernel plugin, runs the
 * algorithm and writes the chosen parameters back as node attributes.
 */
import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import type { FpgaTarget } from '../plugins/types.js';
import type { FoldableNode, FoldParam } from './foldable.js';
import type { BoundNode, HwApi } from '../hw/types.js';
import { writeAttribute } from './write-attribute.js';
import { setFolding, type FoldingResult, type SetFoldingOptions } from './set-folding.js';

export interface FoldModelResult extends FoldingResult {
  /** Node names in the order of `values`/`cycles`. */
  names: string[];
  /** Hardware nodes SetFolding left alone: their kernel declares no parallelism, or no plugin declares it. */
  skipped: string[];
  /** Whether any attribute changed. */
  changed: boolean;
}

function foldParams(kn: BoundNode): FoldParam[] {
  const declared = Object.entries(kn.parallelism());
  const withIndex = declared.map(([name, p], i) => ({ name, p, order: p.foldOrder ?? i, i }));
  withIndex.sort((a, b) => a.order - b.order || a.i - b.i);
  return withIndex.map(({ name, p }) => {
    if (!Number.isInteger(p.size) || p.size < 1) {
      throw new BrainsmithError('E_FOLDING', `node '${kn.name}': kernel ${kn.kernel} gives ${name} a dimension ${p.dimension} of ${p.size}; expected a positive integer`, { kind: 'input' });
    }
    const out: FoldParam = { name, size: p.size, mode: p.fold ?? 'walk' };
    if (p.widthBits !== undefined) out.widthBits = p.widthBits;
    if (p.drivesProducer !== undefined) out.drivesProducer = p.drivesProducer;
    if (p.overTargetSwitch !== undefined) out.overTargetSwitch = p.overTargetSwitch;
    if (p.followSwitch !== undefined) out.followSwitch = p.followSwitch;
    return out;
  });
}

function currentValue(kn: BoundNode, param: string): number {
  const v = kn.view.attrs[param];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

function switchValue(kn: BoundNode, name: string): number {
  return kn.view.attrs[name] === 1 ? 1 : 0;
}

/** Foldable views of the model's hardware nodes (with a kernel that declares parallelism), graph order. */
export async function foldableNodes(model: Model, hw: HwApi, target?: FpgaTarget): Promise<{ foldable: FoldableNode[]; kernelNodes: BoundNode[]; skipped: string[] }> {
  const { nodes, unknown } = await hw.nodes(model, { target, skipUnknown: true });
  const skipped = [...unknown];
  const kns: BoundNode[] = [];
  const foldable: FoldableNode[] = [];
  const byOutput = new Map<string, number>();
  for (const kn of nodes) {
    const params = foldParams(kn);
    if (params.length === 0) {
      skipped.push(kn.name);
      continue;
    }
    const values: Record<string, number> = {};
    for (const p of params) {
      values[p.name] = currentValue(kn, p.name);
      for (const sw of [p.overTargetSwitch, p.followSwitch?.attribute]) if (sw !== undefined) values[sw] = switchValue(kn, sw);
    }
    const f: FoldableNode = { name: kn.name, params, values, cycles: (v) => kn.cycles(v) };
    const prod = byOutput.get(kn.node.inputs[0] ?? '');
    if (prod !== undefined) f.producer = prod;
    for (const o of kn.node.outputs) if (o) byOutput.set(o, foldable.length);
    foldable.push(f);
    kns.push(kn);
  }
  return { foldable, kernelNodes: kns, skipped };
}

export interface FoldModelOptions extends SetFoldingOptions {
  target?: FpgaTarget;
}

export async function foldModel(model: Model, hw: HwApi, opts: FoldModelOptions): Promise<FoldModelResult> {
  const { foldable, kernelNodes: kns, skipped } = await foldableNodes(model, hw, opts.target);
  const r = setFolding(foldable, opts);
  let changed = false;
  for (const [i, kn] of kns.entries()) {
    for (const [param, v] of Object.entries(r.values[i]!)) {
      if (kn.view.attrs[param] === v) continue;
      writeAttribute(kn.node, param, v);
      changed = true;
    }
  }
  return { ...r, names: foldable.map((f) => f.name), skipped, changed };
}
