// Activation quantizers (Quant/BipolarQuant on a run-time tensor) become MultiThreshold nodes, FINN's form of a
// quantized activation: the threshold count gives the quantizer's rounded integer exactly, a Mul/Add after it
// restores scale and zero point. A Relu feeding only the quantizer is absorbed into the thresholds.
import {
  defineTransform, makeNode, setFloat, setString, z, QONNX_GENERAL_DOMAIN, type Graph, type Node,
} from '../../../src/index.js';
import { integerDataType, integerOf, isQuantizerNode, readQuantizer, type Quantizer } from './_lib/quantizer.js';
import { smallestInputReaching } from './_lib/thresholds.js';
import { addFloatInitializer, broadcastTo, dropIfUnused, singleAxisValues, staticShape } from './_lib/tensors.js';
import { appendAfterOutput, derivedNodeName, ensureQonnxOpset, isStandardNode } from './_lib/rewire.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

const options = z.object({
  /** Wider activations stay Quant nodes (2^b − 1 thresholds per channel), as FINN's default filter does. */
  maxBitWidth: z.number().int().min(1).max(16).default(8),
  /** Fold a Relu that feeds only the quantizer into the thresholds. */
  absorbRelu: z.boolean().default(true),
});

/** Per-channel scale and zero point along axis 1 of the activation (length 1 when per-tensor). */
interface ChannelParams {
  channels: number;
  scale: number[];
  zeroPoint: number[];
  /** Rank of the activation, when known (needed to shape per-channel Mul/Add operands). */
  rank: number;
}

function channelParams(graph: Graph, q: Quantizer, input: string): ChannelParams | string {
  const perTensor = q.scale.data.length === 1 && q.zeroPoint.data.length === 1;
  const shape = staticShape(graph, input);
  if (perTensor) return { channels: 1, scale: [q.scale.data[0]!], zeroPoint: [q.zeroPoint.data[0]!], rank: shape?.length ?? 0 };
  if (!shape) return `the shape of '${input}' is unknown (run InferShapes first) and the quantizer is per-channel`;
  const along = (t: typeof q.scale, what: string): number[] | string => {
    const full = broadcastTo(t, shape);
    if (!full) return `${what} of shape [${t.dims.join(', ')}] does not broadcast to [${shape.join(', ')}]`;
    const per = singleAxisValues(full, shape);
    if (!per) return `${what} varies along more than one axis`;
    if (per.axis === -1) return new Array<number>(shape[1] ?? 1).fill(per.values[0]!);
    if (per.axis !== 1) return `${what} varies along axis ${per.axis}, MultiThreshold thresholds are per channel (axis 1)`;
    return per.values;
  };
  const scale = along(q.scale, 'scale');
  if (typeof scale === 'string') return scale;
  const zeroPoint = along(q.zeroPoint, 'zero point');
  if (typeof zeroPoint === 'string') return zeroPoint;
  return { channels: scale.length, scale, zeroPoint, rank: shape.length };
}

/** An operand for a Mul/Add after the MultiThreshold: a scalar, or [1, C, 1, …] over the activation. */
function channelOperand(graph: Graph, base: string, values: number[], rank: number): string {
  if (values.every((v) => v === values[0])) return addFloatInitializer(graph, base, [], [values[0]!]);
  const dims = new Array<number>(Math.max(rank, 2)).fill(1);
  dims[1] = values.length;
  return addFloatInitializer(graph, base, dims, values);
}

