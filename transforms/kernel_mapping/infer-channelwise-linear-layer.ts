import { defineTransform, smallestDataType, type Graph, type Node } from '../../src/index.js';
import { allIntegers, channelsLast, constOf, datatypeOf, freshName, hwNode, isOnnxOp, setFloatInit, staticShape } from '../../src/rewrite.js';
import { isKernelNode } from './_lib/partition.js';
import { annotatedChannelsFirst, channelsLastShape, wrapChannelsLast, wrappableRank } from './_lib/nchw.js';

/**
 * Add or Mul of a dynamic integer stream with an integer constant that is a scalar or one value per channel of
 * the last axis → ChannelwiseOp with Func add/mul and the parameters as a [C] (or [1]) initializer (FINN's
 * InferChannelwiseLinearLayer). A per-channel constant on a tensor annotated NCHW (or NCW), shaped (1,C,1,1)
 * or (C,1,1), maps the same way between an NCHW→NHWC Transpose and one back, as FINN does it
 * (AbsorbConsecutiveTransposes removes the pairs that cancel). A scalar op after a kernel's Transpose runs
 * before that Transpose, so the Transpose does not split the dataflow partition (an integer output scale after
 * the layout change back to NCHW). Other broadcasts, and tensors without a channels-first layout annotation,
 * are left alone.
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
      // Channels-first per-channel constants run on the channels-last view (checked second, so a scalar or a
      // last-axis constant on an NCHW tensor stays one kernel without transposes, as before).
      const wrap = !perLastAxis(p.dims, shape.length, shape[shape.length - 1]!);
      if (wrap && !(perChannelFirst(p.dims, shape) && annotatedChannelsFirst(graph, x, shape.length))) continue;
      const back = p.data.length === 1 ? transposeFromKernel(graph, x) : undefined;
      const { vectors, channels } = channelsLast(back ? back.innerShape : wrap ? channelsLastShape(shape) : shape);
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
      const addKernelBefore = (at: Node, input: string, output: string): void => {
        graph.insertBefore(at, hwNode('ChannelwiseOp', [input, pName], [output], {
          Func: func,
          PE: 1,
          NumChannels: channels,
          inputDataType: idt.name,
          paramDataType: pdt,
          outputDataType: odt,
          numInputVectors: vectors,
        }, freshName(graph, `ChannelwiseOp_${op.name}`)));
      };
      const addKernel = (input: string, output: string): void => addKernelBefore(op, input, output);
      const old = op.inputs[k]!;
      if (back) {
        // Kernel → Transpose → scalar op: the op runs on the kernel's side (a scalar commutes with any
        // permutation), so the Transpose does not end up between two kernels, cutting the partition.
        const { transpose, inner, innerShape } = back;
        const mid = graph.uniqueTensorName(`${op.name}_out`);
        graph.setShape(mid, innerShape, graph.getElemType(out));
        const layout = graph.getTensorLayout(inner);
        if (layout) graph.setTensorLayout(mid, layout);
        graph.setDatatypeName(mid, odt);
        addKernelBefore(transpose, inner, mid);
        graph.removeNode(op);
        graph.setInput(transpose, 0, mid);
        graph.setOutput(transpose, 0, out);
        graph.removeValueInfo(x);
        graph.setDatatypeName(x, undefined);
      } else if (wrap) wrapChannelsLast(graph, op, x, out, shape, odt, addKernel);
      else addKernel(x, out);
      if (op.graph) graph.removeNode(op);
      if (!graph.hasConsumers(old)) graph.removeInitializer(old);
      graph.setDatatypeName(out, odt);
      changed = true;
    }
    return changed;
  },
});

/** The Transpose producing `x` (read by nothing else) when its own input comes from a kernel, with that input. */
function transposeFromKernel(graph: Graph, x: string): { transpose: Node; inner: string; innerShape: number[] } | undefined {
  const t = graph.producer(x);
  if (!t || !isOnnxOp(t, 'Transpose') || graph.isGraphOutput(x) || graph.consumers(x).length !== 1) return undefined;
  const inner = t.inputs[0]!;
  const src = graph.producer(inner);
  const innerShape = staticShape(graph, inner);
  return src && isKernelNode(src) && innerShape ? { transpose: t, inner, innerShape } : undefined;
}

/** A constant that broadcasts as a scalar or along the last axis only, without growing the rank. */
function perLastAxis(dims: readonly number[], rank: number, channels: number): boolean {
  if (dims.length > rank) return false;
  const last = dims.length ? dims[dims.length - 1]! : 1;
  return dims.slice(0, -1).every((d) => d === 1) && (last === 1 || last === channels);
}

/** A constant with one value per entry of axis 1 of a rank-3/4 shape and 1 elsewhere ((1,C,1,1), (C,1,1), …). */
function perChannelFirst(dims: readonly number[], shape: readonly number[]): boolean {
  const rank = shape.length;
  if (!wrappableRank(rank) || dims.length > rank || dims.length < rank - 1) return false;
  const full = [...Array<number>(rank - dims.length).fill(1), ...dims];
  return full.every((d, i) => (i === 1 ? d === shape[1] : d === 1));
}
