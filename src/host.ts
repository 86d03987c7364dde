/**
 * `brainsmith/host`: what a program that drives the compiler needs and a plugin does not. Opening the plugin
 * registry, running blueprints and plans, compiling, the protobuf codecs and external-data plumbing, model
 * summaries and the `.npy` codec.
 */
export * from './onnx/index.js';
export { openRegistry, Registry, type OpenRegistryOptions, type RegistryStats } from './plugins/registry.js';
export { ComponentEntry, type PluginRecord, type PluginStatus } from './plugins/entry.js';
export type { ComponentTable, TableProxy, FindFilter } from './plugins/table.js';
export { EventBus, HOST_EVENTS, type EventHandler } from './plugins/events.js';
export { ServiceRegistry } from './plugins/services.js';
export { applyTransform, runStep, closeRegistry, enableLifecycle, validateOptions, type ApplyResult } from './plugins/runtime.js';
export { DIAGNOSTIC_CODES, formatDiagnostic, type Diagnostic, type DiagnosticCode, type Severity } from './plugins/diagnostics.js';
export { SOURCE_KINDS, type SourceKind, type SourceInfo } from './plugins/discovery.js';
export { HwBinding } from './hw/binding.js';
export { summarizeModel, type ModelSummary } from './inspect/summary.js';
export { decodeNpy, encodeNpy } from './exec/npy.js';
export { compile, type CompileOptions, type CompileSummary } from './pipeline/compile.js';
export { loadBlueprint } from './pipeline/blueprint-load.js';
export type { Blueprint } from './pipeline/blueprint-schema.js';
export { buildPlan, type Plan } from './pipeline/plan.js';
export { runPlan } from './pipeline/pass-manager.js';
export { estimateModel, writeEstimateReports, formatEstimateSummary, REPORT_FILES, type ModelEstimate, type NodeEstimate, type EstimateOptions } from './estimate/index.js';
