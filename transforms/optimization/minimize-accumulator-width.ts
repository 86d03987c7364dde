import { defineTransform, makeTensor, parseDataType, tensorToNumbers, ElemType, type TensorValue } from '../../src/index.js';
import { hwNodeKind } from '../../src/kernel.js';
import { accumulatorRange, accumulatorTypeFor, roundToBytes, valueRange, writeAttribute, type Range } from '../../src/rewrite.js';

function filled(like: TensorValue, v: number): TensorValue {
  const n = like.dims.reduce((a, b) => a * b, 1);
  return makeTensor(ElemType.FLOAT, like.dims, new Float32Array(n).fill(v));
}

/**
 * FINN's MinimizeAccumulatorWidth: a kernel node with `accDataType`, `inputDataType` and constant weights
 * gets the accumulator type of the worst-case dot product of its weights with inputs of its input type
 * (with runtime-writeable weights: of any weights of the weight type), widened to hold its thresholds.
 * With noActivation the output type becomes the accumulator type (rounded up to whole bytes at a graph
 * output). Weights are [MW, MH] (outputs are columns) or [C, …] (one output per row, VVAU).
 */
export default defineTransform({
  name: 'MinimizeAccumulatorWidth',
  stage: 'optimization',
  description: 'Set accDataType of MVAU/VVAU-like kernels from the worst-case accumulator range of the actual weights',
  async apply(model, ctx) {
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
      let r: Range;
      if (a.binaryXnorMode === 1) {
        const outs = columns ? w.dims[1]! : w.dims[0]!;
        r = { min: 0, max: tensorToNumbers(w).length / outs };
      } else if (a.runtime_writeable_weights === 1 && typeof a.weightDataType === 'string') {
        const wdt = parseDataType(a.weightDataType);
        const lo = accumulatorRange(filled(w, wdt.min()), idt, columns);
        const hi = accumulatorRange(filled(w, wdt.max()), idt, columns);
        r = { min: Math.min(lo.min, hi.min), max: Math.max(lo.max, hi.max) };
      } else {
        r = accumulatorRange(w, idt, columns);
      }
      const thr = a.noActivation === 0 ? kn.view.constantInput(2) : undefined;
      if (thr) {
        const t = valueRange(tensorToNumbers(thr));
        r = { min: Math.min(r.min, t.min), max: Math.max(r.max, t.max) };
      }
      let adt = accumulatorTypeFor(r);
      const changes: Array<[string, string]> = [];
      if (a.noActivation === 1) {
        const out = kn.node.outputs[0]!;
        if (g.isGraphOutput(out) || !g.hasConsumers(out)) adt = roundToBytes(adt);
        if (a.outputDataType !== adt.name) {
          changes.push(['outputDataType', adt.name]);
          g.setDatatypeName(out, adt.name);
          // Kernels reading this stream describe it in inputDataType (FINN's InferDataTypes updates it).
          for (const c of g.consumerNodes(out)) {
            if (c.inputs[0] === out && hwNodeKind(c) && c.attributes.some((x) => x.name === 'inputDataType')) writeAttribute(c, 'inputDataType', adt.name);
          }
        }
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
