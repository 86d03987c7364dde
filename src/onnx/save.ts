import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { assertReplaceableFile, realWithin } from '../util/safe-write.js';
import type { Model } from '../ir/model.js';
import { encodeModelProtoChunks } from './codec.js';
import {
  checkExternalLocationSyntax, DATA_LOCATION_EXTERNAL, externalDataEntries, isExternalTensor,
  readExternalData, resolveExternalDataPath,
} from './external-data.js';
import type { ModelProto, TensorProto } from './proto-types.js';
import { cloneMessage, mapModelTensors, type TensorSite } from './tensor-walk.js';
import { hasRawConvertibleData, tensorDataByteLength, typedDataToRaw } from './tensor-bytes.js';

/**
 * Saving a model. Files appear atomically: everything is written to temporary files in the target folder and
 * renamed into place at the end, so a failure never leaves a partial model behind. The Model itself is not
 * changed by saving (tensors are rewritten copy-on-write), except in the one case documented at
 * `repointInMemoryTensors`.
 */

export const E_SAVE_FAILED = 'E_SAVE_FAILED';
export const E_SAVE_DIR_NOT_FOUND = 'E_SAVE_DIR_NOT_FOUND';

/** protobuf cannot encode a message of 2 GiB or more. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;
/** Like onnx's save_model: tensors smaller than this stay inside the model file. */
const DEFAULT_SIZE_THRESHOLD = 1024;
/** Large tensors start on page boundaries (mmap-friendly); small ones are packed more tightly. */
const PAGE_ALIGN = 4096;
const SMALL_ALIGN = 64;

export interface ExternalDataOptions {
  /** Data file name, relative to the model's folder (default `<model file name>.data`). */
  location?: string;
  /** Tensors with fewer bytes than this stay in the model file (default 1024). */
  sizeThreshold?: number;
}

export interface SaveOptions {
  /** Write initializers to a separate data file. Also done automatically when the model would pass 2 GB. */
  externalData?: boolean | ExternalDataOptions;
  /** The size above which weights are moved out automatically (default: protobuf's 2 GB limit; for tests). */
  maxModelBytes?: number;
}

/** What saveModel wrote. */
export interface SavedModel {
  /** The data file the model refers to (relative to its folder), when weights went to external data. */
  externalData?: string;
}

export async function saveModel(model: Model, file: string, opts: SaveOptions = {}): Promise<SavedModel> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  checkTargetFolder(file, dir);
  assertReplaceableFile(target, 'cannot save the model there', E_SAVE_FAILED);

  const proto = model.toProto();
  const sourceDir = model.source.baseDir;
  const limit = opts.maxModelBytes ?? PROTOBUF_LIMIT;
  const requested = opts.externalData !== undefined && opts.externalData !== false;
  const extOpts: ExternalDataOptions = typeof opts.externalData === 'object' ? opts.externalData : {};

  const temps: string[] = [];
  try {
    if (!requested) {
      const inline = inlineTensorsForSave(proto, sourceDir, limit);
      if (inline) {
        const encoded = encodeModelProtoChunks(inline);
        if (encoded.size <= limit) {
          writeAtomically(target, encoded.chunks, temps);
          return {};
        }
      }
    }
    // External mode: requested, or the model does not fit in one protobuf message.
    const location = extOpts.location ?? `${path.basename(target)}.data`;
    checkExternalLocationSyntax(location, `saving ${file}`);
    const dataFile = path.resolve(dir, location);
    checkDataFile(file, target, dataFile, location);
    const dataTemp = tempNameFor(dataFile);
    temps.push(dataTemp);
    const { proto: out, placements, written } = await writeExternalData(proto, sourceDir, dataTemp, location, {
      threshold: extOpts.sizeThreshold ?? DEFAULT_SIZE_THRESHOLD,
      includeAttributes: !requested,
    });
    const encoded = encodeModelProtoChunks(out);
    if (encoded.size > limit) {
      throw new BrainsmithError(E_SAVE_FAILED, `cannot save ${file}: the model is ${encoded.size} bytes even with its weights in external data (limit ${limit})`, { kind: 'work', file });
    }
    const modelTemp = tempNameFor(target);
    temps.push(modelTemp);
    writeChunks(modelTemp, encoded.chunks);
    const readers = sourceDir === undefined ? new Set<TensorProto>() : tensorsReadingFrom(proto, sourceDir, dataFile);
    if (written === 0) await fs.promises.rm(dataTemp, { force: true });
    await commitFiles(written > 0 ? [[dataTemp, dataFile], [modelTemp, target]] : [[modelTemp, target]]);
    temps.length = 0;
    if (readers.size > 0) repointInMemoryTensors(readers, placements, location, dir, sourceDir!);
    return written > 0 ? { externalData: location } : {};
  } catch (e) {
    await Promise.all(temps.map((t) => fs.promises.rm(t, { force: true }).catch(() => undefined)));
    throw saveError(file, e);
  }
}

