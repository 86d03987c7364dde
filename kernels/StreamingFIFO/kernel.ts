import { defineKernel } from '../../src/index.js';
import { floatTensor, numbers } from '../../src/kernel.js';
import { fifo, fifoAttributes, fifoWidth } from './_model.js';
import { fifoStreamBehaviour } from './_stream-model.js';

export default defineKernel({
  name: 'StreamingFIFO',
  domain: 'finn.custom_op.fpgadataflow',
  // Inserted after FINN's estimate reports (step_set_fifo_depths): reported apart from FINN's four files.
  tags: ['stream-infrastructure'],
  description: 'FIFO between two kernels (depth words of the stream width; no parallelism parameter)',
  attributeSchema: fifoAttributes,
  parallelism() {
    return {};
  },
  /** folded_shape[-1]·bits on both sides. */
  streamWidths(node) {
    const w = fifoWidth(fifo(node));
    return { inputs: [w], outputs: [w] };
  },
  /** 0: FINN does not count FIFOs in the cycle estimate (reference §2). */
  cycles() {
    return 0;
  },
  /** A word moves through in one cycle; FIFO sizing measures and sets `depth` (_stream-model.ts). */
  streamBehaviour(node) {
    return fifoStreamBehaviour(node);
  },
  inferShapes(node) {
    const a = fifo(node);
    return [[...(node.inputShapes[0] ?? a.normal_shape ?? a.folded_shape)]];
  },
  inferDatatypes(node) {
    return [fifo(node).dataType];
  },
  /** Identity. */
  execute(inputs) {
    const x = inputs[0];
    return [floatTensor(x?.dims ?? [], numbers(x, 'StreamingFIFO input 0'))];
  },
});
