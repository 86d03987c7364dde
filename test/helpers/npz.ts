/**
 * Reads the arrays of a NumPy .npz written without compression (np.savez): a zip archive whose entries are
 * .npy files. Only what the fixtures need: stored entries, sizes in the local headers.
 */
import { readFileSync } from 'node:fs';
import { decodeNpy } from '../../src/exec/npy.js';
import type { TensorValue } from '../../src/tensor/tensor-value.js';

export function readNpz(file: string): Map<string, TensorValue> {
  const buf = readFileSync(file);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Map<string, TensorValue>();
  let at = 0;
  while (at + 30 <= buf.length && view.getUint32(at, true) === 0x04034b50) {
    const flags = view.getUint16(at + 6, true);
    const method = view.getUint16(at + 8, true);
    const size = view.getUint32(at + 18, true);
    const nameLen = view.getUint16(at + 26, true);
    const extraLen = view.getUint16(at + 28, true);
    const name = buf.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    if (method !== 0 || flags & 0x08) throw new Error(`${file}: entry ${name} is compressed or streamed; only np.savez archives are read`);
    const start = at + 30 + nameLen + extraLen;
    out.set(name.replace(/\.npy$/, ''), decodeNpy(buf.subarray(start, start + size), `${file}:${name}`));
    at = start + size;
  }
  return out;
}
