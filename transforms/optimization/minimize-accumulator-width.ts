import { defineTransform, makeTensor, parseDataType, tensorToNumbers, tensorToProto, z, ElemType, type Graph, type Node, type TensorValue } from '../../src/index.js';
import { hwNodeKind } from '../../src/kernel.js';
import { accumulatorRange, accumulatorTypeFor, roundToBytes, valueRange, writeAttribute, type Range } from '../../src/rewrite.js';

const options = z.object({
  /**
   * `finn` (FINN's MinimizeAccumulatorWidth): thresholds are clipped to the accumulator range
   * [acc_min, acc_max] and the type is sized from that range, and an XNOR layer's range is that of its weights
   * mapped to ±1 (−#(−1) … +#(+1) per column). `exact`: an XNOR layer's range is the popcount's [0, MW], and
   * thresholds are clipped to [acc_min, acc_max + 1] (a threshold past the maximum never fires, and stays
   * so), so the type holds every accumulator value and no threshold changes what it does.
   */
  ranges: z.enum(['finn', 'exact']).default('finn'),
});

function filled(like: TensorValue, v: number): TensorValue {
  const n = like.dims.reduce((a, b) => a * b, 1);
  return makeTensor(ElemType.FLOAT, like.dims, new Float32Array(n).fill(v));
}

/** Replaces the node's input `index` by a fresh initializer holding `data` (the old one may be shared). */
function replaceConst(g: Graph, node: Node, index: number, like: TensorValue, data: Float32Array): void {
  const old = node.inputs[index]!;
  const dt = g.getDatatypeName(old);
  const name = g.uniqueTensorName(`${node.name}_thresholds`);
  g.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, like.dims, data), name));
  g.setInput(node, index, name);
  if (dt) g.setDatatypeName(name, dt);
  if (!g.hasConsumers(old)) g.removeInitializer(old);
}

/**
 * FINN's MinimizeAccumulatorWidth: a kernel node with `accDataType`, `inputDataType` and constant weights
 * gets the accumulator type of the worst-case dot product of its weights with inputs of its input type
 * (with runtime-writeable weights: of any weights of the weight type). Its thresholds are clipped to that
 * range (`ranges`) and the type widened to hold them; the threshold tensor gets the accumulator type.
 * With noActivation the output type becomes the accumulator type, rounded up to whole bytes when the node
 * is the last of the dataflow (no hardware node reads its output). Weights are [MW, MH] (outputs are
 * columns) or [C, …] (one output per row, VVAU).
 */
export default defineTransform({
  name: 'MinimizeAccumulatorWidth',
  stage: 'optimization',
  description: 'Set accDataType of MVAU/VVAU-like kernels from the worst-case accumulator range of the actual weights',
  options,
  async apply(model, ctx) {
    const o = ctx.options as z.infer<typeof options>;
    const g = model.graph;
    const { nodes } = await ctx.hw.nodes(model, { skipUnknown: true });
    let changed = false;
    for (const kn of nodes) {
      const a = kn.view.attrs;
      if (typeof a.accDataType !== 'string' || typeof a.inputDataType !== 'string') continue;
      const w = kn.view.constantInput(1);
      if (!w) continue;
      const idt = parseDataType(a.inputDataType);
      if (!idt.isInteger()) continue;
      const columns = w.dims.length === 2;
      const xnor = a.binaryXnorMode === 1;
      let r: Range;
      if (xnor && o.ranges === 'exact') {
        const outs = columns ? w.dims[1]! : w.dims[0]!;
        r = { min: 0, max: w.data.length / outs };
      } else if (a.runtime_writeable_weights === 1 && typeof a.weightDataType === 'string') {
        const wdt = parseDataType(a.weightDataType);
        const lo = accumulatorRange(filled(w, wdt.min()), idt, columns);
        const hi = accumulatorRange(filled(w, wdt.max()), idt, columns);
        r = { min: Math.min(lo.min, hi.min), max: Math.max(lo.max, hi.max) };
      } else {
        // XNOR weights are stored as 0/1 for ±1.
        r = accumulatorRange(w, idt, columns, xnor);
      }
      const thr = a.noActivation === 0 ? kn.view.constantInput(2) : undefined;
      if (thr) {
        const hiClip = o.ranges === 'exact' ? r.max + 1 : r.max;
        const values = tensorToNumbers(thr);
        const t = valueRange(values);
        if (t.min < r.min || t.max > hiClip) {
          const clipped = Float32Array.from(values, (v) => Math.min(hiClip, Math.max(r.min, v)));
          replaceConst(g, kn.node, 2, thr, clipped);
          ctx.log.debug(`MinimizeAccumulatorWidth: ${kn.name} thresholds clipped to [${r.min}, ${hiClip}]`);
          changed = true;
          const c = valueRange(clipped);
          r = { min: Math.min(r.min, c.min), max: Math.max(r.max, c.max) };
        } else {
          r = { min: Math.min(r.min, t.min), max: Math.max(r.max, t.max) };
        }
      }
      let adt = accumulatorTypeFor(r);
      const changes: Array<[string, string]> = [];
      if (a.noActivation === 1) {
        const out = kn.node.outputs[0]!;
        if (!g.consumerNodes(out).some((c) => hwNodeKind(c) !== undefined)) adt = roundToBytes(adt);
        if (a.outputDataType !== adt.name) {
          changes.push(['outputDataType', adt.name]);
          g.setDatatypeName(out, adt.name);
          // Kernels reading this stream describe it in inputDataType (FINN's InferDataTypes updates it).
          for (const c of g.consumerNodes(out)) {
            if (c.inputs[0] === out && hwNodeKind(c) && c.attributes.some((x) => x.name === 'inputDataType')) writeAttribute(c, 'inputDataType', adt.name);
          }
        }
      } else if (thr && g.getDatatypeName(kn.node.inputs[2]!) !== adt.name) {
        g.setDatatypeName(kn.node.inputs[2]!, adt.name);
      }
      if (a.accDataType !== adt.name) changes.push(['accDataType', adt.name]);
      for (const [k, v] of changes) writeAttribute(kn.node, k, v);
      if (changes.length) {
        ctx.log.debug(`MinimizeAccumulatorWidth: ${kn.name} accumulator range [${r.min}, ${r.max}] → ${adt.name}`);
        changed = true;
      }
    }
    return changed;
  },
});
