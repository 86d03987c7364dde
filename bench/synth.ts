/**
 * RTL estimates against Yosys (issue 12): every configuration of bench/rtl-fit-table.ts generated, synthesized
 * (cached by content hash: a second run only reads the cache) and compared with its backend's synthEstimate.
 * One row per kernel: LUT within 15% above 100 LUT, worst LUT error, BRAM/URAM/DSP exact. Needs Yosys.
 */
import { probeNativeYosys, probeWasmYosys } from '../src/synth/index.js';
import type { Report } from './harness.js';
import { runFit, summarize } from './rtl-fit.js';
import { FIT_TABLE } from './rtl-fit-table.js';

export async function run(report: Report): Promise<void> {
  if (!(await probeNativeYosys()) && !(await probeWasmYosys())) {
    report({ suite: 'synth', name: 'RTL estimate fit', median: NaN, unit: '%', note: 'needs yosys or @yowasp/yosys' });
    return;
  }
  const t0 = Date.now();
  const rows = await runFit(FIT_TABLE, { progress: (t) => process.stderr.write(`\r\x1b[K${t.slice(0, 100)}`) });
  process.stderr.write('\r\x1b[K');
  for (const k of summarize(rows)) {
    report({
      suite: 'synth', name: `${k.kernel}: worst LUT error (${k.lutWithin}/${k.above} within 15%)`, median: Math.abs((k.worst?.lutError ?? 0) * 100), unit: '%',
      target: '<= 15', ok: k.lutWithin === k.above,
      note: `${k.configs} configs, BRAM exact ${k.bramExact}, DSP exact ${k.dspExact}${k.worst ? `; worst ${k.worst.label}` : ''}`,
    });
  }
  report({ suite: 'synth', name: `fit table: ${rows.length} configurations (${rows.filter((r) => r.cached).length} cached)`, median: (Date.now() - t0) / 1000, unit: 's' });
}
