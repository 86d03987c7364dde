/** Writes report/index.html of a build folder (atomically: a half-written page is never left behind). */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Model } from '../ir/model.js';
import type { CompileSummary } from '../pipeline/compile.js';
import type { Registry } from '../plugins/registry.js';
import type { FpgaTarget } from '../plugins/types.js';
import { reportData } from './data.js';
import { reportGraph } from './graph.js';
import { renderReportHtml } from './html.js';

export const REPORT_HTML = path.join('report', 'index.html');

let layoutLibrary: string | undefined;
/** dagre's browser build, inlined into the page. */
function dagreSource(): string {
  if (layoutLibrary === undefined) {
    const req = createRequire(import.meta.url);
    const dir = path.dirname(req.resolve('@dagrejs/dagre/package.json'));
    layoutLibrary = readFileSync(path.join(dir, 'dist', 'dagre.min.js'), 'utf8');
  }
  return layoutLibrary;
}

/** Renders and writes `dir`/report/index.html; returns its path. */
export async function writeReport(dir: string, model: Model, reg: Registry | undefined, summary: CompileSummary): Promise<string> {
  const target: FpgaTarget = { part: summary.target.part, board: summary.target.board, dspFamily: summary.target.dspFamily as FpgaTarget['dspFamily'], versal: summary.estimate?.target.versal ?? false };
  const graph = await reportGraph(model, reg, target);
  const html = renderReportHtml(reportData(dir, summary, graph), dagreSource());
  const file = path.join(dir, REPORT_HTML);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, file);
  return file;
}
