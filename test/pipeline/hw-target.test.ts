/**
 * The compile's hardware settings: `${…}` settings in blueprint options, flags over the blueprint's target,
 * top-1 labels compared with reference scores, and the compile summary/reports of a mapped model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openRegistry, type Registry } from '../../src/plugins/registry.js';
import { loadBlueprint } from '../../src/pipeline/blueprint-load.js';
import { resolveOptionVariables } from '../../src/pipeline/blueprint-vars.js';
import { compareOutputs, DEFAULT_TOLERANCE, describeMismatch } from '../../src/pipeline/compare.js';
import { compileTarget, targetVariables } from '../../src/pipeline/compile-target.js';
import { buildPlan } from '../../src/pipeline/plan.js';
import { ElemType } from '../../src/tensor/element-type.js';
import { makeTensor } from '../../src/tensor/tensor-value.js';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { pipelineProject } from './support.js';

async function setup(): Promise<{ p: ReturnType<typeof pipelineProject>; reg: Registry }> {
  const p = pipelineProject();
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, cache: false, pluginPath: '' });
  return { p, reg };
}

test('settings in options: a whole-value reference keeps its type, strings interpolate, unset settings drop the option', () => {
  const vars = { target_fps: 1000, report_dir: '/b/report' };
  const opts = { target_fps: '${target_fps}', clock_ns: '${clock_ns}', output: '${report_dir}/auto.json', keep: 3, list: ['${board}', 'x'], nested: { p: '${part}/y', q: '${target_fps}' } };
  assert.deepEqual(resolveOptionVariables(opts, vars, 'bp.yaml: stages.optimization[0].options'), {
    target_fps: 1000, output: '/b/report/auto.json', keep: 3, list: ['x'], nested: { q: 1000 },
  });
  assert.throws(() => resolveOptionVariables({ a: '${target_fsp}' }, vars, 'bp.yaml: stages.optimization[0].options'),
    /bp\.yaml: stages\.optimization\[0\]\.options\.a: unknown setting \$\{target_fsp\} \(known: \$\{target_fps\}/);
});

test('the default blueprint passes the settings to SetFolding, ApplyFoldingConfig and SpecializeLayers; unset ones fall back to defaults', async () => {
  const { reg } = await setup();
  const bp = loadBlueprint();
  const item = (plan: Awaited<ReturnType<typeof buildPlan>>, name: string) => plan.stages.flatMap((s) => s.items).find((i) => i.entry.name === name)!;
  const hw = compileTarget({ board: 'pynq-z2', clockNs: 5, targetFps: 2e5 }, bp.target, '/');
  const plan = await buildPlan(reg, bp, targetVariables(hw, '/out'));
  assert.deepEqual(item(plan, 'SetFolding').options, { target_fps: 2e5, clock_ns: 5, board: 'Pynq-Z2', output: path.join('/out', 'report', 'auto_folding_config.json') });
  assert.deepEqual(item(plan, 'ApplyFoldingConfig').options, {});
  assert.deepEqual(item(plan, 'SpecializeLayers').options, { board: 'Pynq-Z2' });
  for (const v of ['target_fps', 'clock_ns', 'board', 'part', 'folding_config', 'report_dir']) assert.ok(plan.variables.has(v), v);
  // Without settings (other callers of buildPlan) every such option is left out.
  const bare = await buildPlan(reg, bp);
  assert.deepEqual(item(bare, 'SetFolding').options, {});
  assert.deepEqual(item(bare, 'SpecializeLayers').options, {});
});

test('target: flags win over the blueprint, a --board drops the blueprint part, defaults Pynq-Z1 at 10 ns; bad values are usage errors', () => {
  const cfg = shared('labs', 'custom_2_folding_config.json');
  const d = compileTarget({}, {}, '/');
  assert.deepEqual([d.target.board, d.target.part, d.clockNs, d.targetFps, d.sources.board, d.sources.clock_ns], ['Pynq-Z1', 'xc7z020clg400-1', 10, undefined, 'default', 'default']);
  const bp = { part: 'xczu7ev-ffvc1156-2-e', clock_ns: 4, target_fps: 50 };
  const b = compileTarget({}, bp, '/');
  assert.deepEqual([b.target.board, b.target.part, b.target.dspFamily, b.clockNs, b.targetFps], [undefined, 'xczu7ev-ffvc1156-2-e', 'DSP48E2', 4, 50]);
  assert.deepEqual(targetVariables(b, '/o').part, 'xczu7ev-ffvc1156-2-e');
  assert.equal(targetVariables(b, '/o').board, undefined, 'only one of board/part (SpecializeLayers refuses both)');
  const f = compileTarget({ board: 'ZCU104', clockNs: 3, targetFps: 1e6 }, bp, '/');
  assert.deepEqual([f.target.board, f.target.part, f.clockNs, f.targetFps, f.sources.board, f.sources.clock_ns], ['ZCU104', 'xczu7ev-ffvc1156-2-e', 3, 1e6, 'flag', 'flag']);
  assert.throws(() => compileTarget({ board: 'Pynq-Z2', part: 'xc7z020clg400-1' }, {}, '/'), /give --board or --part, not both/);
  assert.throws(() => compileTarget({}, { board: 'Pynq-Z2', part: 'xc7z020clg400-1' }, '/', 'bp.yaml'), /bp\.yaml: target: give board or part, not both/);
  assert.throws(() => compileTarget({ board: 'Pynq-Z9' }, {}, '/'), /unknown board 'Pynq-Z9'/);
  assert.throws(() => compileTarget({ clockNs: Number.NaN }, {}, '/'), /--clock-ns must be a positive number/);
  assert.throws(() => compileTarget({ targetFps: -1 }, {}, '/'), /--target-fps must be a positive number/);
  assert.throws(() => compileTarget({ foldingConfig: 'nope.json' }, {}, '/tmp'), /folding config not found: \/tmp\/nope\.json/);
  if (existsSync(cfg)) assert.equal(compileTarget({ foldingConfig: cfg }, {}, '/').foldingConfig, cfg);
});

test('a top-1 label output is compared with reference scores by class; ties with the top score count as agreement', () => {
  const scores = makeTensor(ElemType.FLOAT, [3, 4], Float32Array.of(0, 5, 1, 2, /* tie */ 3, 1, 3, 0, -1, -2, -3, -0.5));
  const labels = (v: number[]) => makeTensor(ElemType.INT64, [3, 1], BigInt64Array.from(v.map(BigInt)));
  assert.equal(compareOutputs([['y', scores]], [labels([1, 0, 3])], DEFAULT_TOLERANCE).ok, true);
  assert.equal(compareOutputs([['y', scores]], [labels([1, 2, 3])], DEFAULT_TOLERANCE).ok, true, 'class 2 ties class 0 in row 1');
  const bad = compareOutputs([['y', scores]], [labels([1, 1, 0])], DEFAULT_TOLERANCE);
  assert.equal(bad.ok, false);
  assert.deepEqual([bad.outputs[0]!.mode, bad.outputs[0]!.mismatches, bad.outputs[0]!.firstMismatch], ['labels', 2, { index: 1, expected: 0, actual: 1 }]);
  assert.match(describeMismatch(bad), /2 of 3 labels name a class that does not have the reference's top score \(first at row 1: reference top class 0, got 1/);
  assert.equal(compareOutputs([['y', scores]], [labels([1, 7, 3])], DEFAULT_TOLERANCE).ok, false, 'a label outside the classes');
  // One-class scores are not a classifier head: compared as values (and so fail).
  const one = makeTensor(ElemType.FLOAT, [1, 1], Float32Array.of(1));
  assert.equal(compareOutputs([['y', one]], [makeTensor(ElemType.INT64, [1, 1], BigInt64Array.of(0n))], DEFAULT_TOLERANCE).ok, false);
});

