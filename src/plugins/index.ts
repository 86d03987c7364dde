/** The public plugin API, re-exported by the `brainsmith` package. */
export { z } from 'zod';
export { defineTransform, defineKernel, defineBackend, defineStep, declaredOf, type Marked } from './define.js';
export { transform, kernel, backend, step, type TransformMeta, type KernelMeta, type BackendMeta, type StepMeta } from './decorators.js';
export {
  STAGES,
  STAGE_ALIASES,
  CAPABILITIES,
  COMPONENT_KINDS,
  LANGUAGES,
  normalizeStage,
  type Stage,
  type Capability,
  type ComponentKind,
  type BackendLanguage,
  type PluginManifest,
  type PluginConfig,
} from './schemas.js';
export type * from './types.js';
export { openRegistry, Registry, type OpenRegistryOptions, type RegistryStats } from './registry.js';
export { ComponentEntry, type PluginRecord, type PluginStatus } from './entry.js';
export type { ComponentTable, TableProxy, FindFilter } from './table.js';
export { EventBus, HOST_EVENTS, type EventHandler } from './events.js';
export { ServiceRegistry } from './services.js';
export { applyTransform, runStep, closeRegistry, enableLifecycle, validateOptions, type ApplyResult } from './runtime.js';
export { DIAGNOSTIC_CODES, formatDiagnostic, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics.js';
export { SOURCE_KINDS, type SourceKind, type SourceInfo } from './discovery.js';