/** The external data file must be a new or regular file of its own, inside the model's folder. */
function checkDataFile(file: string, target: string, dataFile: string, location: string): void {
  if (dataFile === target) {
    throw new BrainsmithError(E_SAVE_FAILED, `cannot save ${file}: the external data location '${location}' is the model file itself; choose another name`, { kind: 'input', file });
  }
  if (!realWithin(dataFile, path.dirname(target))) {
    throw new BrainsmithError(E_SAVE_FAILED, `cannot save ${file}: the external data location '${location}' leads outside the model's folder (through a symbolic link)`, { kind: 'input', file });
  }
  assertReplaceableFile(dataFile, `cannot write the external data of ${file} there`, E_SAVE_FAILED);
}

function checkTargetFolder(file: string, dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    throw new BrainsmithError(E_SAVE_DIR_NOT_FOUND, `cannot save ${file}: folder ${dir} does not exist`, { file, cause: e });
  }
  if (!st.isDirectory()) {
    throw new BrainsmithError(E_SAVE_DIR_NOT_FOUND, `cannot save ${file}: ${dir} is not a folder`, { file });
  }
}

function saveError(file: string, e: unknown): BrainsmithError {
  if (e instanceof BrainsmithError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new BrainsmithError(E_SAVE_FAILED, `cannot save ${file}: ${reason}`, { kind: 'work', file, cause: e });
}

function tempNameFor(finalPath: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`);
}

/**
 * Renames temporary files into place, in order (data file before the model, so a model never names a data
 * file that is not there yet). The last rename replaces its target atomically; files replaced before it are
 * kept aside until then and put back if a later rename fails, so a failure leaves the folder as it was.
 */
async function commitFiles(moves: Array<[temp: string, final: string]>): Promise<void> {
  const placed: string[] = [];
  const backups: Array<[final: string, backup: string]> = [];
  try {
    moves.forEach(([, final], i) => {
      if (i < moves.length - 1 && fs.existsSync(final)) backups.push([final, tempNameFor(final)]);
    });
    for (const [final, backup] of backups) await fs.promises.rename(final, backup);
    for (const [temp, final] of moves) {
      await fs.promises.rename(temp, final);
      placed.push(final);
    }
  } catch (e) {
    for (const f of placed) await fs.promises.rm(f, { force: true }).catch(() => undefined);
    for (const [final, backup] of backups) await fs.promises.rename(backup, final).catch(() => undefined);
    throw e;
  }
  for (const [, backup] of backups) await fs.promises.rm(backup, { force: true }).catch(() => undefined);
}

/**
 * Synchronous: a model that fits in one protobuf message is written in a few calls, and each await of the
 * thread pool left a short compile idle (it saves the model after every stage).
 */
function writeAtomically(target: string, chunks: Uint8Array[], temps: string[]): void {
  const temp = tempNameFor(target);
  temps.push(temp);
  writeChunks(temp, chunks);
  fs.renameSync(temp, target);
  temps.length = 0;
}

/**
 * Writes consecutive chunks to a new file (fails if it exists: temp names are never reused). Synchronous:
 * a model file is at most one protobuf message (the weights of a larger one go to external data), and an
 * await of the thread pool per call left a short compile idle.
 */
function writeChunks(file: string, chunks: Uint8Array[]): void {
  const fd = fs.openSync(file, 'wx');
  try {
    for (const chunk of chunks) {
      let done = 0;
      while (done < chunk.length) done += fs.writeSync(fd, chunk, done, chunk.length - done);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The proto to write when everything stays in the model file: tensors that were external in the source are
 * read and inlined as raw_data. Returns undefined (without reading anything) when the weights alone would
 * already pass `limit`, so the caller goes straight to external data.
 */
function inlineTensorsForSave(proto: ModelProto, sourceDir: string | undefined, limit: number): ModelProto | undefined {
  let total = 0;
  mapModelTensors(proto, (t) => {
    total += tensorDataByteLength(t, sourceDir);
    return undefined;
  });
  if (total > limit) return undefined;
  return mapModelTensors(proto, (t) => {
    if (!isExternalTensor(t)) return undefined;
    return inlinedTensor(t, readExternalData(t, requireSourceDir(t, sourceDir)));
  });
}

function requireSourceDir(t: TensorProto, sourceDir: string | undefined): string {
  if (sourceDir === undefined) {
    throw new BrainsmithError(E_SAVE_FAILED, `tensor '${t.name ?? ''}' has external data but the model has no source folder to read it from`, { kind: 'work' });
  }
  return sourceDir;
}

/** A copy of `t` holding `bytes` as raw_data and no external reference. */
function inlinedTensor(t: TensorProto, bytes: Uint8Array): TensorProto {
  const copy = cloneMessage(t);
  copy.raw_data = bytes;
  delete copy.data_location;
  copy.external_data = [];
  return copy;
}

/** Where a source tensor's bytes went in the new data file (or that they were inlined). */
type Placement = { offset: number; length: number } | { inline: Uint8Array };

interface ExternalWriteOptions {
  /** Tensors with fewer bytes stay inline. */
  threshold: number;
  /** Also move out tensor-valued attributes (Constant nodes), not only initializers. */
  includeAttributes: boolean;
}

/**
 * Writes the weights to `dataTemp` and returns the proto that refers to them. Tensors that were external in
 * the source are copied (one at a time, so memory stays bounded) or inlined when below the threshold.
 */
async function writeExternalData(
  proto: ModelProto, sourceDir: string | undefined, dataTemp: string, location: string, o: ExternalWriteOptions,
): Promise<{ proto: ModelProto; placements: Map<TensorProto, Placement>; written: number }> {
  const handle = await fs.promises.open(dataTemp, 'wx');
  const placements = new Map<TensorProto, Placement>();
  let end = 0;
  try {
    // Collect first: the tensor walk is synchronous, writes are not.
    const moves: Array<{ tensor: TensorProto; bytes: () => Uint8Array; length: number }> = [];
    const inlined = new Map<TensorProto, Uint8Array>();
    mapModelTensors(proto, (t, site: TensorSite) => {
      const external = isExternalTensor(t);
      if (!external && site === 'attribute' && !o.includeAttributes) return undefined;
      if (external) {
        const dir = requireSourceDir(t, sourceDir);
        const length = tensorDataByteLength(t, dir);
        if (length < o.threshold) inlined.set(t, readExternalData(t, dir));
        else moves.push({ tensor: t, length, bytes: () => readExternalData(t, dir) });
        return undefined;
      }
      if (t.raw_data && t.raw_data.length >= o.threshold) {
        const raw = t.raw_data;
        moves.push({ tensor: t, length: raw.length, bytes: () => raw });
        return undefined;
      }
      const length = t.raw_data ? 0 : tensorDataByteLength(t, undefined);
      if (length >= o.threshold && hasRawConvertibleData(t)) {
        // Converted when written, so only one tensor's converted copy exists at a time.
        moves.push({ tensor: t, length, bytes: () => typedDataToRaw(t)! });
      }
      return undefined;
    });

    const offsets = new Map<TensorProto, number>();
    for (const m of moves) {
      const offset = alignUp(end, m.length >= PAGE_ALIGN ? PAGE_ALIGN : SMALL_ALIGN);
      const bytes = m.bytes();
      await writeFully(handle, bytes, offset);
      offsets.set(m.tensor, offset);
      placements.set(m.tensor, { offset, length: bytes.length });
      end = offset + bytes.length;
    }
    for (const [t, bytes] of inlined) placements.set(t, { inline: bytes });

    const out = mapModelTensors(proto, (t) => {
      const offset = offsets.get(t);
      if (offset !== undefined) return externalTensor(t, location, offset, (placements.get(t) as { length: number }).length);
      const bytes = inlined.get(t);
      return bytes ? inlinedTensor(t, bytes) : undefined;
    });
    return { proto: out, placements, written: moves.length };
  } finally {
    await handle.close();
  }
}

async function writeFully(handle: fs.promises.FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** A copy of `t` that points at its bytes in the data file, with the inline data fields removed. */
function externalTensor(t: TensorProto, location: string, offset: number, length: number): TensorProto {
  const copy = cloneMessage(t);
  delete copy.raw_data;
  for (const f of ['float_data', 'int32_data', 'int64_data', 'double_data', 'uint64_data'] as const) copy[f] = [];
  copy.data_location = DATA_LOCATION_EXTERNAL;
  copy.external_data = externalDataEntries(t.external_data, location, offset, length);
  return copy;
}

/** The in-memory tensors that read their bytes from `dataFile` (which saving is about to replace). */
function tensorsReadingFrom(proto: ModelProto, sourceDir: string, dataFile: string): Set<TensorProto> {
  const readers = new Set<TensorProto>();
  let realData: string;
  try {
    realData = fs.realpathSync(dataFile);
  } catch {
    return readers; // does not exist yet, so nothing reads from it
  }
  mapModelTensors(proto, (t) => {
    if (isExternalTensor(t) && resolveExternalDataPath(t, sourceDir) === realData) readers.add(t);
    return undefined;
  });
  return readers;
}

/**
 * Saving with external data over the very file the loaded model reads its weights from (e.g. updating a
 * model in place) replaces that file with a new layout. The in-memory tensors that pointed into it are then
 * repointed to their new offsets (or given their bytes inline), so the Model stays readable.
 */
function repointInMemoryTensors(
  readers: Set<TensorProto>, placements: Map<TensorProto, Placement>, location: string, dir: string, sourceDir: string,
): void {
  const fromSource = path.relative(fs.realpathSync(sourceDir), fs.realpathSync(path.resolve(dir, location)));
  for (const t of readers) {
    const p = placements.get(t);
    if (!p) continue;
    if ('inline' in p) {
      t.raw_data = p.inline;
      delete t.data_location;
      t.external_data = [];
    } else {
      t.external_data = externalDataEntries(t.external_data, fromSource.split(path.sep).join('/'), p.offset, p.length);
    }
  }
}
