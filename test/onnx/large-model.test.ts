import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeModelProto } from '../../src/onnx/codec.js';
import { modelWithInitializers } from './synthetic.js';

const RAW_BYTES = 128 * 1024 * 1024;
/** Allowance for the decoded proto objects, the module code and allocator slack. */
const SLACK = 48 * 1024 * 1024;

/**
 * Runs in a fresh process so that the measurement sees only the load. Peak RSS comes from /proc's VmHWM
 * (per address space; getrusage's maxRSS would include the parent's peak, inherited across exec).
 * Prints one JSON line.
 */
const CHILD = `
import * as fs from 'node:fs';
const { loadModel } = await import(process.argv[1]);
const file = process.argv[2];
const peakRss = () => {
  const m = /VmHWM:\\s*(\\d+) kB/.exec(fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '');
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
};
globalThis.gc?.();
const before = process.memoryUsage();
const model = await loadModel(file);
const after = process.memoryUsage();
const raw = model.proto.graph.initializer[0].raw_data;
console.log(JSON.stringify({
  size: fs.statSync(file).size,
  rssGrowth: Math.max(after.rss, peakRss()) - before.rss,
  arrayBuffersGrowth: after.arrayBuffers - before.arrayBuffers,
  rawLength: raw.length,
  rawBufferLength: raw.buffer.byteLength,
  rawOffset: raw.byteOffset,
}));
`;

test('a 128 MB raw_data model loads in about its own size, raw_data a view into the file buffer', { timeout: 120_000 }, (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-large-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'large.onnx');
  const raw = new Uint8Array(RAW_BYTES);
  for (let i = 0; i < raw.length; i += 4096) raw[i] = i >>> 12;
  fs.writeFileSync(file, encodeModelProto(modelWithInitializers([{ name: 'w', data_type: 2, dims: [RAW_BYTES], raw_data: raw }])));

  const loadUrl = new URL('../../src/onnx/load.js', import.meta.url).href;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD, loadUrl, file], { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  t.diagnostic(`file ${(r['size']! / 2 ** 20).toFixed(1)} MiB: rss +${(r['rssGrowth']! / 2 ** 20).toFixed(1)} MiB, arrayBuffers +${(r['arrayBuffersGrowth']! / 2 ** 20).toFixed(1)} MiB`);

  const size = r['size']!;
  assert.equal(r['rawLength'], RAW_BYTES);
  // A view: its backing buffer is the whole file buffer, not a copy of the tensor.
  assert.equal(r['rawBufferLength'], size);
  assert.ok(r['rawOffset']! > 0 && r['rawOffset']! + RAW_BYTES <= size);
  assert.ok(r['arrayBuffersGrowth']! <= 1.5 * size + SLACK, `arrayBuffers grew ${r['arrayBuffersGrowth']} for a ${size}-byte file`);
  assert.ok(r['rssGrowth']! <= 1.5 * size + SLACK, `RSS grew ${r['rssGrowth']} for a ${size}-byte file`);
});
