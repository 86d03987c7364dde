// Reading nearest-neighbour Resize/Upsample nodes whose result is plain pixel replication by integer factors,
// the only resampling the UpsampleNearestNeighbour kernel computes. Shared by MakeScaleResizeNHWC (topology)
// and InferUpsample (kernel_mapping). Not a plugin (the folder name starts with `_`).
import {
  AttributeType, ElemType, getAttribute, getInts, getString, isStandardDomain, makeTensor, tensorFromProto,
  tensorToNumbers, tensorToProto, type AttributeProto, type Graph, type Node,
} from '../index.js';

/** Where the node keeps its per-axis resampling parameters. */
export type ResizeForm =
  | { kind: 'scales-input'; index: number }
  | { kind: 'sizes-input'; index: number }
  | { kind: 'scales-attribute' };

export interface NearestResize {
  /** Integer scale factor per axis of the input (rank entries). */
  scales: number[];
  form: ResizeForm;
}

/**
 * Whether nearest sampling with coordinate mode `ctm` and rounding `nm` maps output index k·s + j (0 ≤ j < s)
 * to input index k for integer scale s, i.e. is exact replication:
 *  - asymmetric: x/s = k + j/s with j/s in [0, 1): floor gives k; rounding ties to floor gives k only for s ≤ 2.
 *  - half_pixel (and pytorch_half_pixel / half_pixel_symmetric, equal to it for integer scales):
 *    (x + 0.5)/s − 0.5 = k + ((j + 0.5)/s − 0.5), the offset strictly inside (−0.5, 0.5): rounding gives k.
 *  - tf_half_pixel_for_nn: (x + 0.5)/s = k + (j + 0.5)/s, inside (k, k + 1): floor gives k.
 */
function replicates(ctm: string, nm: string, s: number): boolean {
  if (s === 1) return ctm !== 'tf_crop_and_resize';
  switch (ctm) {
    case 'asymmetric':
      return nm === 'floor' || (nm === 'round_prefer_floor' && s === 2);
    case 'half_pixel':
    case 'pytorch_half_pixel':
    case 'half_pixel_symmetric':
      return nm === 'round_prefer_floor' || nm === 'round_prefer_ceil';
    case 'tf_half_pixel_for_nn':
      return nm === 'floor';
    default:
      return false;
  }
}

function constValues(graph: Graph, tensor: string | undefined): number[] | undefined {
  if (!tensor) return undefined;
  const init = graph.getInitializer(tensor);
  if (!init) return undefined;
  const v = tensorFromProto(init);
  return Array.isArray(v.data) ? undefined : Array.from(tensorToNumbers(v));
}

/** Per-axis values of a Resize-18 parameter given for `axes` only (the others are `fill`). */
function expandAxes(values: number[], axes: number[], rank: number, fill: (axis: number) => number): number[] | undefined {
  if (values.length !== axes.length) return undefined;
  const out = Array.from({ length: rank }, (_, i) => fill(i));
  for (const [i, a] of axes.entries()) {
    const axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank) return undefined;
    out[axis] = values[i]!;
  }
  return out;
}

/**
 * The node as integer nearest-neighbour replication, or undefined (with no error: such nodes are left alone)
 * when it is not a standard Resize/Upsample in mode nearest on a static shape, its parameters are not
 * constants, a factor is not a positive integer, or its coordinate/rounding modes do not replicate exactly.
 */
export function readNearestResize(graph: Graph, node: Node, opset: number): NearestResize | undefined {
  if ((node.opType !== 'Resize' && node.opType !== 'Upsample') || !isStandardDomain(node.domain)) return undefined;
  if (getString(node, 'mode', 'nearest') !== 'nearest') return undefined;
  const shape = graph.getShape(node.inputs[0] ?? '');
  if (!shape || shape.some((d) => typeof d !== 'number' || d < 1)) return undefined;
  const dims = shape as number[];
  const rank = dims.length;
  let scales: number[] | undefined;
  let form: ResizeForm;
  if (node.opType === 'Upsample') {
    // Upsample-7/8 carry the scales as an attribute, Upsample-9/10 as input 1; both sample floor(x/s).
    if (opset < 9) {
      scales = getAttribute(node, 'scales')?.floats ?? undefined;
      form = { kind: 'scales-attribute' };
    } else {
      scales = constValues(graph, node.inputs[1]);
      form = { kind: 'scales-input', index: 1 };
    }
  } else if (opset < 11) {
    // Resize-10: scales as input 1, sampled as Upsample (asymmetric, floor).
    scales = constValues(graph, node.inputs[1]);
    form = { kind: 'scales-input', index: 1 };
  } else {
    const ctm = getString(node, 'coordinate_transformation_mode', 'half_pixel');
    const nm = getString(node, 'nearest_mode', 'round_prefer_floor');
    if (getString(node, 'keep_aspect_ratio_policy', 'stretch') !== 'stretch') return undefined;
    const axes = getInts(node, 'axes', []);
    const sizes = constValues(graph, node.inputs[3]);
    if (node.inputs[3]) {
      if (!sizes) return undefined;
      const full = axes.length ? expandAxes(sizes, axes, rank, (i) => dims[i]!) : sizes;
      if (!full || full.length !== rank) return undefined;
      scales = full.map((sz, i) => sz / dims[i]!);
      form = { kind: 'sizes-input', index: 3 };
    } else {
      const given = constValues(graph, node.inputs[2]);
      scales = given && axes.length ? expandAxes(given, axes, rank, () => 1) : given;
      form = { kind: 'scales-input', index: 2 };
    }
    if (scales && !scales.every((s) => Number.isInteger(s) && s >= 1 && replicates(ctm, nm, s))) return undefined;
  }
  if (!scales || scales.length !== rank || !scales.every((s) => Number.isInteger(s) && s >= 1)) return undefined;
  return { scales, form };
}

/**
 * Inputs and attributes for a copy of `node` acting on the input permuted by `perm`: the scales or sizes are
 * permuted alike, for every axis (a new initializer, as the old one may have other readers; Resize-18's `axes`
 * is dropped), other inputs and attributes kept.
 */
export function permutedResizeParams(graph: Graph, node: Node, r: NearestResize, perm: readonly number[], x: string): { inputs: string[]; attributes: AttributeProto[] } {
  const inputs = [x, ...node.inputs.slice(1)];
  const attributes = node.attributes.filter((a) => a.name !== 'axes' && a.name !== 'scales');
  const dims = graph.getShape(node.inputs[0]!) as number[];
  const scales = perm.map((p) => r.scales[p]!);
  if (r.form.kind === 'scales-attribute') {
    attributes.push({ name: 'scales', type: AttributeType.FLOATS, floats: scales });
  } else if (r.form.kind === 'scales-input') {
    const name = graph.uniqueTensorName(`${node.name || node.opType}_scales_nhwc`);
    graph.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, [scales.length], Float32Array.from(scales)), name));
    inputs[r.form.index] = name;
  } else {
    const sizes = perm.map((p) => dims[p]! * r.scales[p]!);
    const name = graph.uniqueTensorName(`${node.name || node.opType}_sizes_nhwc`);
    graph.setInitializer(tensorToProto(makeTensor(ElemType.INT64, [sizes.length], BigInt64Array.from(sizes, (v) => BigInt(v))), name));
    inputs[r.form.index] = name;
  }
  return { inputs, attributes };
}
