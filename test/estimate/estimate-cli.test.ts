import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const cybsec = () => shared('finn', 'cybsec_PE_SIMD.onnx');
const tmp = () => tempDir('bs-est-');
const read = (dir: string, f: string) => JSON.parse(readFileSync(path.join(dir, 'report', f), 'utf8'));

test('estimate cybsec_PE_SIMD at 10 ns reproduces the reference figures', { skip: skipNoShared }, () => {
  const out = tmp();
  const r = runCli(['estimate', cybsec(), '--clock-ns', '10', '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(read(out, 'estimate_layer_cycles.json'), { MVAU_hls_0: 38400, MVAU_hls_1: 4096, MVAU_hls_2: 4096, MVAU_hls_3: 64 });
  const res = read(out, 'estimate_layer_resources.json');
  assert.deepEqual(['MVAU_hls_0', 'MVAU_hls_1', 'MVAU_hls_2', 'MVAU_hls_3'].map((n) => res[n].BRAM_18K), [5, 1, 1, 1]);
  assert.deepEqual(['MVAU_hls_0', 'MVAU_hls_1', 'MVAU_hls_2', 'MVAU_hls_3'].map((n) => res[n].LUT), [319, 320, 320, 320]);
  assert.equal(res.MVAU_hls_0.BRAM_efficiency.toFixed(3), '0.833');
  assert.deepEqual(Object.keys(res.MVAU_hls_0), ['BRAM_18K', 'BRAM_efficiency', 'LUT', 'URAM', 'URAM_efficiency', 'DSP']);
  assert.deepEqual(res.total, { BRAM_18K: 8, LUT: 1279, URAM: 0, DSP: 0 });
  const perf = read(out, 'estimate_network_performance.json');
  // 1e9/10/38400 = 2604.17 fps; (38400+4096+4096+64)·10 = 466,560 ns
  assert.deepEqual(perf, { critical_path_cycles: 46656, max_cycles: 38400, max_cycles_node_name: 'MVAU_hls_0', estimated_throughput_fps: 1e8 / 38400, estimated_latency_ns: 466560 });
  const counts = read(out, 'op_and_param_counts.json');
  assert.equal(counts.MVAU_hls_0.op_mac_1bx2b, 38400);
  assert.equal(counts.total.param_weight_2b, 600 * 64 + 64 * 64 * 2 + 64);
  assert.deepEqual(readdirSync(path.join(out, 'report')).sort(), ['estimate_layer_cycles.json', 'estimate_layer_resources.json', 'estimate_network_performance.json', 'op_and_param_counts.json']);
  assert.match(r.stdout, /bottleneck\s+MVAU_hls_0 \(38400 cycles\)/);
  assert.match(r.stdout, /MVAU_hls_0\s+MVAU\s+hls\s+1\s+1\s+38400\s+319\s+5/);
});

test('estimate --json on a ZCU104 and the default output folder', { skip: skipNoShared }, () => {
  const cwd = tmp();
  const r = runCli(['estimate', cybsec(), '--board', 'ZCU104', '--clock-ns', '5', '--json'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.target.part, 'xczu7ev-ffvc1156-2-e');
  assert.equal(j.target.dspFamily, 'DSP48E2');
  assert.equal(j.performance.estimated_throughput_fps, 2e8 / 38400);
  assert.equal(j.nodes[0].kernel, 'MVAU');
  assert.equal(j.nodes[0].backend, 'hls');
  assert.deepEqual(j.nodes[0].parallelism, { PE: 1, SIMD: 1 });
  assert.ok(existsSync(path.join(cwd, 'estimates', 'cybsec_PE_SIMD', 'report', 'estimate_layer_cycles.json')));
});

test('estimate rejects a model with no hardware nodes', { skip: skipNoShared }, () => {
  const r = runCli(['estimate', shared('finn', 'tfc_w1a1', 'model.onnx'), '-o', tmp()]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /holds no hardware nodes/);
});

test('estimate rejects an unknown board and a bad clock', { skip: skipNoShared }, () => {
  const b = runCli(['estimate', cybsec(), '--board', 'Zedboard', '-o', tmp()]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /unknown board 'Zedboard': known boards are Pynq-Z1, Pynq-Z2, Ultra96, ZCU102, ZCU104, KV260_SOM, U50, U200, U250, U280, U55C, VCK190, VEK280/);
  for (const clk of ['0', '-3', 'abc']) {
    const c = runCli(['estimate', cybsec(), '--clock-ns', clk, '-o', tmp()]);
    assert.equal(c.code, 2, `--clock-ns ${clk}: ${c.stderr}`);
    assert.match(c.stderr, /--clock-ns must be a positive number/);
  }
});
