import { defineKernel } from '../../src/index.js';
import { floatTensor, numbers } from '../../src/kernel.js';
import { dwc, dwcAttributes } from './_model.js';
import { dwcStreamBehaviour } from './_stream-model.js';

export default defineKernel({
  name: 'StreamingDataWidthConverter',
  domain: 'finn.custom_op.fpgadataflow',
  // Inserted after FINN's estimate reports (step_set_fifo_depths): reported apart from FINN's four files.
  tags: ['stream-infrastructure'],
  description: 'Re-packs a stream from inWidth to outWidth bits per word; values pass unchanged (no parallelism parameter)',
  attributeSchema: dwcAttributes,
  parallelism() {
    return {};
  },
  streamWidths(node) {
    const a = dwc(node);
    return { inputs: [a.inWidth], outputs: [a.outWidth] };
  },
  /** Up/down conversion one word per cycle on the wider side: _stream-model.ts. */
  streamBehaviour(node) {
    return dwcStreamBehaviour(node);
  },
  /** 0: FINN gives the converter no cycle model (reference §2), so it never appears as the bottleneck. */
  cycles(node) {
    dwc(node);
    return 0;
  },
  inferShapes(node) {
    const a = dwc(node);
    return [[...(a.out_shape ?? a.shape ?? node.inputShapes[0] ?? [])]];
  },
  inferDatatypes(node) {
    return [dwc(node).dataType];
  },
  /** Identity on values; the output takes out_shape when the node names one. */
  execute(inputs, attributes) {
    const a = dwcAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'StreamingDataWidthConverter input 0');
    return [floatTensor(a.out_shape ?? x!.dims, xs)];
  },
});
