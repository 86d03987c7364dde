/** Helpers for HDL generation: FINN's stream packing, memory files and Verilog text. */
export * from './pack.js';
export * from './verilog.js';
export * from './thresholds.js';
export * from './streams.js';
export * from './datapath.js';
export * from './rom-estimate.js';
export * from './mac-estimate.js';
