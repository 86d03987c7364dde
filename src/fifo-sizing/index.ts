/** FIFO sizing: the dataflow model of stream behaviours, and sizing by model or by simulation. */
export * from './behaviour.js';
export * from './dataflow-model.js';
export * from './size.js';
