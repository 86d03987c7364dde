/**
 * Messages and exit codes (issue 14, items 22–24, 26): one line naming the file, no raw Node error, the
 * same exit code for the same mistake in every command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeNpy, writeNpy } from '../../src/exec/npy.js';
import { ElemType } from '../../src/tensor/element-type.js';
import { makeTensor } from '../../src/tensor/tensor-value.js';
import { attackProject, assertAttack, type AttackProject } from './support.js';

function npy(p: AttackProject, name: string, elemType: number, dims: number[]): string {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = elemType === ElemType.DOUBLE ? new Float64Array(n) : new Float32Array(n);
  writeNpy(path.join(p.dir, name), makeTensor(elemType, dims, data));
  return name;
}

test('22a a missing input model: one line, and no build folder of any kind', () => {
  const p = attackProject();
  assertAttack(p, p.cli(['compile', 'missing.onnx', '-o', 'out']), 1, /missing\.onnx: file not found/);
});

test('22b a model that fails to load leaves no .failed folder', () => {
  const p = attackProject();
  p.write('junk.onnx', 'not a model at all');
  assertAttack(p, p.cli(['compile', 'junk.onnx', '-o', 'out']), 1, /junk\.onnx: not an ONNX model/, ['junk.onnx']);
});

test('22c a failed compile says what it really kept', () => {
  const p = attackProject();
  p.evil('', "throw new Error('boom');");
  const r = p.cli(['compile', 'm.onnx', '-o', 'out', '--config', p.blueprint, '--log-level', 'warn']);
  assertAttack(p, r, 1, /threw: boom \(at [^)]*evil\.ts:\d+\) \(what was written, compile\.log, is kept in .*out\.failed\)/, ['out.failed']);
});

test('23b estimate -o a file: one line naming the path', () => {
  const p = attackProject();
  writeFileSync(path.join(p.dir, 'afile'), 'x');
  const c = p.cli(['compile', 'm.onnx', '-o', 'built', '--log-level', 'warn']);
  assert.equal(c.code, 0, c.stderr);
  assertAttack(p, p.cli(['estimate', 'built/model.onnx', '-o', 'afile']), 1, /afile: cannot write the reports there: a part of the path is a file, not a folder/, ['afile', 'built']);
});

test('24a a YAML alias bomb is refused naming the blueprint', () => {
  const p = attackProject();
  const lines = ['name: bomb', 'a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  p.write('bomb.yaml', `${lines.join('\n')}\n`);
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--config', 'bomb.yaml']), 1, /bomb\.yaml: Excessive alias count/, ['bomb.yaml']);
});

test('24b an .npy whose header length overflows the file names the file', () => {
  const p = attackProject();
  const bytes = Buffer.from(encodeNpy(makeTensor(ElemType.FLOAT, [1, 1, 8, 8], new Float32Array(64))));
  bytes.writeUInt16LE(65535, 8);
  writeFileSync(path.join(p.dir, 'hov.npy'), bytes.subarray(0, 200));
  assertAttack(p, p.cli(['exec', 'm.onnx', '--input', 'hov.npy']), 1, /hov\.npy: truncated \.npy header/, ['hov.npy']);
});

test('26a a dtype mismatch is exit 2 in exec and in compile --verify alike', () => {
  const p = attackProject();
  const f = npy(p, 'f64.npy', ElemType.DOUBLE, [1, 1, 8, 8]);
  assertAttack(p, p.cli(['exec', 'm.onnx', '--input', f]), 2, /f64\.npy: model input 'global_in' is FLOAT, the file holds DOUBLE/, [f]);
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--verify', '--input', f, '--log-level', 'warn']), 2, /f64\.npy: model input 'global_in' is FLOAT, the file holds DOUBLE/, [f]);
});

test('26b a shape mismatch is exit 2 in exec and in compile --verify alike', () => {
  const p = attackProject();
  const f = npy(p, 'bad.npy', ElemType.FLOAT, [1, 1, 8, 9]);
  assertAttack(p, p.cli(['exec', 'm.onnx', '--input', f]), 2, /bad\.npy: model input 'global_in' has shape \[1, 1, 8, 8\], the file holds \[1, 1, 8, 9\]/, [f]);
  assertAttack(p, p.cli(['compile', 'm.onnx', '-o', 'out', '--verify', '--input', f, '--log-level', 'warn']), 2, /bad\.npy: shape \[1, 1, 8, 9\] does not fit input 'global_in'/, [f]);
});
