/**
 * Synthesis of generated hardware with Yosys (`synth_xilinx`): the family of a part, the script, the stat
 * parser with FINN's post_synth_resources keys, a content-hash cache per module, and a build folder's nodes
 * and top synthesized in parallel.
 */
export * from './family.js';
export * from './stat.js';
export * from './script.js';
export * from './yosys.js';
export * from './module.js';
export * from './synth-build.js';
export * from './format.js';
