import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../../src/exec/npy.js';
import { readTensorPb, writeTensorPb } from '../../src/exec/pb.js';
import { ElemType } from '../../src/tensor/element-type.js';
import type { TensorValue } from '../../src/tensor/tensor-value.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('bs-npy-');
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A .npy file as numpy lays it out: magic, version, header length, header dict, data. */
function npyBytes(header: string, body: Uint8Array, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  let h = header;
  while ((pre + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const hb = new TextEncoder().encode(h);
  const out = new Uint8Array(pre + hb.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, hb.length, true);
  else dv.setUint32(8, hb.length, true);
  out.set(hb, pre);
  out.set(body, pre + hb.length);
  return out;
}

test('round trips every numeric dtype, bool and float16 through .npy', () => {
  const cases: TensorValue[] = [
    { elemType: ElemType.FLOAT, dims: [2, 3], data: Float32Array.from([1, -2.5, 3, 4, 5, 6]) },
    { elemType: ElemType.DOUBLE, dims: [2], data: Float64Array.from([Math.PI, -1e300]) },
    { elemType: ElemType.INT64, dims: [3], data: BigInt64Array.from([-(2n ** 62n), 0n, 7n]) },
    { elemType: ElemType.UINT64, dims: [1], data: BigUint64Array.from([2n ** 63n]) },
    { elemType: ElemType.INT8, dims: [2], data: Int8Array.from([-128, 127]) },
    { elemType: ElemType.UINT16, dims: [2], data: Uint16Array.from([0, 65535]) },
    { elemType: ElemType.INT32, dims: [], data: Int32Array.from([-5]) },
    { elemType: ElemType.BOOL, dims: [3], data: Uint8Array.from([1, 0, 1]) },
    { elemType: ElemType.FLOAT16, dims: [2], data: Float32Array.from([0.5, -65504]) },
  ];
  for (const t of cases) {
    const file = path.join(tmp, `t${t.elemType}.npy`);
    writeNpy(file, t);
    const back = readNpy(file);
    assert.equal(back.elemType, t.elemType);
    assert.deepEqual(back.dims, t.dims);
    assert.deepEqual(Array.from(back.data as ArrayLike<unknown>), Array.from(t.data as ArrayLike<unknown>));
  }
});

test('written headers are padded to 64 bytes and name the dtype the numpy way', () => {
  const bytes = encodeNpy({ elemType: ElemType.INT64, dims: [4], data: new BigInt64Array(4) });
  const headerLen = bytes[8]! | (bytes[9]! << 8);
  assert.equal((10 + headerLen) % 64, 0);
  assert.match(new TextDecoder().decode(bytes.subarray(10, 10 + headerLen)), /^\{'descr': '<i8', 'fortran_order': False, 'shape': \(4,\), \}\s*\n$/);
});

test('Fortran order is read back into row-major order', () => {
  // 2x3 matrix [[1,2,3],[4,5,6]] stored column by column.
  const body = new Uint8Array(Int32Array.from([1, 4, 2, 5, 3, 6]).buffer);
  const t = decodeNpy(npyBytes("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", body));
  assert.deepEqual(t.dims, [2, 3]);
  assert.deepEqual(Array.from(t.data as Int32Array), [1, 2, 3, 4, 5, 6]);
});

test('big-endian data and version 2 and 3 headers', () => {
  const be = new Uint8Array(8);
  new DataView(be.buffer).setFloat32(0, 1.5, false);
  new DataView(be.buffer).setFloat32(4, -2, false);
  for (const major of [1, 2, 3]) {
    const t = decodeNpy(npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be, major));
    assert.deepEqual(Array.from(t.data as Float32Array), [1.5, -2]);
  }
});

test('the kws golden input (Fortran order) decodes to the expected shape', { skip: skipNoShared }, () => {
  const t = readNpy(shared('kws', 'input.npy'));
  assert.deepEqual(t.dims, [1, 1, 10, 49]);
  assert.equal(t.elemType, ElemType.FLOAT);
});

test('bad .npy files are errors naming the file', () => {
  const notNpy = path.join(tmp, 'bad.npy');
  writeFileSync(notNpy, 'hello world, not numpy');
  assert.throws(() => readNpy(notNpy), (e: Error) => e.message.startsWith(notNpy) && /magic/.test(e.message));
  const truncated = path.join(tmp, 'short.npy');
  writeFileSync(truncated, npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(8)));
  assert.throws(() => readNpy(truncated), /short\.npy: truncated \.npy data: 16 bytes expected, 8 present/);
  const objects = path.join(tmp, 'obj.npy');
  writeFileSync(objects, npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)));
  assert.throws(() => readNpy(objects), /obj\.npy: unsupported \.npy dtype '\|O'/);
  assert.throws(() => readNpy(path.join(tmp, 'missing.npy')), /missing\.npy: file not found/);
});

test('.pb TensorProto files round trip with their name; bad ones name the file', () => {
  const file = path.join(tmp, 'x.pb');
  const t: TensorValue = { elemType: ElemType.INT64, dims: [2, 1], data: BigInt64Array.from([3n, -4n]) };
  writeTensorPb(file, t, 'labels');
  const back = readTensorPb(file);
  assert.equal(back.name, 'labels');
  assert.deepEqual(back.value.dims, [2, 1]);
  assert.deepEqual(Array.from(back.value.data as BigInt64Array), [3n, -4n]);
  const bad = path.join(tmp, 'bad.pb');
  writeFileSync(bad, Uint8Array.from([0x0a, 0xff, 0xff]));
  assert.throws(() => readTensorPb(bad), (e: Error) => e.message.includes(bad));
});
