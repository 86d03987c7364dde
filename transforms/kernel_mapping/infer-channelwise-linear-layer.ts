import { defineTransform, smallestDataType } from '../../src/index.js';
import { allIntegers, channelsLast, constOf, datatypeOf, freshName, hwNode, isOnnxOp, setFloatInit, staticShape } from './_lib/hw-node.js';

/**
 * Add or Mul of a dynamic integer stream with an integer constant that is a scalar or one value per channel of
 * the last axis → ChannelwiseOp with Func add/mul and the parameters as a [C] (or [1]) initializer (FINN's
 * InferChannelwiseLinearLayer). Constants broadcast over another axis (NCHW per-channel) are left alone.
 */
export default defineTransform({
  name: 'InferChannelwiseLinearLayer',
  stage: 'kernel_mapping',
  description: 'Add/Mul of an integer stream with a per-channel constant → ChannelwiseOp',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const op of graph.nodeList()) {
      if (!op.graph || op.inputs.length !== 2) continue;
      const func = isOnnxOp(op, 'Add') ? 'add' : isOnnxOp(op, 'Mul') ? 'mul' : undefined;
      const out = op.outputs[0];
      if (!func || !out) continue;
      // Both ops commute: the constant may be either input.
      const k = graph.isInitializer(op.inputs[1]!) ? 1 : graph.isInitializer(op.inputs[0]!) ? 0 : -1;
      if (k < 0) continue;
      const x = op.inputs[1 - k]!;
      const p = constOf(graph, op.inputs[k]!);
      const shape = staticShape(graph, x);
      const idt = datatypeOf(graph, x);
      if (!p || !shape || shape.length === 0 || !idt.isInteger() || !allIntegers(p.data)) continue;
      const { vectors, channels } = channelsLast(shape);
      if (!perLastAxis(p.dims, shape.length, channels)) continue;
      const params = Array.from(p.data);
      const pmin = Math.min(...params);
      const pmax = Math.max(...params);
      const ends = func === 'add'
        ? [idt.min() + pmin, idt.max() + pmax]
        : [idt.min() * pmin, idt.min() * pmax, idt.max() * pmin, idt.max() * pmax];
      const odt = smallestDataType(Math.min(...ends), Math.max(...ends)).name;
      const pdt = smallestDataType(pmin, pmax).name;
      const pName = graph.uniqueTensorName(`${op.name}_param`);
      setFloatInit(graph, pName, [params.length], params, pdt);
      graph.insertBefore(op, hwNode('ChannelwiseOp', [x, pName], [out], {
        Func: func,
        PE: 1,
        NumChannels: channels,
        inputDataType: idt.name,
        paramDataType: pdt,
        outputDataType: odt,
        numInputVectors: vectors,
      }, freshName(graph, `ChannelwiseOp_${op.name}`)));
      const old = op.inputs[k]!;
      graph.removeNode(op);
      if (!graph.hasConsumers(old)) graph.removeInitializer(old);
      graph.setDatatypeName(out, odt);
      changed = true;
    }
    return changed;
  },
});

/** A constant that broadcasts as a scalar or along the last axis only, without growing the rank. */
function perLastAxis(dims: readonly number[], rank: number, channels: number): boolean {
  if (dims.length > rank) return false;
  const last = dims.length ? dims[dims.length - 1]! : 1;
  return dims.slice(0, -1).every((d) => d === 1) && (last === 1 || last === channels);
}
