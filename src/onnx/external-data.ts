import * as fs from 'node:fs';
import * as buffer from 'node:buffer';
import * as path from 'node:path';
import { BrainsmithError } from '../errors.js';
import type { StringStringEntryProto, TensorProto } from './proto-types.js';

/** Bytes per read call (fs.readSync takes at most 2^31 - 1). */
const READ_CHUNK = 2 ** 30;
const MAX_BUFFER = buffer.constants.MAX_LENGTH;
export const E_EXTERNAL_DATA_TOO_LARGE = 'E_EXTERNAL_DATA_TOO_LARGE';

/**
 * Tensors whose bytes live in a separate file (`data_location = EXTERNAL`, ONNX's answer to protobuf's 2 GB
 * limit). The `external_data` entries name the file (`location`, relative to the model's folder) and the
 * byte range (`offset`, `length`). A location may never leave the model's folder: absolute paths, `..`
 * and symlinks pointing outside are refused (the path-traversal CVE class of ONNX loaders).
 */

export const DATA_LOCATION_EXTERNAL = 1;

export const E_EXTERNAL_DATA_PATH = 'E_EXTERNAL_DATA_PATH';
export const E_EXTERNAL_DATA_MISSING = 'E_EXTERNAL_DATA_MISSING';
export const E_EXTERNAL_DATA_TRUNCATED = 'E_EXTERNAL_DATA_TRUNCATED';
export const E_EXTERNAL_DATA_INVALID = 'E_EXTERNAL_DATA_INVALID';

export interface ExternalDataRef {
  location: string;
  offset: number;
  /** Absent: the data runs to the end of the file. */
  length?: number;
  checksum?: string;
}

export function isExternalTensor(t: TensorProto): boolean {
  return t.data_location === DATA_LOCATION_EXTERNAL;
}

function tensorLabel(t: TensorProto): string {
  return t.name ? `tensor '${t.name}'` : 'an unnamed tensor';
}

/** The parsed `external_data` entries of a tensor. */
export function externalDataRef(t: TensorProto): ExternalDataRef {
  const entries = new Map<string, string>();
  for (const e of t.external_data ?? []) entries.set(e.key ?? '', e.value ?? '');
  const location = entries.get('location');
  if (!location) {
    throw new BrainsmithError(E_EXTERNAL_DATA_INVALID, `${tensorLabel(t)} is marked EXTERNAL but has no external_data 'location'`);
  }
  const ref: ExternalDataRef = { location, offset: parseSize(t, entries, 'offset') ?? 0 };
  const length = parseSize(t, entries, 'length');
  if (length !== undefined) ref.length = length;
  const checksum = entries.get('checksum');
  if (checksum !== undefined) ref.checksum = checksum;
  return ref;
}

function parseSize(t: TensorProto, entries: Map<string, string>, key: string): number | undefined {
  const v = entries.get(key);
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new BrainsmithError(E_EXTERNAL_DATA_INVALID, `${tensorLabel(t)}: external_data '${key}' is not a byte count: '${v}'`);
  }
  return n;
}

/**
 * Refuses locations that could name a file outside `baseDir` before any file is touched: absolute paths
 * (POSIX or Windows style), any `..` segment, NUL bytes.
 */
export function checkExternalLocationSyntax(location: string, what: string): void {
  const refuse = (why: string): never => {
    throw new BrainsmithError(E_EXTERNAL_DATA_PATH, `${what}: external data location '${location}' refused: ${why}`);
  };
  if (location.includes('\0')) refuse('it contains a NUL byte');
  if (path.posix.isAbsolute(location) || path.win32.isAbsolute(location) || /^[a-zA-Z]:/.test(location)) {
    refuse('absolute paths are not allowed; it must be relative to the model folder');
  }
  if (location.split(/[\\/]/).includes('..')) refuse("'..' is not allowed; it must stay inside the model folder");
}

/**
 * The real path of a tensor's external data file, after checking that it exists and lies inside `baseDir`
 * once symlinks are resolved.
 */
