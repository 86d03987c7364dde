import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ElemType } from '../../src/tensor/element-type.js';
import { makeTensor } from '../../src/tensor/tensor-value.js';
import { compareOutputs, DEFAULT_TOLERANCE, describeMismatch } from '../../src/pipeline/compare.js';
import { bindInputs, randomInputs } from '../../src/pipeline/verify-inputs.js';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { pipelineProject } from './support.js';

const TFC = (...f: string[]): string => shared('finn', 'tfc_w1a1', ...f);

function project(): ReturnType<typeof pipelineProject> & { cli: (args: string[]) => ReturnType<typeof runCli> } {
  const p = pipelineProject();
  return { ...p, cli: (args) => runCli(args, { cwd: p.dir, env: { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' } }) };
}

test('comparison: integers exact, floats within rtol/atol, an allowed mismatch fraction, count and shape problems', () => {
  const f = (xs: number[]) => makeTensor(ElemType.FLOAT, [xs.length], Float32Array.from(xs));
  const i = (xs: number[]) => makeTensor(ElemType.INT64, [xs.length], BigInt64Array.from(xs.map(BigInt)));
  assert.equal(compareOutputs([['y', f([1, 2, 100])]], [f([1.000005, 2, 100.09])], DEFAULT_TOLERANCE).ok, true);
  const off = compareOutputs([['y', f([1, 2, 100])]], [f([1, 2.01, 100])], DEFAULT_TOLERANCE);
  assert.equal(off.ok, false);
  assert.match(describeMismatch(off), /output 'y': 1 of 3 elements differ .*first at index 1: expected 2, got 2\.0099/);
  assert.equal(compareOutputs([['y', f([1, 2, 100])]], [f([1, 2.01, 100])], { ...DEFAULT_TOLERANCE, maxMismatchFraction: 0.34 }).ok, true);
  assert.equal(compareOutputs([['k', i([3, 7])]], [i([3, 7])], DEFAULT_TOLERANCE).ok, true);
  assert.equal(compareOutputs([['k', i([3, 7])]], [i([3, 8])], { rtol: 1, atol: 1, maxMismatchFraction: 0 }).ok, false, 'integers are exact whatever the tolerance');
  assert.match(describeMismatch(compareOutputs([['y', f([1, 2])]], [f([1, 2, 3])], DEFAULT_TOLERANCE)), /shape \[3\] instead of \[2\]/);
  assert.equal(compareOutputs([['y', f([NaN])]], [f([NaN])], DEFAULT_TOLERANCE).ok, true);
});

test('random inputs: seeded, inside the FINN datatype range, bipolar ±1, float range otherwise; batches bind to batch-1 inputs', () => {
  const specs = [
    { name: 'a', elemType: ElemType.FLOAT, dims: [1, 500], datatype: 'UINT2' },
    { name: 'b', elemType: ElemType.FLOAT, dims: [500], datatype: 'BIPOLAR' },
    { name: 'c', elemType: ElemType.FLOAT, dims: [500] },
    { name: 'd', elemType: ElemType.INT8, dims: [500] },
  ];
  const r = randomInputs(specs, 7, [-1, 1]);
  const vals = (n: string) => Array.from(r.get(n)!.data as ArrayLike<number>);
  assert.deepEqual([...new Set(vals('a'))].sort(), [0, 1, 2, 3]);
  assert.deepEqual([...new Set(vals('b'))].sort(), [-1, 1]);
  assert.ok(vals('c').every((v) => v >= -1 && v <= 1) && new Set(vals('c')).size > 400);
  assert.ok(vals('d').every((v) => Number.isInteger(v) && v >= -128 && v <= 127) && Math.min(...vals('d')) < -100);
  assert.deepEqual(vals('c'), Array.from(randomInputs(specs, 7, [-1, 1]).get('c')!.data as Float32Array), 'same seed, same values');
  const given = makeTensor(ElemType.FLOAT, [4, 1, 3], Float32Array.from({ length: 12 }, (_, k) => k));
  const b = bindInputs([{ name: 'x', elemType: ElemType.FLOAT, dims: [1, 1, 3] }], [given], ['x.npy']);
  assert.equal(b.batch, 4);
  // As exec: another element type is refused, not converted (issue 14, item 26).
  const double = makeTensor(ElemType.DOUBLE, [4, 1, 3], Float64Array.from({ length: 12 }, (_, k) => k));
  assert.throws(() => bindInputs([{ name: 'x', elemType: ElemType.FLOAT, dims: [1, 1, 3] }], [double], ['x.npy']), /x\.npy: model input 'x' is FLOAT, the file holds DOUBLE/);
  assert.throws(() => bindInputs([{ name: 'x', elemType: ElemType.FLOAT, dims: [1, 5] }], [given], ['x.npy']), /x\.npy: shape \[4, 1, 3\] does not fit input 'x' of shape \[1, 5\]/);
});

test('--verify on TFC with its golden pair: every stage matches the input model and the final output matches expected_output.npy', { skip: skipNoShared }, () => {
  const p = project();
  const r = p.cli(['compile', TFC('model.onnx'), '-o', 'out', '--stop-after', 'topology', '--verify', '--input', TFC('input.npy'), '--expected', TFC('expected_output.npy'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { verification: { ok: boolean; stages: number; expected: boolean } };
  assert.deepEqual(s.verification, { ok: true, stages: 2, file: 'report/verification.json', expected: true });
  const v = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report', 'verification.json'), 'utf8')) as { stages: { stage: string; ok: boolean }[]; inputs: { source: string; dims: number[] }[] };
  assert.deepEqual(v.stages.map((x) => [x.stage, x.ok]), [['cleanup', true], ['topology', true]]);
  assert.deepEqual(v.inputs[0]!.dims, [4, 1, 28, 28]);
});

test('--verify with random inputs (no --input) uses the datatype annotations and passes on TFC', { skip: skipNoShared }, () => {
  const p = project();
  const r = p.cli(['compile', TFC('model.onnx'), '-o', 'out', '--stop-after', 'topology', '--verify']);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report', 'verification.json'), 'utf8')) as { ok: boolean; inputs: { source: string }[] };
  assert.equal(v.ok, true);
  assert.match(v.inputs[0]!.source, /^random \(seed 0, 20 samples\)$/);
});

test('a transform that perturbs a weight fails verification, which names the stage and the transform', { skip: skipNoShared }, () => {
  const p = project();
  const bp = p.write('bp.yaml', 'stages:\n  cleanup: [RemoveIdentityOps, GiveUniqueNodeNames]\n  topology: [ConvertSubToAdd, NegateLastWeights, ConvertDivToMul]\n');
  const r = p.cli(['compile', TFC('model.onnx'), '-o', 'out', '--config', bp, '--verify', '--input', TFC('input.npy')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /verification failed after stage topology: output '[^']+': \d+ of 4 elements differ.*first transform that changed the outputs: project:NegateLastWeights \(.*bp\.yaml: stages\.topology\[1\]/);
  assert.equal(existsSync(path.join(p.dir, 'out')), false, 'no build folder after a failed verification');
  assert.deepEqual(readdirSync(p.dir).filter((f) => f.includes('.partial-')), []);
  // What it wrote is kept beside, under a name no one takes for a finished build, with the report that says why.
  assert.match(r.stderr, /is kept in .*out\.failed\)/);
  const v = JSON.parse(readFileSync(path.join(p.dir, 'out.failed', 'report', 'verification.json'), 'utf8')) as { ok: boolean; stages: { stage: string; ok: boolean }[] };
  assert.equal(v.ok, false);
  assert.deepEqual(v.stages.map((x) => [x.stage, x.ok]), [['cleanup', true], ['topology', false]]);
  assert.ok(existsSync(path.join(p.dir, 'out.failed', 'compile.log')));
  // The next successful compile to the same place removes the stale failure; a folder named .failed that
  // brainsmith did not write is never replaced.
  const ok = p.cli(['compile', TFC('model.onnx'), '-o', 'out', '--stop-after', 'cleanup']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(existsSync(path.join(p.dir, 'out.failed')), false);
  p.write('mine.failed/notes.txt', 'keep me');
  const again = p.cli(['compile', TFC('model.onnx'), '-o', 'mine', '--config', bp, '--verify', '--input', TFC('input.npy')]);
  assert.equal(again.code, 1);
  assert.equal(readFileSync(path.join(p.dir, 'mine.failed', 'notes.txt'), 'utf8'), 'keep me');
  assert.deepEqual(readdirSync(path.join(p.dir, 'mine.failed')), ['notes.txt']);
});
