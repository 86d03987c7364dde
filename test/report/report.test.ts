import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BOARD_PARTS, deviceCapacity } from '../../src/estimate/boards.js';
import { renderReportHtml } from '../../src/report/html.js';
import type { ReportData } from '../../src/report/data.js';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
const skipNoChromium: string | false = CHROMIUM ? false : 'needs headless chromium (apt-get install chromium), absent here';

test('every board in the table has its device capacity', () => {
  for (const [board, part] of Object.entries(BOARD_PARTS)) {
    const c = deviceCapacity(part);
    assert.ok(c, `${board} (${part}) has no capacity`);
    assert.ok(c.LUT > 0 && c.FF > 0 && c.BRAM_18K > 0 && c.DSP > 0, board);
  }
  assert.equal(deviceCapacity('xc7z020clg400-1')?.LUT, 53_200);
  assert.equal(deviceCapacity('xcnothing-1'), undefined);
});

test('the page is self-contained and data cannot close its script element', () => {
  const data: ReportData = {
    model: '/m/</script><script>alert(1)</script>.onnx', output: '/o', blueprint: 'default',
    target: { part: 'xc7z020clg400-1', dspFamily: 'DSP48E1', clockNs: 10 },
    graph: { nodes: [], edges: [] }, stages: [], unreadable: {},
  };
  const html = renderReportHtml(data, 'var dagre = {};\n//# sourceMappingURL=dagre.min.js.map');
  assert.doesNotMatch(html, /<(?:script|img|link|iframe)[^>]+(?:src|href)=/i, 'nothing is loaded from elsewhere');
  assert.doesNotMatch(html, /sourceMappingURL/);
  assert.equal(html.match(/<\/script>/g)?.length, 3, 'data, layout library, drawing code');
  assert.ok(!html.includes('<script>alert(1)'));
});

/** Opens the page in headless chromium: the DOM after its scripts ran, and what they logged. */
function render(file: string, screenshot: string): { body: string; console: string[] } {
  const common = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--enable-logging=stderr', '--v=0'];
  const dom = spawnSync(CHROMIUM!, [...common, '--dump-dom', pathToFileURL(file).href], { encoding: 'utf8', timeout: 120_000 });
  spawnSync(CHROMIUM!, [...common, '--window-size=1280,2400', `--screenshot=${screenshot}`, pathToFileURL(file).href], { encoding: 'utf8', timeout: 120_000 });
  return { body: /<body[^>]*>/.exec(dom.stdout)?.[0] ?? '', console: dom.stderr.split('\n').filter((l) => l.includes(':CONSOLE')) };
}

for (const [name, model] of [['tfc', 'tfc-w1a1.onnx'], ['gtsrb', 'gtsrb_12x12_w2a3_c12x24x36.onnx']] as const) {
  test(`report/index.html of ${name} renders in chromium: no console errors, one box per hardware node`, { skip: skipNoShared || skipNoChromium }, (t) => {
    const out = path.join(tempDir('bs-report-'), name);
    const r = runCli(['compile', shared('labs', model), '-o', out, '--board', 'Pynq-Z2', '--clock-ns', '10', '--target-fps', '100000', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { report?: string; estimate: { nodes: unknown[] } };
    assert.equal(summary.report, path.join('report', 'index.html'));
    const file = path.join(out, 'report', 'index.html');
    // Results a later step writes are shown when present: regenerate with a simulation result beside it.
    writeFileSync(path.join(out, 'report', 'rtlsim_performance.json'), JSON.stringify({ cycles: 1234, 'throughput[images/s]': 81037, N: 1, latency_cycles: 3400 }));
    const again = runCli(['report', out, '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { report: string }).report, file);
    assert.match(readFileSync(file, 'utf8'), /throughput\[images\/s\]/);
    const shot = path.join(os.tmpdir(), `brainsmith-report-${name}.png`);
    const { body, console } = render(file, shot);
    assert.deepEqual(console, [], 'console output');
    assert.match(body, /data-status="ok"/, body);
    assert.doesNotMatch(body, /data-errors/, body);
    assert.match(body, new RegExp(`data-hw-nodes="${summary.estimate.nodes.length}"`), body);
    assert.ok(existsSync(shot));
    t.diagnostic(`screenshot: ${shot}`);
  });
}

test('report on a folder that is not a build is a one-line error', () => {
  const r = runCli(['report', tempDir('bs-report-empty-')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^brainsmith: error: .*not a finished brainsmith build/);
});
