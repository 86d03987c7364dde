/**
 * `brainsmith/kernel`: the kit for writing kernel and backend plugins. Attribute schema pieces every FINN
 * hardware op shares, datatype and tensor helpers for `execute`, FINN's memory-primitive formulas for
 * estimates, FPGA targets, and the binding layer's types. Built-in kernels use exactly this.
 */
export * from './hw/kernel-lib.js';
export { bram18Count, uramCount, bramEfficiency, uramEfficiency, resources, synthResources } from './estimate/memory.js';
export { divisors } from './util/divisors.js';
export { BOARD_PARTS, KNOWN_BOARDS, boardPart, dspFamilyOf, isVersalPart, resolveTarget } from './estimate/boards.js';
export { hwNodeKind, reportNames, type HwNodeKind } from './hw/hw-nodes.js';
export { decodeAttribute, decodeAttributes } from './hw/node-view.js';
export type {
  KernelNodeView, FpgaTarget, ParallelismParam, StreamWidths, StreamBehaviour, StreamRule, StreamOrder, ResourceEstimate, GeneratedNode,
  KernelDeclaration, BackendDeclaration, KernelAttributeSpec,
} from './plugins/types.js';
export type { HwApi, BoundNode, BindOptions, NodesOptions, BackendChoice, BackendPreferences } from './hw/types.js';
export * from './hdl/index.js';
export { streamWords, reduceRules, reduceBehaviour } from './fifo-sizing/behaviour.js';
