import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFile, DATA_FILE_LIMIT } from '../util/safe-read.js';
import { assertReplaceableFile } from '../util/safe-write.js';
import { BrainsmithError } from '../errors.js';
import { ElemType, elemTypeName } from '../tensor/element-type.js';
import { decodeFloatArray, encodeFloatArray } from '../tensor/float-formats.js';
import { makeTensor, numElements, type NumericArray, type TensorValue } from '../tensor/tensor-value.js';
import { transposeTensor } from './ops/shape-ops.js';

/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): a magic string, a header dict literal
 * (`descr`, `fortran_order`, `shape`), then the raw elements. Reads C and Fortran order in either byte
 * order; writes C order, little-endian, version 1.0 (2.0 when the header needs it).
 */

export const E_NPY = 'E_NPY';
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface DtypeInfo {
  elemType: number;
  size: number;
}

/** numpy kind + item size → ONNX element type. */
const DTYPES: Record<string, DtypeInfo> = {
  f2: { elemType: ElemType.FLOAT16, size: 2 },
  f4: { elemType: ElemType.FLOAT, size: 4 },
  f8: { elemType: ElemType.DOUBLE, size: 8 },
  i1: { elemType: ElemType.INT8, size: 1 },
  i2: { elemType: ElemType.INT16, size: 2 },
  i4: { elemType: ElemType.INT32, size: 4 },
  i8: { elemType: ElemType.INT64, size: 8 },
  u1: { elemType: ElemType.UINT8, size: 1 },
  u2: { elemType: ElemType.UINT16, size: 2 },
  u4: { elemType: ElemType.UINT32, size: 4 },
  u8: { elemType: ElemType.UINT64, size: 8 },
  b1: { elemType: ElemType.BOOL, size: 1 },
};
const DESCR_OF = new Map<number, string>(Object.entries(DTYPES).map(([k, v]) => [v.elemType, k]));

function npyError(file: string, message: string): BrainsmithError {
  return new BrainsmithError(E_NPY, `${file}: ${message}`, { file });
}

interface Header {
  descr: string;
  fortran: boolean;
  shape: number[];
}

