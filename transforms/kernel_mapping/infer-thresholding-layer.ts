import { defineTransform, ElemType, getString, makeNode } from '../../src/index.js';
import { activationOf } from './_lib/activation.js';
import { channelsLast, datatypeOf, freshName, hwNode, isQonnxOp, setFloatInit, staticShape, thresholdDatatype, thresholdRows } from './_lib/hw-node.js';
import { z } from 'zod';

const options = z.strictObject({
  /**
   * Also map MultiThresholds whose input is FLOAT32 (e.g. the quantizer of a float graph input). FINN maps
   * integer inputs only; its labs' folding configs (Thresholding_rtl_0 on a float image) assume this one.
   */
  allowFloatInput: z.boolean().default(true),
});

/**
 * MultiThreshold with constant thresholds → Thresholding on a channels-last stream (FINN's
 * InferThresholdingLayer). An NCHW 4-D input gets NCHW→NHWC and back transposes (AbsorbConsecutiveTransposes
 * removes the pairs that cancel).
 */
export default defineTransform({
  name: 'InferThresholdingLayer',
  stage: 'kernel_mapping',
  description: 'MultiThreshold → Thresholding (channels last, thresholds one row per channel)',
  options,
  apply(model, ctx) {
    const graph = model.graph;
    let changed = false;
    for (const mt of graph.nodeList()) {
      if (!isQonnxOp(mt, 'MultiThreshold') || !mt.graph) continue;
      const x = mt.inputs[0]!;
      const y = mt.outputs[0]!;
      if (graph.isInitializer(x)) continue;
      const idt = datatypeOf(graph, x);
      if (!idt.isInteger() && !(ctx.options.allowFloatInput && idt.name === 'FLOAT32')) continue;
      const act = activationOf(graph, mt);
      if (typeof act === 'string') continue;
      const shape = staticShape(graph, x);
      if (!shape || shape.length === 0) continue;
      if (shape.length === 3) continue; // NCW/NWC streams are not handled
      const layout = getString(mt, 'data_layout', graph.getTensorLayout(x)?.join('') ?? 'NCHW');
      const nchw = shape.length === 4 && layout !== 'NHWC';
      const nhwc = nchw ? [shape[0]!, shape[2]!, shape[3]!, shape[1]!] : shape;
      const { vectors, channels } = channelsLast(nhwc);
      const rows = thresholdRows(act.thresholds, channels);
      if (!rows) continue;
      const steps = act.thresholds.dims[1]!;
      if (idt.isInteger() && !rows.every((v) => Number.isInteger(v))) continue;
      const tdt = thresholdDatatype(rows);
      const tName = graph.uniqueTensorName(`${mt.name || 'Thresholding'}_thresholds`);
      setFloatInit(graph, tName, [channels, steps], rows, tdt);
      let inT = x;
      let outT = y;
      if (nchw) {
        inT = graph.uniqueTensorName(`${x}_nhwc`);
        outT = graph.uniqueTensorName(`${y}_nhwc`);
        graph.setShape(inT, nhwc, graph.getElemType(x) ?? ElemType.FLOAT);
        graph.setDatatypeName(inT, idt.name);
        graph.setShape(outT, nhwc, ElemType.FLOAT);
        graph.setDatatypeName(outT, act.outputDataType);
        graph.insertBefore(mt, makeNode({ opType: 'Transpose', inputs: [x], outputs: [inT], name: freshName(graph, `${mt.name}_to_nhwc`), attributes: [{ name: 'perm', type: 7, ints: [0, 2, 3, 1] }] }));
      }
      graph.insertBefore(mt, hwNode('Thresholding', [inT, tName], [outT], {
        PE: 1,
        NumChannels: channels,
        numSteps: steps,
        inputDataType: idt.name,
        weightDataType: tdt,
        outputDataType: act.outputDataType,
        ActVal: act.actVal,
        numInputVectors: vectors,
      }, freshName(graph, `Thresholding_${mt.name}`)));
      if (nchw) {
        graph.insertBefore(mt, makeNode({ opType: 'Transpose', inputs: [outT], outputs: [y], name: freshName(graph, `${mt.name}_to_nchw`), attributes: [{ name: 'perm', type: 7, ints: [0, 3, 1, 2] }] }));
      }
      const oldT = mt.inputs[1]!;
      graph.removeNode(mt);
      if (!graph.hasConsumers(oldT)) graph.removeInitializer(oldT);
      graph.setDatatypeName(y, act.outputDataType);
      changed = true;
    }
    return changed;
  },
});
