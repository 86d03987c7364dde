/** Folding and the optimization stage's core: SetFolding, FINN folding configs, stream edges, bit widths. */
export type { FoldableNode, FoldParam } from './foldable.js';
export { setFolding, targetCyclesFor, DEFAULT_WWIDTH_MAX, type SetFoldingOptions, type FoldingResult } from './set-folding.js';
export { foldModel, foldableNodes, type FoldModelOptions, type FoldModelResult } from './fold-model.js';
export { writeAttribute } from './write-attribute.js';
export {
  parseFoldingConfig, readFoldingConfig, applyFoldingConfig, checkLegalFolding, foldingConfigOf, formatFoldingConfig,
  FOLDING_CONFIG_ATTRIBUTES, type FoldingConfig, type FinnFoldingJson, type ApplyConfigResult, type ConfigValue,
} from './folding-config.js';
export { hwEdges, insertIntoEdge, uniqueNodeName, foldedShape, type HwEdge } from './edges.js';
export { valueRange, weightTypeFor, finnWeightTypeFor, accumulatorRange, accumulatorTypeFor, roundToBytes, type Range } from './bit-width.js';
