/**
 * Attacks through blueprints, names, transforms and folding configs (issue 14, items 14–16, 19–21, 25b,
 * 27a).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeModelProto, encodeModelProto } from '../../src/onnx/codec.js';
import { Long } from '../../src/onnx/int64.js';
import { attackProject, assertAttack } from './support.js';

test('14a a blueprint option ${report_dir}/../../x.json is refused', () => {
  const p = attackProject();
  p.write('bp14.yaml', 'name: p\nextends: default\noptions:\n  SetFolding:\n    output: ${report_dir}/../../x.json\n');
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'bp14.yaml', '--target-fps', '1000']);
  assertAttack(p, r, 1, /'\$\{report_dir\}\/\.\.\/\.\.\/x\.json' leads outside the build folder/, ['bp14.yaml']);
  assert.ok(!existsSync(path.join(p.dir, 'x.json')));
});

test('14b a blueprint option with an absolute path: the transform may not write there', () => {
  const p = attackProject();
  const outside = path.join(p.dir, 'outside.json');
  p.write('bp14.yaml', `name: p\nextends: default\noptions:\n  SetFolding:\n    output: ${outside}\n`);
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'bp14.yaml', '--target-fps', '1000']);
  assertAttack(p, r, 1, /SetFolding threw: plugin brainsmith may write only inside the build folder; refused/, ['bp14.yaml', 'out.failed']);
  assert.ok(!existsSync(outside));
});

test('15 extends: a file that is not a blueprint is never echoed', () => {
  const p = attackProject();
  p.write('shadow', 'root: $6$secrethash\ndaemon: x\nbin: y\n');
  p.write('bp15.yaml', 'name: s\nextends: shadow\n');
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'bp15.yaml']);
  assertAttack(p, r, 1, /shadow: not a blueprint: none of its keys is a blueprint key/, ['bp15.yaml', 'shadow']);
  assert.doesNotMatch(r.stderr, /secrethash|root|daemon/);
});

test('16 names with terminal control sequences are escaped by inspect and in error lines', () => {
  const p = attackProject();
  const m = decodeModelProto(readFileSync(p.model));
  m.graph!.name = 'g\u001b]0;pwned\u0007';
  const nodes = m.graph!.node!;
  nodes[0]!.name = 'n\u001b[2J\u0000x';
  writeFileSync(path.join(p.dir, 'esc.onnx'), encodeModelProto(m));
  const r = p.cli(['inspect', 'esc.onnx']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stdout), 'no control characters in the output');
  assert.match(r.stdout, /g\\x1b\]0;pwned\\x07/);
  nodes[1]!.output = [nodes[0]!.output![0]!];
  writeFileSync(path.join(p.dir, 'esc2.onnx'), encodeModelProto(m));
  const e = p.cli(['exec', 'esc2.onnx', '--input', 'x.npy']);
  assertAttack(p, e, 1, /n\\x1b\[2J\\x00x/, ['esc.onnx', 'esc2.onnx']);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(e.stderr.replace(/\n/g, '')), 'no control characters on stderr');
});

const biggestWeightTimes101 = `
  const g = model.graph;
  const mm = g.nodeList().filter((n) => n.opType === 'MatMul').pop();
  const t = g.getInitializer(mm.inputs[1]);
  const raw = t.raw_data;
  const f = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let k = 0;
  for (let i = 1; i < f.length; i++) if (Math.abs(f[i]) > Math.abs(f[k])) k = i;
  f[k] = f[k] * 1.01;
  g.setInitializer({ ...t, raw_data: new Uint8Array(f.buffer) });
  return true;`;

test('19 compile --verify catches a 1% change of the largest last-layer weight with its default samples', () => {
  const p = attackProject();
  p.write('brainsmith_plugins/evil.ts', `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'Evil', stage: 'kernel_mapping', apply(model) { ${biggestWeightTimes101} } });\n`);
  p.write('bp19.yaml', 'name: v\nextends: default\nstages:\n  kernel_mapping:\n    - Evil\n');
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'bp19.yaml', '--verify', '--log-level', 'warn']);
  assertAttack(p, r, 1, /verification failed after stage kernel_mapping: .*first transform that changed the outputs: project:Evil/, ['bp19.yaml', 'out.failed']);
  const report = JSON.parse(readFileSync(path.join(p.dir, 'out.failed', 'report', 'verification.json'), 'utf8')) as { samples: number; inputs: { source: string }[] };
  assert.equal(report.samples, 20);
  assert.match(report.inputs[0]!.source, /random \(seed 0, 20 samples\)/);
});

test('20 a transform that edits node.inputs in place and reports no change is the one named', () => {
  const p = attackProject();
  p.evil('', "const n = model.graph.nodeList()[1]; n.inputs[0] = 'nowhere'; return false;");
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--config', p.blueprint, '--log-level', 'warn']);
  assertAttack(p, r, 1, /after transform project:Evil \(stage cleanup, which reported no change\): .*'nowhere'/, ['out.failed']);
});

for (const [label, entry, re] of [
  ['21a a misspelt attribute (SMID)', { PE: 16, SMID: 16 }, /folding config entry 'MVAU_hls_0': MVAU_hls has no attribute 'SMID'/],
  ['21b op_type as an attribute', { op_type: 'Evil' }, /folding config entry 'MVAU_hls_0': 'op_type' is not an attribute a folding config may set/],
  ['25b PE 2.5', { PE: 2.5 }, /folding config entry 'MVAU_hls_0': PE: 2\.5 is not valid \(.*expected int/],
  ['25b PE "32"', { PE: '32' }, /folding config entry 'MVAU_hls_0': PE: "32" is not valid \(.*expected number, received string/],
] as const) {
  test(`${label} in a folding config is refused by name`, () => {
    const p = attackProject();
    p.write('fc.json', JSON.stringify({ MVAU_hls_0: entry }));
    const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--folding-config', 'fc.json', '--log-level', 'warn']);
    assertAttack(p, r, 1, re, ['fc.json', 'out.failed']);
  });
}

test('27a partial folders left by a killed compile are removed by the next compile to that folder', () => {
  const p = attackProject();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  const stale = path.join(p.dir, `.out.partial-${dead}-abc`);
  mkdirSync(stale);
  writeFileSync(path.join(stale, 'compile.log'), '');
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--stop-after', 'cleanup', '--log-level', 'warn']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(p.extra(), ['out']);
});

test('27b inspect prints a 2^62 dim exactly', () => {
  const p = attackProject();
  const m = decodeModelProto(readFileSync(p.model));
  m.graph!.input![0]!.type!.tensor_type!.shape!.dim![0] = { dim_value: Long.fromString('4611686018427387904') };
  writeFileSync(path.join(p.dir, 'big.onnx'), encodeModelProto(m));
  const r = p.cli(['inspect', 'big.onnx']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /global_in\s+FLOAT\s+\[4611686018427387904, 1, 8, 8\]/);
});