export function resolveExternalDataPath(t: TensorProto, baseDir: string): string {
  const { location } = externalDataRef(t);
  checkExternalLocationSyntax(location, tensorLabel(t));
  let realBase: string;
  try {
    realBase = fs.realpathSync(baseDir);
  } catch (e) {
    throw new BrainsmithError(E_EXTERNAL_DATA_MISSING, `${tensorLabel(t)}: model folder '${baseDir}' for external data not found`, { cause: e });
  }
  const candidate = path.resolve(realBase, location);
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch (e) {
    throw new BrainsmithError(E_EXTERNAL_DATA_MISSING, `${tensorLabel(t)}: external data file '${location}' not found in ${realBase}`, {
      file: candidate, cause: e,
    });
  }
  const rel = path.relative(realBase, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new BrainsmithError(
      E_EXTERNAL_DATA_PATH,
      `${tensorLabel(t)}: external data location '${location}' refused: it resolves to ${real}, outside the model folder ${realBase}`,
      { file: candidate },
    );
  }
  return real;
}

/** Absolute byte range of a tensor's data in its (already resolved) file. */
function byteRange(t: TensorProto, ref: ExternalDataRef, file: string, fileSize: number): { offset: number; length: number } {
  const length = ref.length ?? fileSize - ref.offset;
  if (ref.offset + length > fileSize || length < 0) {
    throw new BrainsmithError(
      E_EXTERNAL_DATA_TRUNCATED,
      `${tensorLabel(t)}: external data file '${ref.location}' is too short: needs bytes ${ref.offset}..${ref.offset + Math.max(length, 0)} but has ${fileSize}`,
      { file },
    );
  }
  return { offset: ref.offset, length };
}

function statFile(t: TensorProto, file: string, location: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new BrainsmithError(E_EXTERNAL_DATA_MISSING, `${tensorLabel(t)}: cannot read external data file '${location}': ${(e as Error).message}`, { file, cause: e });
  }
  if (!st.isFile()) {
    throw new BrainsmithError(E_EXTERNAL_DATA_MISSING, `${tensorLabel(t)}: external data location '${location}' is not a regular file`, { file });
  }
  return st;
}

/** Checks path safety, existence and size without reading the data; returns the data's byte length. */
export function checkExternalData(t: TensorProto, baseDir: string): number {
  const ref = externalDataRef(t);
  const file = resolveExternalDataPath(t, baseDir);
  return byteRange(t, ref, file, statFile(t, file, ref.location).size).length;
}

/** Reads a tensor's external bytes into a new buffer. */
export function readExternalData(t: TensorProto, baseDir: string): Uint8Array {
  const ref = externalDataRef(t);
  const file = resolveExternalDataPath(t, baseDir);
  const size = statFile(t, file, ref.location).size;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new BrainsmithError(E_EXTERNAL_DATA_MISSING, `${tensorLabel(t)}: cannot open external data file '${ref.location}': ${(e as Error).message}`, { file, cause: e });
  }
  try {
    const { offset, length } = byteRange(t, ref, file, size);
    if (length > MAX_BUFFER) {
      throw new BrainsmithError(E_EXTERNAL_DATA_TOO_LARGE, `${tensorLabel(t)}: external data of ${length} bytes in '${ref.location}' is more than one tensor can hold here (${MAX_BUFFER} bytes)`, { file });
    }
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      // One read call takes at most 2 GiB - 1: larger tensors are read in pieces.
      const n = fs.readSync(fd, out, done, Math.min(length - done, READ_CHUNK), offset + done);
      if (n === 0) {
        throw new BrainsmithError(E_EXTERNAL_DATA_TRUNCATED, `${tensorLabel(t)}: external data file '${ref.location}' ended early while reading`, { file });
      }
      done += n;
    }
    return out;
  } catch (e) {
    if (e instanceof BrainsmithError) throw e;
    throw new BrainsmithError(E_EXTERNAL_DATA_MISSING, `${tensorLabel(t)}: cannot read external data file '${ref.location}': ${(e as Error).message}`, { file, cause: e });
  } finally {
    fs.closeSync(fd);
  }
}

/** external_data entries for data written at `offset` in `location`, keeping any other keys (e.g. checksum). */
export function externalDataEntries(
  previous: StringStringEntryProto[] | undefined, location: string, offset: number, length: number,
): StringStringEntryProto[] {
  const placement = new Set(['location', 'offset', 'length', 'basepath']);
  const kept = (previous ?? []).filter((e) => !placement.has(e.key ?? ''));
  return [
    { key: 'location', value: location },
    { key: 'offset', value: String(offset) },
    { key: 'length', value: String(length) },
    ...kept,
  ];
}
