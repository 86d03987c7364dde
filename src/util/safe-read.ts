/**
 * Reading a file the user named, safely: it must be a regular file (not a device such as /dev/zero, a FIFO
 * that would block, or a folder) and within a size limit, else it is refused at once with one line. The
 * file is opened without blocking and checked on the open descriptor, so a swap after a check changes
 * nothing, and never more than the size seen is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { BrainsmithError } from '../errors.js';
import { describeFsError } from './fs-errors.js';

/** Blueprints, folding configs, manifests: text a person writes. */
export const TEXT_FILE_LIMIT = 16 * 2 ** 20;
/** Tensors (.npy, .pb): bounded by what a Buffer can hold. */
export const DATA_FILE_LIMIT = 2 ** 31 - 1;

export interface SafeReadOptions {
  /** What the file is, for messages: 'blueprint', 'folding config', … */
  what: string;
  /** Largest size accepted, in bytes. */
  maxBytes: number;
  /** Error code for a file that is not regular or too large. */
  code?: string;
}

function sizeText(n: number): string {
  return n >= 2 ** 20 ? `${Math.round(n / 2 ** 20)} MiB` : `${n} bytes`;
}

export function readRegularFile(file: string, opts: SafeReadOptions): Buffer {
  const code = opts.code ?? 'E_FILE_NOT_REGULAR';
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw describeFsError(e, file, `cannot read the ${opts.what}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new BrainsmithError(code, `${file}: is a folder, not a ${opts.what} file`, { file });
    if (!st.isFile()) throw new BrainsmithError(code, `${file}: is not a regular file (a device, FIFO or socket); the ${opts.what} must be a regular file`, { file });
    if (st.size > opts.maxBytes) throw new BrainsmithError(code, `${file}: is ${sizeText(st.size)}, larger than the ${sizeText(opts.maxBytes)} a ${opts.what} may be`, { file });
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } catch (e) {
    if (e instanceof BrainsmithError) throw e;
    throw describeFsError(e, file, `cannot read the ${opts.what}`);
  } finally {
    closeSync(fd);
  }
}

export function readRegularTextFile(file: string, opts: Omit<SafeReadOptions, 'maxBytes'> & { maxBytes?: number }): string {
  return readRegularFile(file, { ...opts, maxBytes: opts.maxBytes ?? TEXT_FILE_LIMIT }).toString('utf8');
}
