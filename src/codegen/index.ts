/** Code generation: the dataflow partition, each node's backend `generate`, the stitched top and project files. */
export * from './design.js';
export * from './generate.js';
export * from './node-backend.js';
export * from './partition.js';
export * from './project-files.js';
export * from './stitch.js';
