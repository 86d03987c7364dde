import type { ModelSummary, TensorSummary } from './summary.js';
import { formatShape } from '../ir/shape.js';

function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

function tensorLine(t: TensorSummary): string {
  const parts = [`  ${t.name}`, t.elemType, t.shape ? formatShape(t.shape) : 'shape unknown'];
  if (t.datatype) parts.push(`datatype ${t.datatype}`);
  if (t.layout) parts.push(`layout ${t.layout.join('')}`);
  return parts.join('  ');
}

/** The human-readable report of `brainsmith inspect`. */
export function formatSummary(s: ModelSummary): string {
  const lines: string[] = [];
  if (s.file) lines.push(`${s.file}  (${humanBytes(s.fileBytes ?? 0)})`);
  const producer = [s.producer.name, s.producer.version].filter(Boolean).join(' ') || 'unknown producer';
  lines.push(`format ${s.format}  IR ${s.irVersion}  ${producer}  graph "${s.graphName}"`);
  lines.push(`opsets: ${s.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ') || 'none'}`);
  lines.push(`inputs (${s.inputs.length}):`, ...s.inputs.map(tensorLine));
  lines.push(`outputs (${s.outputs.length}):`, ...s.outputs.map(tensorLine));
  lines.push(`nodes: ${s.nodeCount}`);
  let domain: string | undefined;
  for (const op of s.ops) {
    if (op.domain !== domain) {
      domain = op.domain;
      const alias = op.normalizedDomain !== op.domain ? ` (= ${op.normalizedDomain || 'ai.onnx'})` : '';
      lines.push(`  ${op.domain || 'ai.onnx'}${alias} [${op.kind}]`);
    }
    lines.push(`    ${op.opType.padEnd(28)} ${String(op.count).padStart(6)}`);
  }
  const init = s.initializers;
  const extra = [init.external ? `${init.external} external` : '', init.sparse ? `${init.sparse} sparse` : ''].filter(Boolean).join(', ');
  lines.push(`initializers: ${init.count} (${humanBytes(init.bytes)})${extra ? `, ${extra}` : ''}`);
  const dts = Object.entries(s.datatypes).sort(([a], [b]) => a.localeCompare(b));
  if (dts.length) lines.push(`datatype annotations: ${dts.map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  if (s.customDomains.length) lines.push(`custom domains: ${s.customDomains.join(', ')}`);
  if (s.functions) lines.push(`functions: ${s.functions}`);
  if (s.verifier.findings.length === 0) lines.push('verifier: ok');
  else {
    lines.push(`verifier: ${s.verifier.errors} error(s), ${s.verifier.warnings} warning(s)`);
    for (const f of s.verifier.findings) lines.push(`  ${f.severity} ${f.code}: ${f.message}`);
  }
  return lines.join('\n');
}
