/** The terminal table of `brainsmith synth`: synthesized resources beside the compile's estimate and the backend's prediction. */
import type { ResourceEstimate } from '../plugins/types.js';
import type { ModuleSynthesis, SynthesizeBuildReport } from './synth-build.js';

/** BRAM in 18K units, as estimates count it (a RAMB36 is two). */
export function bram18Equivalent(r: Readonly<Record<string, number>> | undefined): number | undefined {
  if (!r) return undefined;
  if (r.BRAM_36K === undefined && r.BRAM_18K === undefined) return undefined;
  return 2 * (r.BRAM_36K ?? 0) + (r.BRAM_18K ?? 0);
}

const num = (v: number | undefined): string => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Relative LUT error of a prediction, `+12%`; '-' without one. */
export function lutError(synth: number, predicted: number | undefined): string {
  if (predicted === undefined) return '-';
  if (synth === 0) return predicted === 0 ? '0%' : 'n/a';
  const e = (predicted - synth) / synth;
  return `${e >= 0 ? '+' : ''}${Math.round(e * 100)}%`;
}

function row(m: ModuleSynthesis): string[] {
  const s = m.resources;
  const e: ResourceEstimate | undefined = m.estimate;
  const p: ResourceEstimate | undefined = m.synthEstimate;
  return [
    m.name,
    num(s.LUT), num(e?.LUT), num(p?.LUT), lutError(s.LUT, p?.LUT),
    num(s.FF), num(s.SRL),
    num(bram18Equivalent(s)), num(e?.BRAM_18K), num(bram18Equivalent(p) ?? p?.BRAM_18K),
    num(s.URAM), num(p?.URAM),
    num(s.DSP), num(e?.DSP), num(p?.DSP),
    m.cached ? 'cached' : `${(m.ms / 1000).toFixed(1)} s`,
  ];
}

export function formatSynthTable(r: SynthesizeBuildReport): string {
  const header = ['node', 'LUT', 'est', 'pred', 'err', 'FF', 'SRL', 'BRAM18', 'est', 'pred', 'URAM', 'pred', 'DSP', 'est', 'pred', 'yosys'];
  const rows = r.nodes.map(row);
  const total = row(r.top);
  const widths = header.map((h, i) => Math.max(h.length, ...[...rows, total].map((x) => x[i]!.length)));
  const line = (x: string[]) => x.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = line(widths.map((w) => '-'.repeat(w)));
  return [
    `synthesized for ${r.part} (synth_xilinx -family ${r.family}) with ${r.yosys.version}${r.yosys.kind === 'wasm' ? ' (WebAssembly)' : ''}, ${r.jobs} job${r.jobs === 1 ? '' : 's'}`,
    'est: the compile\'s estimate (FINN\'s formulas); pred: the backend\'s synthEstimate (its estimate when it has none); BRAM18 counts a RAMB36 as two',
    '',
    line(header),
    rule,
    ...rows.map(line),
    rule,
    line(total),
  ].join('\n');
}
