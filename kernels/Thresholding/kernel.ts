import { defineKernel, BrainsmithError } from '../../src/index.js';
import { applyThresholds, datatype, floatTensor, numbers } from '../../src/kernel.js';
import { thresholding, thresholdingAttributes, thresholdingCycles } from './_model.js';
import { thresholdingStreamBehaviour } from './_stream-model.js';

export default defineKernel({
  name: 'Thresholding',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Multi-threshold activation on a channels-last stream',
  inferFrom: ['MultiThreshold'],
  attributeSchema: thresholdingAttributes,
  parallelism(node) {
    const a = thresholding(node);
    return { PE: { dimension: 'NumChannels', size: a.NumChannels } };
  },
  /** in = PE·A, out = PE·B. */
  streamWidths(node) {
    const a = thresholding(node);
    return { inputs: [a.PE * datatype(a.inputDataType).bitwidth()], outputs: [a.PE * datatype(a.outputDataType).bitwidth()] };
  },
  /** One word per cycle through an output register: _stream-model.ts. */
  streamBehaviour(node) {
    return thresholdingStreamBehaviour(node);
  },
  cycles(node) {
    return thresholdingCycles(thresholding(node));
  },
  inferShapes(node) {
    const a = thresholding(node);
    return [[...(node.inputShapes[0] ?? [...a.numInputVectors, a.NumChannels])]];
  },
  inferDatatypes(node) {
    return [thresholding(node).outputDataType];
  },
  /** y = number of thresholds ≤ x (per channel, last axis), then BIPOLAR 2y−1 or y + ActVal. */
  execute(inputs, attributes) {
    const a = thresholdingAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'Thresholding input 0');
    if (x!.dims[x!.dims.length - 1] !== a.NumChannels) {
      throw new BrainsmithError('E_EXEC_SHAPE', `Thresholding input has shape [${x!.dims.join(',')}], expected last axis NumChannels=${a.NumChannels}`, { kind: 'work' });
    }
    const thr = inputs[1];
    if (!thr) throw new BrainsmithError('E_EXEC_INPUT', 'Thresholding needs thresholds as input 1', { kind: 'work' });
    return [floatTensor(x!.dims, applyThresholds(xs, a.NumChannels, thr, a.outputDataType, a.ActVal))];
  },
});
