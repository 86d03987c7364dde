/** The public plugin API, re-exported by the `brainsmith` package (host-side pieces are in `brainsmith/host`). */
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
