/**
 * report/index.html: one self-contained file (styles, data, the layout library and the drawing code are
 * inline; nothing is fetched), so it can be mailed, archived or opened from a build server's artifacts.
 * A pure function of the report data and the layout library's source.
 */
import { CLIENT_JS } from './client.js';
import type { ReportData } from './data.js';

const STYLE = `
:root { --fg:#1d2330; --muted:#667085; --line:#d0d5dd; --bg:#fff; --soft:#f5f7fa; --accent:#c4320a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: var(--soft); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .meta { color: var(--muted); }
main { padding: 8px 24px 32px; max-width: 1400px; }
section { margin-top: 20px; }
h2 { font-size: 16px; margin: 0 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 150px; background: var(--bg); }
.card .k { color: var(--muted); font-size: 12px; }
.card .v { font-size: 18px; font-weight: 600; }
.card.bad .v { color: var(--accent); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: right; }
th:first-child, td:first-child, td.l, th.l { text-align: left; }
th { background: var(--soft); font-weight: 600; }
tr.total td { font-weight: 600; border-top: 2px solid var(--fg); }
tr.bottleneck td { color: var(--accent); font-weight: 600; }
#graph-view { overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); max-height: 1100px; }
svg text { font-family: inherit; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 2px 10px; align-items: center; }
.bar { height: 14px; background: #98a2b3; border-radius: 2px; min-width: 1px; }
.bar.bottleneck { background: var(--accent); }
.name.bottleneck { color: var(--accent); font-weight: 600; }
.muted { color: var(--muted); }
.ok { color: #067647; font-weight: 600; }
.fail { color: var(--accent); font-weight: 600; }
.legend span { display: inline-block; margin-right: 12px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
`;

/** JSON inside a <script> element: `</script>` and `<!--` in strings must not end or comment it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The layout library's code, made safe to inline (no source map reference, no early </script>). */
function inlineScript(code: string): string {
  return code.replace(/^\/\/# sourceMappingURL=.*$/gm, '').replace(/<\/script/gi, '<\\/script');
}

export function renderReportHtml(data: ReportData, layoutLibrary: string): string {
  const name = data.model.split(/[\\/]/).pop() ?? data.model;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Brainsmith report: ${escapeHtml(name)}</title>
<style>${STYLE}</style>
</head>
<body data-status="loading">
<header><h1>${escapeHtml(name)}</h1><div class="meta" id="meta"></div></header>
<main>
<section id="summary"><h2>Summary</h2><div class="cards" id="cards"></div></section>
<section id="graph"><h2>Dataflow graph</h2><div class="legend" id="legend"></div><div id="graph-view"></div></section>
<section id="cycles"><h2>Cycles per node</h2><div class="bars" id="cycle-bars"></div></section>
<section id="resources"><h2>Resources</h2><div id="resource-table"></div></section>
<section id="folding"><h2>Folding</h2><div id="folding-table"></div></section>
<section id="verification"><h2>Verification</h2><div id="verification-view"></div></section>
<section id="simulation"><h2>Simulation</h2><div id="simulation-view"></div></section>
<section id="synthesis"><h2>Synthesis</h2><div id="synthesis-view"></div></section>
<section id="timing"><h2>Compile time per stage</h2><div id="timing-view"></div></section>
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>/* @dagrejs/dagre (MIT licence), graph layout */
${inlineScript(layoutLibrary)}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
