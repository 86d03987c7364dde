// Small Resize/Upsample models in each ONNX form, and running them with onnxruntime for the standard op
// (the executor has no native Resize) and kernel plugins natively. Shared by the InferUpsample and
// MakeScaleResizeNHWC tests.
import { tensorToNumbers, type AttributeProto, type Model, type NodeProto, type TensorValue } from '../../../src/index.js';
import { executeModel } from '../../../src/exec/execute.js';
import { attrS, buildModel, node } from '../topology/support.js';
import { assertSameOutputs, builtins, randomTensor } from './support.js';

const INT64 = 7;

export type ResizeForm = 'scales' | 'sizes' | 'upsample9' | 'upsample7' | 'resize10';
export interface ResizeModes { ctm?: string; nm?: string; mode?: string }

/** A 4-D resize node on `x` of `shape` (layout as given), in one of the ONNX forms, with opset. */
export function resizeModel(shape: number[], outShape: number[], form: ResizeForm, scales: number[], attrs: ResizeModes = {}, dt = 'INT4'): Model {
  const a: AttributeProto[] = [];
  if (attrs.mode) a.push(attrS('mode', attrs.mode));
  else if (form !== 'upsample7' && form !== 'upsample9') a.push(attrS('mode', 'nearest'));
  // Coordinate and rounding modes exist from Resize-11 on.
  if (form === 'scales' || form === 'sizes') {
    if (attrs.ctm) a.push(attrS('coordinate_transformation_mode', attrs.ctm));
    if (attrs.nm) a.push(attrS('nearest_mode', attrs.nm));
  }
  let n: NodeProto;
  const inits: Parameters<typeof buildModel>[0]['inits'] = {};
  if (form === 'scales') {
    n = node('Resize', ['x', '', 's'], ['y'], a);
    inits.s = { dims: [4], data: scales };
  } else if (form === 'sizes') {
    n = node('Resize', ['x', '', '', 'sz'], ['y'], a);
    inits.sz = { dims: [4], data: outShape, elemType: INT64 };
  } else if (form === 'resize10') {
    n = node('Resize', ['x', 's'], ['y'], a);
    inits.s = { dims: [4], data: scales };
  } else if (form === 'upsample9') {
    n = node('Upsample', ['x', 's'], ['y'], a);
    inits.s = { dims: [4], data: scales };
  } else {
    n = node('Upsample', ['x'], ['y'], [...a, { name: 'scales', type: 6, floats: scales }]);
  }
  const m = buildModel({ inputs: [['x', shape, dt]], outputs: [['y', outShape]], nodes: [n], inits });
  const opset = form === 'upsample7' ? 7 : form === 'upsample9' ? 9 : form === 'resize10' ? 10 : 13;
  m.proto.opset_import![0]!.version = opset;
  return m;
}

/** Runs with onnxruntime for the standard Resize/Upsample (the executor has no native one) and kernels natively. */
export async function runOrt(model: Model, inputs: Record<string, TensorValue>): Promise<Float64Array[]> {
  const reg = await builtins();
  const r = await executeModel(model, new Map(Object.entries(inputs)), { resolvers: [await reg.hw.opResolver(model)] });
  return [...r.outputs.values()].map((v) => tensorToNumbers(v));
}

export async function sameWithOrt(a: Model, b: Model, shape: number[], what: string): Promise<void> {
  for (let seed = 1; seed <= 2; seed++) {
    const x = randomTensor(shape, seed, -8, 8, true);
    assertSameOutputs(await runOrt(a, { x }), await runOrt(b, { x }), `${what} seed ${seed}`);
  }
}

