/**
 * Packing of 4-bit and 2-bit elements, as ONNX stores them in raw_data and int32_data: elements fill each
 * byte from the least significant bits up (x0 | x1 << 4, or x0 | x1 << 2 | x2 << 4 | x3 << 6); the last
 * byte is padded with zero bits.
 */
export type SubByteWidth = 2 | 4;

/** Bytes needed for `n` elements of `bits` width. */
export function packedByteLength(n: number, bits: SubByteWidth): number {
  return Math.ceil((n * bits) / 8);
}

/**
 * The first `n` elements of packed data, sign-extended when `signed`. `packed` may be bytes or the
 * entries of int32_data (only the low 8 bits of each entry are read).
 */
export function unpackSubByte(packed: ArrayLike<number>, bits: SubByteWidth, n: number, signed: boolean): Int8Array | Uint8Array {
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const signBit = 1 << (bits - 1);
  const out = signed ? new Int8Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = (packed[(i / perByte) | 0]! >> ((i % perByte) * bits)) & mask;
    out[i] = signed ? (v ^ signBit) - signBit : v;
  }
  return out;
}

/** Packs elements (values are taken modulo 2^bits, i.e. two's complement for negative ones). */
export function packSubByte(values: ArrayLike<number>, bits: SubByteWidth): Uint8Array {
  const perByte = 8 / bits;
  const mask = (1 << bits) - 1;
  const n = values.length;
  const out = new Uint8Array(packedByteLength(n, bits));
  for (let i = 0; i < n; i++) out[(i / perByte) | 0] |= (values[i]! & mask) << ((i % perByte) * bits);
  return out;
}
