/**
 * Diagnostics: what discovery, loading and `plugins check` report. Codes are stable (scripts and docs
 * refer to them); docs/PLUGINS.md has the table.
 */
export type Severity = 'error' | 'warning' | 'info';

export const DIAGNOSTIC_CODES = {
  E_CONFIG_INVALID: 'brainsmith.config.json is not valid JSON or its plugins section does not match the schema',
  E_PLUGIN_PATH_MISSING: 'a plugin folder named in the config or BRAINSMITH_PLUGIN_PATH does not exist',
  E_MANIFEST_INVALID: 'brainsmith-plugin.json (or a package.json brainsmith field) is not valid JSON or does not match the schema',
  E_MANIFEST_MODULE_MISSING: 'a file listed in the manifest modules does not exist',
  E_PLUGIN_SYNTAX: 'a plugin file does not parse',
  E_PLUGIN_IMPORT: 'a plugin file threw while it was imported',
  E_PLUGIN_MISSING_MODULE: 'a plugin file imports a module that cannot be found',
  E_PLUGIN_METADATA: 'declared metadata is invalid (missing or unknown stage, empty name, unknown key, wrong type)',
  E_PLUGIN_EXPORT: 'a plugin file exports no component, or its default export is not a declared component',
  E_PLUGIN_DUPLICATE: 'the same qualified name namespace:name is declared twice',
  E_PLUGIN_HOST_RANGE: 'the plugin does not support this brainsmith version',
  E_PLUGIN_REQUIRES: 'a required plugin is missing or has a version outside the required range',
  E_PLUGIN_HOOK: 'a setup or teardown hook threw',
  E_PLUGIN_LOAD_CHANGED: 'the file changed since it was listed and no longer declares the component',
  E_EXAMPLE_FAILED: 'a transform example failed: load, apply, verify, a second application changed the model again, or the outputs changed',
  W_EXAMPLE_NOT_EXECUTED: 'a transform example could not be executed natively, so its outputs were not compared',
  W_PLUGIN_SHADOWED: 'a short name is defined in two namespaces and the winner does not declare overrides',
  W_CAPABILITY_NOT_GRANTED: 'the manifest asks for a capability that the project config does not grant',
  W_CAPABILITY_NOT_ASKED: 'the project config grants a capability that the manifest does not ask for',
  W_BACKEND_UNKNOWN_KERNEL: 'a backend names a kernel that no plugin declares',
  W_OVERRIDES_NOTHING: 'overrides names a component that does not exist',
  I_PLUGIN_DISABLED: 'the plugin is disabled (manifest enabled: false, or listed in the config plugins.disabled)',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  plugin?: string;
  file?: string;
  line?: number;
}

export function severityOf(code: DiagnosticCode): Severity {
  return code.startsWith('E_') ? 'error' : code.startsWith('W_') ? 'warning' : 'info';
}

export function diag(code: DiagnosticCode, message: string, extra: Omit<Diagnostic, 'code' | 'severity' | 'message'> = {}): Diagnostic {
  return { code, severity: severityOf(code), message, ...extra };
}

/** `file:line: severity CODE message`, like a linter. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : d.plugin ? `${d.plugin}: ` : '';
  return `${where}${d.severity} ${d.code} ${d.message}`;
}
