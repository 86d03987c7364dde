/**
 * The least-squares fit of the RTL estimates' datapath weights (MAC_LUT_WEIGHTS in src/hdl/mac-estimate.ts,
 * THRESHOLDING_LUT_WEIGHTS in kernels/Thresholding/_rtl-estimate.ts) on the synthesized fit table:
 * `node dist/bench/rtl-fit.js --json-out rows.json` first (Yosys results, cached), then
 * `node dist/bench/rtl-fit-weights.js rows.json mac|thresholding [TERM…]` refits the named terms (all of the
 * group's terms without names, none with `-`), the others held at their current weights, and prints the weights and each
 * row's error. Each row counts by its relative error (predicted / synth − 1), rows above LUT_FLOOR only, as
 * the targets do; `--minimax` reweights the squares iteratively toward the worst rows (an L∞-like fit), except
 * rows beyond 1.5 × the tolerance.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LUT_FLOOR, LUT_TOLERANCE, fitView, type FitRow } from './rtl-fit.js';
import { FIT_TABLE } from './rtl-fit-table.js';
import { MAC_LUT_WEIGHTS, macLutParts, weightedTerms } from '../src/hdl/mac-estimate.js';
import { mvauMacSpec } from '../kernels/MVAU/_rtl-estimate.js';
import { vvauMacSpec } from '../kernels/VVAU/_rtl-estimate.js';
import { THRESHOLDING_LUT_WEIGHTS, thresholdingTerms } from '../kernels/Thresholding/_rtl-estimate.js';

/** One row of a weight fit: LUTs not weighted (ROMs), the datapath's terms, what Yosys gave. */
export interface WeightRow { label: string; fixed: number; terms: Record<string, number>; synth: number }

/** Solves A x = b (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    if (Math.abs(m[c]![c]!) < 1e-12) throw new Error(`term ${c} does not occur in the rows: no fit`);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((r, i) => r[n]! / r[i]!);
}

/**
 * Weights of `free` minimizing Σ rowWeight · ((fixed + Σ w·terms) / synth − 1)², the other terms at `held`.
 * `minimax`: repeated with each row's weight grown by its error's square (an L∞-like fit).
 */
export function fitWeights(rows: readonly WeightRow[], free: readonly string[], held: Record<string, number>, minimax = false): Record<string, number> {
  let rowWeight = rows.map(() => 1);
  let w: Record<string, number> = {};
  for (let round = 0; round < (minimax ? 30 : 1); round++) {
    const ata = free.map(() => free.map(() => 0));
    const atb = free.map(() => 0);
    rows.forEach((r, i) => {
      const x = free.map((k) => (r.terms[k] ?? 0) / r.synth);
      const heldPart = Object.entries(r.terms).filter(([k]) => !free.includes(k)).reduce((s, [k, v]) => s + (held[k] ?? 0) * v, 0);
      const y = 1 - (r.fixed + heldPart) / r.synth;
      for (let p = 0; p < free.length; p++) {
        atb[p]! += rowWeight[i]! * x[p]! * y;
        for (let q = 0; q < free.length; q++) ata[p]![q]! += rowWeight[i]! * x[p]! * x[q]!;
      }
    });
    const x = free.length ? solve(ata, atb) : [];
    w = { ...held, ...Object.fromEntries(free.map((k, i) => [k, x[i]!])) };
    const errs = rows.map((r) => (r.fixed + weightedTerms(r.terms, w)) / r.synth - 1);
    // Rows far outside (what no weight brings in) keep their weight, so they do not steer the others.
    rowWeight = rowWeight.map((v, i) => (Math.abs(errs[i]!) > 1.5 * LUT_TOLERANCE ? v : v * (1 + (errs[i]! / LUT_TOLERANCE) ** 2)));
    const s = rowWeight.reduce((a, b) => a + b, 0) / rowWeight.length;
    rowWeight = rowWeight.map((v) => v / s);
  }
  return w;
}

/** The weight rows of a group from a --json-out file of rtl-fit (rows above LUT_FLOOR of its kernels). */
export async function weightRows(fit: readonly FitRow[], group: 'mac' | 'thresholding'): Promise<WeightRow[]> {
  const kernels = group === 'mac' ? ['MVAU', 'VVAU'] : ['Thresholding'];
  const out: WeightRow[] = [];
  for (const r of fit) {
    if (!kernels.includes(r.kernel) || r.synth.LUT <= LUT_FLOOR) continue;
    const c = FIT_TABLE.find((x) => x.label === r.label);
    if (!c) continue;
    const view = await fitView(c);
    if (group === 'thresholding') {
      const t = thresholdingTerms(view);
      out.push({ label: r.label, fixed: t.rom.LUT, terms: t.terms, synth: r.synth.LUT });
    } else {
      const p = macLutParts(c.kernel === 'MVAU' ? mvauMacSpec(view) : vvauMacSpec(view));
      out.push({ label: r.label, fixed: p.rom, terms: p.terms, synth: r.synth.LUT });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const minimax = args.includes('--minimax');
  const [file, group, ...names] = args.filter((a) => a !== '--minimax');
  if (!file || (group !== 'mac' && group !== 'thresholding')) throw new Error('usage: rtl-fit-weights.js rows.json mac|thresholding [TERM…|-] [--minimax]');
  const rows = await weightRows(JSON.parse(readFileSync(file, 'utf8')) as FitRow[], group);
  const held = group === 'mac' ? MAC_LUT_WEIGHTS : THRESHOLDING_LUT_WEIGHTS;
  // Named terms that no row has are held (`-` alone: every weight held, the current fit's errors).
  const occurring = [...new Set(rows.flatMap((r) => Object.keys(r.terms)))];
  const free = names.length ? names.filter((n) => occurring.includes(n)) : occurring;
  const w = fitWeights(rows, free, held, minimax);
  let within = 0;
  for (const r of rows) {
    const e = (r.fixed + weightedTerms(r.terms, w)) / r.synth - 1;
    if (Math.abs(e) <= LUT_TOLERANCE) within++;
    process.stdout.write(`${r.label}: ${Math.round(r.fixed + weightedTerms(r.terms, w))} vs ${r.synth} (${(e * 100).toFixed(1)}%)${Math.abs(e) > LUT_TOLERANCE ? ' ✗' : ''}\n`);
  }
  process.stdout.write(`${within} of ${rows.length} within ${LUT_TOLERANCE * 100}%\n${JSON.stringify(Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Number(v.toFixed(3))])))}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