/** Parses the header's Python dict literal (only the forms numpy writes). */
function parseHeader(file: string, text: string): Header {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw npyError(file, `not a valid .npy header: ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const n = Number(s.replace(/L$/, ''));
    if (!Number.isSafeInteger(n) || n < 0) throw npyError(file, `invalid dimension '${s}' in the .npy shape`);
    return n;
  });
  return { descr, fortran: fortran === 'True', shape };
}

/** Decodes .npy bytes; `file` names the source in errors. */
export function decodeNpy(bytes: Uint8Array, file = 'npy data'): TensorValue {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw npyError(file, 'not a .npy file (missing the \\x93NUMPY magic)');
  const major = bytes[6]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) { headerLen = dv.getUint16(8, true); start = 10; }
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw npyError(file, 'truncated .npy header');
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else throw npyError(file, `unsupported .npy format version ${major}.${bytes[7]}`);
  if (start + headerLen > bytes.length) throw npyError(file, 'truncated .npy header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const h = parseHeader(file, text);
  const order = h.descr[0]!;
  const key = /^[<>|=]/.test(h.descr) ? h.descr.slice(1) : h.descr;
  const dt = DTYPES[key === '?' ? 'b1' : key];
  if (dt === undefined) throw npyError(file, `unsupported .npy dtype '${h.descr}' (numeric and bool dtypes are supported)`);
  const n = numElements(h.shape);
  const dataStart = start + headerLen;
  const need = n * dt.size;
  if (bytes.length - dataStart < need) throw npyError(file, `truncated .npy data: ${need} bytes expected, ${bytes.length - dataStart} present`);
  // Copy into an aligned buffer; big-endian data is byte-swapped on the way.
  const raw = new Uint8Array(need);
  raw.set(bytes.subarray(dataStart, dataStart + need));
  if (order === '>' && dt.size > 1) {
    for (let i = 0; i < need; i += dt.size) raw.subarray(i, i + dt.size).reverse();
  }
  const data = typedView(dt, raw, n);
  const dims = h.fortran ? h.shape.slice().reverse() : h.shape;
  const t = makeTensor(dt.elemType, dims, data);
  if (!h.fortran || h.shape.length < 2) return { ...t, dims: h.shape.slice() };
  // Fortran order is the row-major layout of the reversed shape: transpose back.
  const perm = h.shape.map((_, i) => h.shape.length - 1 - i);
  return transposeTensor(t, perm);
}

function typedView(dt: DtypeInfo, raw: Uint8Array, n: number): NumericArray {
  const b = raw.buffer;
  switch (dt.elemType) {
    case ElemType.FLOAT16: return decodeFloatArray(ElemType.FLOAT16, new Uint16Array(b, 0, n));
    case ElemType.FLOAT: return new Float32Array(b, 0, n);
    case ElemType.DOUBLE: return new Float64Array(b, 0, n);
    case ElemType.INT8: return new Int8Array(b, 0, n);
    case ElemType.INT16: return new Int16Array(b, 0, n);
    case ElemType.INT32: return new Int32Array(b, 0, n);
    case ElemType.INT64: return new BigInt64Array(b, 0, n);
    case ElemType.UINT8: return new Uint8Array(b, 0, n);
    case ElemType.UINT16: return new Uint16Array(b, 0, n);
    case ElemType.UINT32: return new Uint32Array(b, 0, n);
    case ElemType.UINT64: return new BigUint64Array(b, 0, n);
    default: return Uint8Array.from(new Uint8Array(b, 0, n), (v) => (v ? 1 : 0)); // BOOL
  }
}

/** Encodes a tensor as .npy bytes (C order, little-endian). */
export function encodeNpy(t: TensorValue): Uint8Array {
  const key = DESCR_OF.get(t.elemType);
  if (key === undefined) throw new BrainsmithError(E_NPY, `${elemTypeName(t.elemType)} tensors cannot be written as .npy`);
  const descr = key === 'b1' ? '|b1' : key.endsWith('1') ? `|${key}` : `<${key}`;
  const shape = t.dims.length === 1 ? `(${t.dims[0]},)` : `(${t.dims.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pre = dict.length + 1 + 10 > 65535 ? 12 : 10;
  const pad = (64 - ((pre + dict.length + 1) % 64)) % 64;
  dict = dict + ' '.repeat(pad) + '\n';
  const headerBytes = new TextEncoder().encode(dict);
  const data = t.elemType === ElemType.FLOAT16 ? encodeFloatArray(ElemType.FLOAT16, t.data as Float32Array) : (t.data as NumericArray);
  if (Array.isArray(data)) throw new BrainsmithError(E_NPY, 'string tensors cannot be written as .npy');
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(pre + headerBytes.length + body.length);
  out.set(MAGIC, 0);
  out[6] = pre === 10 ? 1 : 2;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (pre === 10) dv.setUint16(8, headerBytes.length, true);
  else dv.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, pre);
  out.set(body, pre + headerBytes.length);
  return out;
}

export function readNpy(file: string): TensorValue {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, { what: '.npy file', maxBytes: DATA_FILE_LIMIT });
  } catch (e) {
    throw npyError(file, (e as Error).message.replace(`${file}: `, ''));
  }
  return decodeNpy(bytes, file);
}

/** Writes atomically: a temporary file beside the target, then a rename. */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  assertReplaceableFile(file, 'cannot write the output there', 'E_WRITE');
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new BrainsmithError('E_WRITE', `${file}: cannot write: ${(e as Error).message}`, { file, kind: 'work' });
  }
}

export function writeNpy(file: string, t: TensorValue): void {
  writeFileAtomic(file, encodeNpy(t));
}