export default defineTransform({
  name: 'QuantActToMultiThreshold',
  stage: 'topology',
  description: 'Convert activation Quant/BipolarQuant nodes (absorbing a preceding Relu) into exact MultiThreshold + scale/zero-point nodes',
  options,
  apply(model, ctx) {
    const graph = model.graph;
    const maxBitWidth = ctx.options.maxBitWidth ?? 8;
    const absorbRelu = ctx.options.absorbRelu ?? true;
    let converted = 0;
    for (const node of quantizedNodes(graph)) {
      if (!node.graph || !isQuantizerNode(node)) continue;
      const x = node.inputs[0];
      const out = node.outputs[0];
      if (!x || !out || graph.isInitializer(x)) continue;
      const q = readQuantizer(graph, node);
      if (!q) continue;
      if (q.bitwidth > maxBitWidth) {
        ctx.log.info(`${node.toString()}: ${q.bitwidth}-bit activation is wider than maxBitWidth ${maxBitWidth}; left as ${node.opType}`);
        continue;
      }
      if (![...q.scale.data].every((s) => s > 0 && Number.isFinite(s))) {
        ctx.log.warn(`${node.toString()}: scale is not positive and finite; left as ${node.opType}`);
        continue;
      }

      // A Relu read only by this quantizer folds into the thresholds (the composition is still monotone).
      const pred = graph.producer(x);
      const relu = absorbRelu && pred && pred.opType === 'Relu' && isStandardNode(pred)
        && !graph.isGraphOutput(x) && graph.consumers(x).length === 1 ? pred : undefined;
      const mtInput = relu ? relu.inputs[0]! : x;

      const params = channelParams(graph, q, x);
      if (typeof params === 'string') {
        ctx.log.warn(`${node.toString()}: ${params}; left as ${node.opType}`);
        continue;
      }
      const levelOf = params.scale.map((s, c) => {
        const zp = params.zeroPoint[c]!;
        return relu ? (v: number) => integerOf(q, v > 0 ? v : v < 0 ? 0 : v, s, zp) : (v: number) => integerOf(q, v, s, zp);
      });

      // Levels the thresholds count: from the lowest reachable integer (out_bias) up to the highest.
      let low = Infinity;
      let high = -Infinity;
      for (const f of levelOf) {
        low = Math.min(low, f(-Infinity));
        high = Math.max(high, f(Infinity));
      }
      const levels: number[] = [];
      if (q.bipolar) {
        if (high === 1) levels.push(1); // −1 → +1 in one step
      } else {
        for (let m = low + 1; m <= high; m++) levels.push(m);
      }
      if (levels.length === 0) {
        ctx.log.warn(`${node.toString()}: output is constant; left as ${node.opType}`);
        continue;
      }
      const thresholds = new Float64Array(params.channels * levels.length);
      levelOf.forEach((f, c) => levels.forEach((m, k) => {
        thresholds[c * levels.length + k] = smallestInputReaching(f, m) ?? Infinity;
      }));

      // MultiThreshold output = the quantizer's rounded integer: count + low (bipolar: 2·count − 1).
      const dtype = integerDataType(q).name;
      const thresholdName = addFloatInitializer(graph, `${out}_thresholds`, [params.channels, levels.length], thresholds);
      const mt = graph.insertBefore(node, makeNode({
        opType: 'MultiThreshold', domain: QONNX_GENERAL_DOMAIN, inputs: [mtInput, thresholdName], outputs: [out], name: node.name || undefined,
      }));
      setString(mt, 'out_dtype', dtype);
      setFloat(mt, 'out_scale', q.bipolar ? 2 : 1);
      setFloat(mt, 'out_bias', q.bipolar ? -1 : low);
      setString(mt, 'data_layout', 'NCHW');
      const removed = [...node.inputs, x];
      graph.removeNode(node);
      if (relu) {
        graph.removeNode(relu);
        graph.removeValueInfo(x);
        graph.setDatatypeName(x, undefined);
      }

      // (y − z)·s, as the quantizer computes it; BipolarQuant has no zero point.
      let last: Node = mt;
      if (params.zeroPoint.some((v) => v !== 0)) {
        const neg = channelOperand(graph, `${out}_zero_point`, params.zeroPoint.map((v) => -v), params.rank);
        last = appendAfterOutput(graph, last, 0, (fresh, o) => ({ opType: 'Add', inputs: [fresh, neg], outputs: [o], name: derivedNodeName(graph, mt, 'zero_point') }));
      }
      if (params.scale.some((v) => v !== 1)) {
        const scale = channelOperand(graph, `${out}_scale`, params.scale, params.rank);
        last = appendAfterOutput(graph, last, 0, (fresh, o) => ({ opType: 'Mul', inputs: [fresh, scale], outputs: [o], name: derivedNodeName(graph, mt, 'scale') }));
      }
      graph.setDatatypeName(mt.outputs[0]!, dtype);
      if (last !== mt) graph.setDatatypeName(out, 'FLOAT32');
      dropIfUnused(graph, removed);
      converted++;
    }
    if (converted) {
      ensureQonnxOpset(model);
      ctx.log.debug({ converted }, 'activation quantizers → MultiThreshold');
    }
    return converted > 0;
  },
});
