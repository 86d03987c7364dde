import { defineTransform, getString } from '../../src/index.js';
import { activationOf } from './_lib/activation.js';
import { channelsLast, datatypeOf, freshName, hwNode, isQonnxOp, setFloatInit, staticShape, thresholdDatatype, thresholdRows } from '../../src/rewrite.js';
import { channelsLastShape, wrapChannelsLast, wrappableRank } from './_lib/nchw.js';
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
 * InferThresholdingLayer). A channels-first input (4-D NCHW, 3-D NCW: the MultiThreshold's data_layout, else the
 * tensor's layout, does not end in C) gets transposes to channels last and back (AbsorbConsecutiveTransposes
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
      const layout = getString(mt, 'data_layout', graph.getTensorLayout(x)?.join('') ?? 'NCHW');
      const channelsFirst = wrappableRank(shape.length) && !layout.endsWith('C');
      const { vectors, channels } = channelsLast(channelsFirst ? channelsLastShape(shape) : shape);
      const rows = thresholdRows(act.thresholds, channels);
      if (!rows) continue;
      const steps = act.thresholds.dims[1]!;
      if (idt.isInteger() && !rows.every((v) => Number.isInteger(v))) continue;
      const tdt = thresholdDatatype(rows);
      const tName = graph.uniqueTensorName(`${mt.name || 'Thresholding'}_thresholds`);
      setFloatInit(graph, tName, [channels, steps], rows, tdt);
      const addKernel = (input: string, output: string): void => {
        graph.insertBefore(mt, hwNode('Thresholding', [input, tName], [output], {
          PE: 1,
          NumChannels: channels,
          numSteps: steps,
          inputDataType: idt.name,
          weightDataType: tdt,
          outputDataType: act.outputDataType,
          ActVal: act.actVal,
          numInputVectors: vectors,
        }, freshName(graph, `Thresholding_${mt.name}`)));
      };
      if (channelsFirst) wrapChannelsLast(graph, mt, x, y, shape, act.outputDataType, addKernel);
      else addKernel(x, y);
      const oldT = mt.inputs[1]!;
      graph.removeNode(mt);
      if (!graph.hasConsumers(oldT)) graph.removeInitializer(oldT);
      graph.setDatatypeName(y, act.outputDataType);
      changed = true;
    }
    return changed;
  },
});