const cli = (p: ReturnType<typeof pipelineProject>, args: string[]) => runCli(args, { cwd: p.dir, env: { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' } });

test('a flag no option of the blueprint refers to is warned about; a literal option in the blueprint wins', { skip: skipNoShared }, () => {
  const { p } = { p: pipelineProject() };
  const bp = p.write('literal.yaml', 'name: literal\nextends: default\nstages:\n  optimization:\n    - { name: SetFolding, options: { target_fps: 1000, output: "${report_dir}/auto_folding_config.json" } }\n');
  const r = cli(p, ['compile', shared('finn', 'cybsec_PE_SIMD.onnx'), '-o', 'out', '--config', bp, '--target-fps', '100000', '--json', '--log-level', 'warn']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /--target-fps has no effect: no transform option of blueprint 'literal' refers to \$\{target_fps\}/);
  const s = JSON.parse(r.stdout) as { estimate: { performance: { max_cycles: number } } };
  // 1000 fps at 10 ns = 100000 cycles: cybsec's first layer (38400 cycles at PE=SIMD=1) needs no folding.
  assert.equal(s.estimate.performance.max_cycles, 38400);
});

test('compile of a model that is already hardware nodes: estimates, reports under FINN names, the summary table last', { skip: skipNoShared }, () => {
  const p = pipelineProject();
  const r = cli(p, ['compile', shared('finn', 'cybsec_PE_SIMD.onnx'), '-o', 'out', '--part', 'xczu7ev-ffvc1156-2-e', '--clock-ns', '5', '--log-level', 'warn']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^compiled .*cybsec_PE_SIMD\.onnx -> /);
  assert.ok(lines.some((l) => /^target xczu7ev-ffvc1156-2-e, DSP48E2, clock 5 ns$/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^MVAU_hls_0\s+MVAU\s+hls\s+1\s+1\s+38400\s/.test(l)), r.stdout);
  assert.ok(lines.some((l) => /^bottleneck\s+MVAU_hls_0 \(38400 cycles\)$/.test(l)));
  assert.match(lines.at(-1)!, /^host nodes /);
  const report = (f: string) => JSON.parse(readFileSync(path.join(p.dir, 'out', 'report', f), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(report('estimate_network_performance.json')).sort(), ['critical_path_cycles', 'estimated_latency_ns', 'estimated_throughput_fps', 'max_cycles', 'max_cycles_node_name']);
  assert.equal(report('estimate_layer_cycles.json').MVAU_hls_0, 38400);
  assert.ok('total' in report('estimate_layer_resources.json') && 'total' in report('op_and_param_counts.json'));
  const summary = report('compile_summary.json') as { target: { part: string; clockNs: number }; estimate: { performance: { estimated_throughput_fps: number } } };
  assert.deepEqual([summary.target.part, summary.target.clockNs], ['xczu7ev-ffvc1156-2-e', 5]);
  assert.equal(Math.round(summary.estimate.performance.estimated_throughput_fps), Math.round(2e8 / 38400));
});

test('a model that cannot map at all says why and leaves no build; bad target flags are usage errors', { skip: skipNoShared }, () => {
  const p = pipelineProject();
  const r = cli(p, ['compile', shared('qonnx', 'mnist-conv', 'model.onnx'), '-o', 'out', '--log-level', 'warn']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /no node of the model could be mapped to a hardware kernel \(Conv_0: Conv on a float input; /);
  assert.ok(!existsSync(path.join(p.dir, 'out')));
  const missing = cli(p, ['compile', shared('finn', 'cybsec_PE_SIMD.onnx'), '-o', 'out', '--folding-config', 'nope.json']);
  assert.deepEqual([missing.code, /folding config not found: .*nope\.json/.test(missing.stderr)], [2, true]);
  const nan = cli(p, ['compile', shared('finn', 'cybsec_PE_SIMD.onnx'), '-o', 'out', '--target-fps', 'abc']);
  assert.deepEqual([nan.code, /--target-fps must be a positive number/.test(nan.stderr)], [2, true]);
});

test("the blueprint's target.folding_config is relative to the blueprint file and may be overridden by the flag", () => {
  const p = pipelineProject();
  p.write('cfg/fold.json', '{"Defaults": {}}');
  p.write('other.json', '{"Defaults": {}}');
  const bp = loadBlueprint(p.write('cfg/bp.yaml', 'extends: default\ntarget: { folding_config: fold.json, clock_ns: 4 }\n'));
  assert.equal(bp.target.folding_config, path.join(p.dir, 'cfg', 'fold.json'));
  const t = compileTarget({}, bp.target, p.dir);
  assert.deepEqual([t.foldingConfig, t.sources.folding_config, t.clockNs], [path.join(p.dir, 'cfg', 'fold.json'), 'blueprint', 4]);
  assert.equal(compileTarget({ foldingConfig: 'other.json' }, bp.target, p.dir).foldingConfig, path.join(p.dir, 'other.json'));
});
