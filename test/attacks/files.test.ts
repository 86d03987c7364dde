/**
 * Attacks through special files and paths (issue 14, items 6–13, 25a): devices and FIFOs are never read
 * or replaced, external data stays a regular file inside the model's folder, and --force never removes
 * an input, the working folder, the home folder or `/`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNpy } from '../../src/exec/npy.js';
import { ElemType } from '../../src/tensor/element-type.js';
import { makeTensor } from '../../src/tensor/tensor-value.js';
import { attackProject, assertAttack, type AttackProject } from './support.js';

const canFifo = (() => {
  try {
    execFileSync('mkfifo', ['--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const noFifo = canFifo ? false : 'needs mkfifo';

function fifo(p: AttackProject, name: string): string {
  const f = path.join(p.dir, name);
  execFileSync('mkfifo', [f]);
  return f;
}

function input(p: AttackProject): string {
  const f = path.join(p.dir, 'x.npy');
  writeNpy(f, makeTensor(ElemType.FLOAT, [1, 1, 8, 8], new Float32Array(64).fill(0.5)));
  return f;
}

// 6: everything read must be a regular file within a size limit.
test('6a --config /dev/zero is refused at once', () => {
  const p = attackProject();
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--config', '/dev/zero']), 1, /cannot read blueprint \/dev\/zero: is not a regular file/);
});

test('6b a blueprint that extends /dev/urandom is refused at once', () => {
  const p = attackProject();
  p.write('bz.yaml', 'name: z\nextends: /dev/urandom\n');
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'bz.yaml']), 1, /cannot read blueprint \/dev\/urandom: is not a regular file/, ['bz.yaml']);
});

test('6c a blueprint that extends a FIFO does not hang', { skip: noFifo }, () => {
  const p = attackProject();
  fifo(p, 'pipe.yaml');
  p.write('bf.yaml', 'name: f\nextends: pipe.yaml\n');
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'bf.yaml']), 1, /pipe\.yaml: is not a regular file/, ['bf.yaml', 'pipe.yaml']);
});

test('6d a blueprint over the size limit is refused', () => {
  const p = attackProject();
  const big = p.write('big.yaml', '');
  truncateSync(big, 17 * 2 ** 20);
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'big.yaml']), 1, /big\.yaml: is 17 MiB, larger than the 16 MiB a blueprint may be/, ['big.yaml']);
});

test('6e/25a --folding-config /dev/zero: refused, and not called "not found"', () => {
  const p = attackProject();
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--folding-config', '/dev/zero']), 2, /folding config \/dev\/zero is not a regular file/);
});

test('6f exec --input /dev/zero is refused at once', () => {
  const p = attackProject();
  assertAttack(p, p.cli(['exec', 'm.onnx', '--input', '/dev/zero']), 1, /\/dev\/zero: .*is not a regular file/);
});

test('6g exec --input FIFO does not hang', { skip: noFifo }, () => {
  const p = attackProject();
  fifo(p, 'in.npy');
  assertAttack(p, p.cli(['exec', 'm.onnx', '--input', 'in.npy']), 1, /in\.npy: .*is not a regular file/, ['in.npy']);
});

test('6h a plugin manifest that is a FIFO does not hang', { skip: noFifo }, () => {
  const p = attackProject();
  mkdirSync(path.join(p.dir, 'brainsmith_plugins', 'fp'));
  fifo(p, 'brainsmith_plugins/fp/brainsmith-plugin.json');
  p.write('brainsmith_plugins/fp/t.ts', "import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'T', stage: 'cleanup', apply() { return false; } });\n");
  const r = p.cli(['plugins', 'check', '--log-level', 'warn']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout + r.stderr, /brainsmith-plugin\.json: is not a regular file/);
});

// 7: never replace a non-regular file.
test('7a convert to a FIFO leaves the FIFO', { skip: noFifo }, () => {
  const p = attackProject();
  const f = fifo(p, 'out.onnx');
  assertAttack(p, p.cli(['convert', 'm.onnx', 'out.onnx']), 1, /out\.onnx: cannot save the model there: it exists and is a FIFO/, ['out.onnx']);
  assert.ok(lstatSync(f).isFIFO());
});

test('7b convert to a device leaves the device', () => {
  const p = attackProject();
  assertAttack(p, p.cli(['convert', 'm.onnx', '/dev/null']), 1, /\/dev\/null: cannot save the model there: it exists and is a device/);
  assert.ok(statSync('/dev/null').isCharacterDevice());
});

test('7c exec -o FIFO leaves the FIFO', { skip: noFifo }, () => {
  const p = attackProject();
  input(p);
  const f = fifo(p, 'y.npy');
  assertAttack(p, p.cli(['exec', 'm.onnx', '--input', 'x.npy', '-o', 'y.npy']), 1, /y\.npy: cannot write the output there: it exists and is a FIFO/, ['x.npy', 'y.npy']);
  assert.ok(lstatSync(f).isFIFO());
});

// 8–11: the external data file.
function outDir(p: AttackProject): string {
  const d = path.join(p.dir, 'out');
  mkdirSync(d);
  return d;
}

test('8 --external-data-location naming an existing folder: refused, the folder untouched', () => {
  const p = attackProject();
  const d = outDir(p);
  p.write('out/results/keep.txt', 'mine');
  assertAttack(p, p.cli(['convert', 'm.onnx', 'out/m.onnx', '--external-data', '--external-data-location', 'results']), 1, /out\/results: cannot write the external data of out\/m\.onnx there: it exists and is a folder/, ['out']);
  assert.deepEqual(readdirSync(d), ['results']);
  assert.equal(readFileSync(path.join(d, 'results', 'keep.txt'), 'utf8'), 'mine');
});

test("9 --external-data-location equal to the model's own name is refused", () => {
  const p = attackProject();
  outDir(p);
  assertAttack(p, p.cli(['convert', 'm.onnx', 'out/m.onnx', '--external-data', '--external-data-location', 'm.onnx']), 1, /external data location 'm\.onnx' is the model file itself/, ['out']);
  assert.deepEqual(readdirSync(path.join(p.dir, 'out')), []);
});

test('10 --external-data-location through a symlinked folder is refused when saving', () => {
  const p = attackProject();
  outDir(p);
  mkdirSync(path.join(p.dir, 'elsewhere'));
  symlinkSync('../elsewhere', path.join(p.dir, 'out', 'link'));
  assertAttack(p, p.cli(['convert', 'm.onnx', 'out/m.onnx', '--external-data', '--external-data-location', 'link/d.bin']), 1, /'link\/d\.bin' leads outside the model's folder/, ['elsewhere', 'out']);
  assert.deepEqual(readdirSync(path.join(p.dir, 'elsewhere')), []);
});

test('11 --external-data-location . is refused with a clear line', () => {
  const p = attackProject();
  outDir(p);
  assertAttack(p, p.cli(['convert', 'm.onnx', 'out/m.onnx', '--external-data', '--external-data-location', '.']), 1, /out: cannot write the external data of out\/m\.onnx there: it exists and is a folder/, ['out']);
});

// 12–13: the build folder.
test('12a --force refuses a folder that holds the input model', () => {
  const p = attackProject();
  p.write('in/m2.onnx', readFileSync(p.model));
  assertAttack(p, p.cli(['compile', 'in/m2.onnx', '-o', 'in', '--force']), 1, /in: refusing to replace it with --force: it contains .*in\/m2\.onnx, an input of this compile/, ['in']);
  assert.ok(existsSync(path.join(p.dir, 'in', 'm2.onnx')));
});

test('12b --force refuses the working folder and its ancestors', () => {
  const p = attackProject();
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', '.', '--force']), 1, /refusing to replace it with --force: it contains the working folder/);
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', '..', '--force']), 1, /refusing to replace it with --force: it contains the working folder/);
});

test('12c --force refuses the home folder and /', () => {
  const p = attackProject();
  const r = p.cli(['compile', 'm.onnx', '-o', p.home, '--force']);
  assertAttack(p, r, 1, /refusing to replace it with --force: it is the home folder/);
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', '/', '--force']), 1, /\/: refusing to replace it with --force: it is the root folder/);
  assert.ok(!existsSync('/.failed'));
  assert.equal(os.homedir() === p.home, false);
});

test('13 a folder created at -o while the compile runs is not replaced without --force', () => {
  const p = attackProject();
  p.evil("import { mkdirSync, writeFileSync } from 'node:fs';", "mkdirSync('out'); writeFileSync('out/notes.txt', 'keep me'); return false;");
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--config', p.blueprint, '--log-level', 'warn']);
  assertAttack(p, r, 1, /out exists and is not a brainsmith build folder/, ['out']);
  assert.deepEqual(readdirSync(path.join(p.dir, 'out')), ['notes.txt']);
});

test('23a -o under a file, and under /proc: one line naming the path', () => {
  const p = attackProject();
  writeFileSync(path.join(p.dir, 'afile.txt'), 'x');
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'afile.txt/sub']), 1, /afile\.txt\/sub: cannot use it as the build folder: a part of the path is a file, not a folder/, ['afile.txt']);
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', '/proc/x']), 1, /\/proc: cannot create the build folder there: no such file or folder/, ['afile.txt']);
});
