import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../src/ir/model.js';
import { decodeModelProto, encodeModelProto, encodeModelProtoChunks } from '../src/onnx/codec.js';
import { loadModel } from '../src/onnx/load.js';
import { saveModel } from '../src/onnx/save.js';
import { hasShared, shared } from '../test/helpers/paths.js';
import { floatDataTensor, modelWithInitializers } from '../test/onnx/synthetic.js';
import { median, timeRuns, type Report } from './harness.js';

/**
 * ONNX model IO: load/save of the light reference networks, codec throughput on generated weight-heavy
 * models, and the memory needed to load a 1 GB model. Generated files live in os.tmpdir() and are removed.
 */

const SUITE = 'io';
const MiB = 2 ** 20;
const GB = 1e9;

export async function run(report: Report): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-bench-io-'));
  try {
    await lightModels(report, tmp);
    rawDataCodec(report);
    floatDataCodec(report);
    await rawDataLoad(report, tmp, 256 * MiB, 'load 256 MB raw_data model from file');
    await largeModelMemory(report, tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function lightModels(report: Report, tmp: string): Promise<void> {
  if (!hasShared) {
    report({ suite: SUITE, name: 'light models load/save', median: NaN, unit: 'ms', note: 'skipped: ../shared/fixtures absent' });
    return;
  }
  const dir = shared('onnx-backend', 'light');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort();
  let loadTotal = 0, saveTotal = 0;
  for (const f of files) {
    const file = path.join(dir, f);
    const name = f.replace(/^light_|\.onnx$/g, '');
    const size = fs.statSync(file).size;
    const loads = await timeRuns(() => loadModel(file), 15, 3);
    const model = await loadModel(file);
    const out = path.join(tmp, f);
    const saves = await timeRuns(() => saveModel(model, out), 15, 3);
    report({ suite: SUITE, name: `load ${name} (${(size / 1024).toFixed(0)} KiB)`, median: median(loads), unit: 'ms', samples: loads });
    report({ suite: SUITE, name: `save ${name}`, median: median(saves), unit: 'ms', samples: saves });
    loadTotal += median(loads);
    saveTotal += median(saves);
  }
  report({ suite: SUITE, name: `load all ${files.length} light models (sum of medians)`, median: loadTotal, unit: 'ms' });
  report({ suite: SUITE, name: `save all ${files.length} light models (sum of medians)`, median: saveTotal, unit: 'ms' });
}

/** A model whose single initializer holds `bytes` of raw_data (uint8, so any length is valid). */
function rawModel(bytes: number) {
  const raw = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4096) raw[i] = i >>> 12; // touch every page so it is real memory
  return modelWithInitializers([{ name: 'w', data_type: 2, dims: [bytes], raw_data: raw }]);
}

function rawDataCodec(report: Report): void {
  const size = 256 * MiB;
  const model = rawModel(size);
  const encodes = timeRunsSync(() => encodeModelProto(model), 3, 1);
  const bytes = encodeModelProto(model);
  const decodes = timeRunsSync(() => decodeModelProto(bytes), 9, 2);
  const decodeGBs = bytes.length / GB / (median(decodes) / 1000);
  report({
    suite: SUITE, name: 'decode 256 MB raw_data model', median: decodeGBs, unit: 'GB/s', samples: decodes,
    target: '>= 1 GB/s', ok: decodeGBs >= 1, note: `${median(decodes).toFixed(2)} ms; raw_data is a view`,
  });
  report({
    suite: SUITE, name: 'encode 256 MB raw_data model (one buffer)', median: bytes.length / GB / (median(encodes) / 1000),
    unit: 'GB/s', samples: encodes, note: `${median(encodes).toFixed(0)} ms, one copy of the weights`,
  });
  const chunked = timeRunsSync(() => encodeModelProtoChunks(model), 5, 1);
  report({
    suite: SUITE, name: 'encode 256 MB raw_data model (chunks, as saveModel)', median: median(chunked), unit: 'ms', samples: chunked,
    note: 'weights referenced, not copied',
  });
}

function floatDataCodec(report: Report): void {
  const count = 16 * MiB; // 64 MiB of float32
  const built = modelWithInitializers([floatDataTensor('w', count)]);
  const bytes = encodeModelProto(built);
  const decodes = timeRunsSync(() => decodeModelProto(bytes), 5, 1);
  const decoded = decodeModelProto(bytes);
  const encodes = timeRunsSync(() => encodeModelProto(decoded), 5, 1);
  const fromNumbers = timeRunsSync(() => encodeModelProto(built), 3, 1);
  const total = (median(decodes) + median(encodes)) / 1000;
  report({ suite: SUITE, name: 'decode 64 MB float_data model', median: median(decodes), unit: 'ms', samples: decodes });
  report({ suite: SUITE, name: 'encode 64 MB float_data model (as decoded)', median: median(encodes), unit: 'ms', samples: encodes });
  report({
    suite: SUITE, name: 'decode + encode 64 MB float_data model', median: total, unit: 's', target: '<= 0.5 s', ok: total <= 0.5,
  });
  report({
    suite: SUITE, name: 'encode 64 MB float_data model (from number[])', median: median(fromNumbers), unit: 'ms', samples: fromNumbers,
    note: 'a model built in JS, not decoded',
  });
}

async function rawDataLoad(report: Report, tmp: string, size: number, name: string): Promise<void> {
  const file = path.join(tmp, 'raw.onnx');
  await saveModel(new Model(rawModel(size)), file);
  const loads = await timeRuns(() => loadModel(file), 5, 1);
  fs.rmSync(file);
  report({
    suite: SUITE, name, median: size / GB / (median(loads) / 1000), unit: 'GB/s', samples: loads,
    note: `${median(loads).toFixed(0)} ms incl. reading the file (page cache)`,
  });
}

/** Loads the model in a fresh process and prints load time and memory growth (peak RSS from /proc VmHWM). */
const CHILD = `
import * as fs from 'node:fs';
const { loadModel } = await import(process.argv[1]);
const peak = () => {
  const m = /VmHWM:\\s*(\\d+) kB/.exec(fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '');
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
};
const before = process.memoryUsage().rss;
const t0 = performance.now();
const model = await loadModel(process.argv[2]);
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, peakGrowth: Math.max(peak(), process.memoryUsage().rss) - before, tensors: model.proto.graph.initializer.length }));
`;

async function largeModelMemory(report: Report, tmp: string): Promise<void> {
  const size = 1024 * MiB;
  const name = 'load 1 GB raw_data model: peak RSS growth / file size';
  const free = fs.statfsSync(tmp);
  const diskFree = free.bavail * free.bsize;
  if (diskFree < size * 1.2 || os.freemem() < size * 3) {
    report({ suite: SUITE, name, median: NaN, unit: 'x', note: `skipped: ${(diskFree / GB).toFixed(1)} GB disk, ${(os.freemem() / GB).toFixed(1)} GB memory free` });
    return;
  }
  const file = path.join(tmp, 'large.onnx');
  await saveModel(new Model(modelWithInitializers([{ name: 'w', data_type: 2, dims: [size], raw_data: Buffer.alloc(size) }])), file);
  const fileSize = fs.statSync(file).size;
  const loadUrl = new URL('../src/onnx/load.js', import.meta.url).href;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, loadUrl, file], { encoding: 'utf8' });
  fs.rmSync(file);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; peakGrowth: number };
  const ratio = r.peakGrowth / fileSize;
  report({
    suite: SUITE, name, median: ratio, unit: 'x', target: '<= 1.5x', ok: ratio <= 1.5,
    note: `peak RSS +${(r.peakGrowth / MiB).toFixed(0)} MiB for ${(fileSize / MiB).toFixed(0)} MiB, load ${(r.ms / 1000).toFixed(2)} s`,
  });
  report({ suite: SUITE, name: 'load 1 GB raw_data model (fresh process)', median: r.ms / 1000, unit: 's' });
}

function timeRunsSync(fn: () => unknown, n: number, warmup: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}
