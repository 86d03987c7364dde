// Brevitas exports a quantized average pool as AveragePool → Mul(k²) → Trunc: a sum pool of the quantized
// integers followed by dropping low bits. On integer inputs that is QONNX's QuantAvgPool2d (sum pool, right
// shift), which FINN maps to hardware. The pool must read x·s where x carries an integer DataType (what
// QuantActToMultiThreshold leaves: MultiThreshold → Mul by the scale) and s is the Trunc's scale, or x itself
// when that scale is 1.
import {
  defineTransform, getInt, getInts, getString, makeNode, normalizeDomain, parseDataType, setInt, setString,
  QONNX_GENERAL_DOMAIN, type Graph, type Node,
} from '../../../src/index.js';
import { addFloatInitializer, dropIfUnused, readInitializer } from './_lib/tensors.js';
import { derivedNodeName, ensureQonnxOpset, isStandardNode as isStandard, soleUse } from './_lib/rewire.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

function scalarInit(graph: Graph, name: string | undefined): number | undefined {
  const t = name ? readInitializer(graph, name) : undefined;
  return t && t.data.length === 1 ? t.data[0] : undefined;
}

function soleConsumer(graph: Graph, tensor: string): Node | undefined {
  return soleUse(graph, tensor)?.node;
}

/** Square kernel and stride of an AveragePool without padding, or undefined. */
function poolGeometry(ap: Node): { kernel: number; stride: number } | undefined {
  const ks = getInts(ap, 'kernel_shape', []);
  const strides = getInts(ap, 'strides', ks.map(() => 1));
  const pads = getInts(ap, 'pads', []);
  const autoPad = getString(ap, 'auto_pad', 'NOTSET');
  if (ks.length !== 2 || ks[0] !== ks[1] || strides.length !== 2 || strides[0] !== strides[1]) return undefined;
  if (pads.some((p) => p !== 0) || (autoPad !== 'NOTSET' && autoPad !== 'VALID') || getInt(ap, 'ceil_mode', 0) !== 0) return undefined;
  return { kernel: ks[0]!, stride: strides[0]! };
}

/** Bit width of the largest possible sum of k² inputs (as QuantAvgPool2d sizes its accumulator). */
function sumBits(ibits: number, signed: boolean, k: number): number {
  const maxIn = signed ? 2 ** (ibits - 1) - 1 : 2 ** ibits - 1;
  return Math.floor(Math.log2(maxIn * k * k)) + 1;
}

export default defineTransform({
  name: 'AvgPoolTruncToQuantAvgPool',
  stage: 'topology',
  description: 'Convert AveragePool → Mul(k²) → Trunc on quantized integers into QuantAvgPool2d (+ Mul by the scale)',
  apply(model, ctx) {
    const graph = model.graph;
    let converted = 0;
    for (const ap of quantizedNodes(graph, 'AveragePool')) {
      if (!ap.graph || !isStandard(ap)) continue;
      const geo = poolGeometry(ap);
      const mul = soleConsumer(graph, ap.outputs[0]!);
      if (!geo || !mul || mul.opType !== 'Mul' || !isStandard(mul)) continue;
      const factor = scalarInit(graph, mul.inputs[0] === ap.outputs[0] ? mul.inputs[1] : mul.inputs[0]);
      if (factor !== geo.kernel * geo.kernel) continue;
      const trunc = soleConsumer(graph, mul.outputs[0]!);
      if (!trunc || trunc.opType !== 'Trunc' || normalizeDomain(trunc.domain) !== QONNX_GENERAL_DOMAIN || trunc.inputs.length !== 5) continue;
      if (getString(trunc, 'rounding_mode', 'FLOOR').toUpperCase() !== 'FLOOR') continue;
      const scale = scalarInit(graph, trunc.inputs[1]);
      const zero = scalarInit(graph, trunc.inputs[2]);
      const inBw = scalarInit(graph, trunc.inputs[3]);
      const outBw = scalarInit(graph, trunc.inputs[4]);
      if (scale === undefined || !(scale > 0) || zero !== 0 || inBw === undefined || outBw === undefined || inBw < outBw) continue;

      // The integers under the pool: x itself (scale 1), or x of x·scale.
      let ints = ap.inputs[0]!;
      const pre = graph.producer(ints);
      if (scale !== 1) {
        if (!pre || pre.opType !== 'Mul' || !isStandard(pre)) continue;
        const k = pre.inputs.findIndex((i) => scalarInit(graph, i) === scale);
        if (k < 0) continue;
        ints = pre.inputs[1 - k]!;
      }
      const dtName = graph.getDatatypeName(ints);
      const dt = dtName ? parseDataType(dtName) : undefined;
      if (!dt || !dt.isInteger() || dt.kind === 'bipolar') continue;
      const ibits = dt.bitwidth();
      const signed = dt.signed();
      const shift = inBw - outBw;
      const obits = sumBits(ibits, signed, geo.kernel) - shift;
      if (obits < 1) continue;

      const out = trunc.outputs[0]!;
      const pooled = scale === 1 ? out : graph.uniqueTensorName(`${out}_int`);
      const qap = graph.insertBefore(trunc, makeNode({
        opType: 'QuantAvgPool2d', domain: QONNX_GENERAL_DOMAIN, inputs: [ints], outputs: [pooled], name: ap.name || undefined,
      }));
      setInt(qap, 'kernel', geo.kernel);
      setInt(qap, 'stride', geo.stride);
      setInt(qap, 'ibits', ibits);
      setInt(qap, 'obits', obits);
      setInt(qap, 'signed', signed ? 1 : 0);
      setString(qap, 'data_layout', 'NCHW');
      graph.setDatatypeName(pooled, `${signed ? 'INT' : 'UINT'}${obits}`);
      const shape = graph.getShape(out);
      if (pooled !== out && shape) graph.setShape(pooled, shape, graph.getElemType(out) ?? 1);
      if (scale !== 1) {
        const s = addFloatInitializer(graph, `${out}_scale`, [], [scale]);
        graph.insertAfter(qap, makeNode({ opType: 'Mul', inputs: [pooled, s], outputs: [out], name: derivedNodeName(graph, trunc, 'scale') }));
      }
      const params = [...mul.inputs, ...trunc.inputs];
      for (const n of [trunc, mul, ap]) graph.removeNode(n);
      for (const t of [ap.outputs[0]!, mul.outputs[0]!]) graph.removeValueInfo(t);
      if (pre && scale !== 1 && !graph.hasConsumers(pre.outputs[0]!) && !graph.isGraphOutput(pre.outputs[0]!)) {
        graph.removeNode(pre);
        graph.removeValueInfo(pre.outputs[0]!);
        params.push(...pre.inputs);
      }
      dropIfUnused(graph, params);
      converted++;
    }
    if (converted) {
      ensureQonnxOpset(model);
      ctx.log.debug({ converted }, 'AveragePool + Trunc → QuantAvgPool2d');
    }
    return converted > 0;
  },
});
