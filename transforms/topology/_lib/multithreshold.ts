// MultiThreshold helpers: out = out_scale · #{t : x ≥ t} + out_bias, thresholds shaped (C or 1, steps).
import { getString, type Graph, type Node } from '../../../src/index.js';
import { addConst, constOf, perChannel, type Const } from '../../../src/rewrite.js';

export interface Thresholds {
  /** Rows (1 or C) and steps per row. */
  rows: number;
  steps: number;
  data: Float64Array;
}

export function thresholdsOf(graph: Graph, mt: Node): Thresholds | undefined {
  const c = constOf(graph, mt.inputs[1] ?? '');
  if (!c || c.dims.length !== 2) return undefined;
  return { rows: c.dims[0]!, steps: c.dims[1]!, data: c.data };
}

/** Channel axis of the MultiThreshold's input: 1 for NCHW (and rank ≤ 2), the last for NHWC. */
export function channelAxis(mt: Node, rank: number): number {
  const layout = getString(mt, 'data_layout', 'NCHW');
  return rank <= 2 ? rank - 1 : layout === 'NHWC' ? rank - 1 : 1;
}

/**
 * A parameter of an elementwise op in front of the MultiThreshold as one value per threshold row: undefined
 * when it varies along a non-channel axis or the input shape is unknown. Rows expand from 1 to C when needed.
 */
export function paramPerRow(graph: Graph, mt: Node, param: Const, t: Thresholds): { rows: number; values: Float64Array } | undefined {
  const shape = graph.getShape(mt.inputs[0]!);
  if (!shape || shape.some((d) => typeof d !== 'number')) {
    if (param.data.length === 1) return { rows: t.rows, values: new Float64Array(t.rows).fill(param.data[0]!) };
    return undefined;
  }
  const dims = shape as number[];
  const axis = channelAxis(mt, dims.length);
  const channels = dims[axis] ?? 1;
  const v = perChannel(param, dims.length, axis, channels);
  if (!v) return undefined;
  if (t.rows !== 1 && t.rows !== channels) return undefined;
  const uniform = v.every((x) => x === v[0]);
  if (uniform && t.rows === 1) return { rows: 1, values: v.subarray(0, 1) };
  return { rows: channels, values: v };
}

/** New thresholds f(t, row value), expanded to `rows` rows, written as a fresh initializer. */
export function rewriteThresholds(graph: Graph, mt: Node, t: Thresholds, p: { rows: number; values: Float64Array }, f: (t: number, v: number) => number): void {
  const data = new Float64Array(p.rows * t.steps);
  for (let r = 0; r < p.rows; r++) {
    const src = t.rows === 1 ? 0 : r;
    for (let s = 0; s < t.steps; s++) data[r * t.steps + s] = f(t.data[src * t.steps + s]!, p.values[r]!);
  }
  const old = mt.inputs[1]!;
  const name = addConst(graph, `${mt.name || 'MultiThreshold'}_thresholds`, { dims: [p.rows, t.steps], data });
  graph.setInput(mt, 1, name);
  if (!graph.hasConsumers(old)) graph.removeInitializer(old);
}
