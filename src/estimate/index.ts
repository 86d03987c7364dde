/** Analytical estimates of hardware nodes: targets, memory primitives, per-node costs and network figures. */
export type { KernelNodeView, FpgaTarget } from "../plugins/types.js";
export { BOARD_PARTS, KNOWN_BOARDS, boardPart, dspFamilyOf, isVersalPart, resolveTarget } from './boards.js';
export { bram18Count, uramCount, bramEfficiency, uramEfficiency, divisors, resources } from './memory.js';
export { buildNodeView, decodeAttribute, decodeAttributes } from '../hw/node-view.js';
export { hwNodeKind, reportNames, type HwNodeKind } from '../hw/hw-nodes.js';
export { networkPerformance, totalOf, type NetworkPerformance, type PerfNode } from './performance.js';
export { estimateModel, type ModelEstimate, type NodeEstimate, type EstimateOptions } from './estimate.js';
export { writeEstimateReports, formatEstimateSummary, REPORT_FILES } from './reports.js';
export * from '../hw/kernel-lib.js';
