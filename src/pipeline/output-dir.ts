/**
 * The build folder: written under a temporary name beside the target and renamed into place at the end,
 * so a failed or interrupted compile never leaves a folder that looks complete. A finished build holds
 * `.brainsmith-build.json`; an existing folder without it is only replaced with --force. A compile that
 * fails (rather than being interrupted) keeps what it wrote as `<target>.failed` — compile.log and the
 * verification report are what one reads to find out why — a name no one mistakes for a finished build.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { hardExit, trackPartial, untrackPartial } from '../plugins/isolation.js';
import { describeFsError } from '../util/fs-errors.js';

export const BUILD_MARKER = '.brainsmith-build.json';
/** Marks `<target>.failed`, what a failed compile wrote, so that only such a folder is ever replaced. */
export const FAILED_MARKER = '.brainsmith-failed.json';

export interface BuildMarker {
  tool: 'brainsmith';
  version: string;
  model: string;
  blueprint: string;
  finished: string;
}

/** True when `dir` is a folder written by a finished compile. */
export function isBuildOutput(dir: string): boolean {
  return existsSync(path.join(dir, BUILD_MARKER));
}

function within(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** What --force may never remove: `/`, the home folder, the working folder or a folder above it, a folder holding an input. */
function forbiddenForForce(target: string, keep: { cwd: string; inputs: string[] }): string | undefined {
  if (path.dirname(target) === target) return 'it is the root folder';
  if (target === path.resolve(os.homedir())) return 'it is the home folder';
  if (within(path.resolve(keep.cwd), target)) return 'it contains the working folder';
  const input = keep.inputs.find((f) => within(path.resolve(f), target));
  if (input) return `it contains ${input}, an input of this compile`;
  return undefined;
}

/** Refuses targets that would destroy something the compiler did not write. */
export function checkTarget(target: string, force: boolean, keep: { cwd: string; inputs: string[] } = { cwd: process.cwd(), inputs: [] }): void {
  if (force) {
    const why = forbiddenForForce(target, keep);
    if (why) throw new BrainsmithError('E_OUTPUT_UNSAFE', `${target}: refusing to replace it with --force: ${why}; choose another -o`, { kind: 'input', file: target });
  }
  let st;
  try {
    st = statSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw describeFsError(e, target, 'cannot use it as the build folder');
  }
  if (!st.isDirectory()) {
    if (force && st.isFile()) return;
    throw new BrainsmithError('E_OUTPUT_EXISTS', `${target} exists and is ${st.isFile() ? 'a file' : 'not a regular file'}, not a build folder; choose another -o${st.isFile() ? ' or pass --force to replace it' : ''}`, { kind: 'input', file: target });
  }
  if (force || isBuildOutput(target) || readdirSync(target).length === 0) return;
  throw new BrainsmithError('E_OUTPUT_EXISTS', `${target} exists and is not a brainsmith build folder (no ${BUILD_MARKER}); choose another -o or pass --force to replace it`, { kind: 'input', file: target });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Partial folders of compiles to the same target whose process is gone (kill -9, power loss). */
export function removeStalePartials(target: string): string[] {
  const parent = path.dirname(target);
  const prefix = `.${path.basename(target)}.partial-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(n.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    rmSync(path.join(parent, n), { recursive: true, force: true });
    removed.push(path.join(parent, n));
  }
  return removed;
}

export class BuildFolder {
  readonly target: string;
  /** Where everything is written until commit(). */
  readonly dir: string;
  #done = false;
  #createdParent: string | undefined;
  readonly #onSignal: () => void;

  readonly #force: boolean;
  readonly #keep: { cwd: string; inputs: string[] };
  readonly #onSigterm: () => void;

  constructor(target: string, opts: { force?: boolean; keep?: { cwd: string; inputs: string[] } } = {}) {
    this.target = path.resolve(target);
    this.#force = Boolean(opts.force);
    this.#keep = opts.keep ?? { cwd: process.cwd(), inputs: [] };
    const parent = path.dirname(this.target);
    try {
      // Remember the first folder we create, so that a discarded build removes it again.
      this.#createdParent = mkdirSync(parent, { recursive: true });
    } catch (e) {
      throw describeFsError(e, parent, 'cannot create the build folder there');
    }
    removeStalePartials(this.target);
    const tag = `${process.pid}-${Date.now().toString(36)}`;
    this.dir = path.join(parent, `.${path.basename(this.target)}.partial-${tag}`);
    try {
      mkdirSync(this.dir);
    } catch (e) {
      throw describeFsError(e, parent, 'cannot create the build folder there');
    }
    trackPartial(this.dir);
    // Interrupted (Ctrl-C, kill): remove the partial folder, then exit as the signal would have (128 + signal).
    // Under the CLI's supervisor (a worker thread) signals reach the supervisor instead, which does the same.
    this.#onSignal = () => {
      this.discard();
      hardExit(130);
    };
    this.#onSigterm = () => {
      this.discard();
      hardExit(143);
    };
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSigterm);
  }

  path(...parts: string[]): string {
    const p = path.join(this.dir, ...parts);
    mkdirSync(path.dirname(p), { recursive: true });
    return p;
  }

  #release(): void {
    this.#done = true;
    untrackPartial(this.dir);
    process.removeListener('SIGINT', this.#onSignal);
    process.removeListener('SIGTERM', this.#onSigterm);
  }

  /** Marks the build finished and moves it into place, replacing a previous build (or, with --force, anything). */
  commit(marker: BuildMarker): void {
    if (this.#done) return;
    writeFileSync(path.join(this.dir, BUILD_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    // Checked again now: something may have appeared at the target while the compile ran.
    try {
      checkTarget(this.target, this.#force, this.#keep);
    } catch (e) {
      this.discard();
      throw e;
    }
    let old: string | undefined;
    if (existsSync(this.target)) {
      old = `${this.dir}.old`;
      renameSync(this.target, old);
    }
    try {
      renameSync(this.dir, this.target);
    } catch (e) {
      if (old) renameSync(old, this.target);
      throw new BrainsmithError('E_OUTPUT_MOVE', `cannot move the build into ${this.target}: ${(e as Error).message}`, { kind: 'work', file: this.target, cause: e });
    } finally {
      this.#release();
    }
    if (old) rmSync(old, { recursive: true, force: true });
    // A failed attempt before this one is stale now.
    const failed = `${this.target}.failed`;
    if (existsSync(path.join(failed, FAILED_MARKER))) rmSync(failed, { recursive: true, force: true });
  }

  /**
   * After a failure: moves the partial folder to `<target>.failed` (replacing an earlier one, never anything
   * else) and returns that path and what it holds; or discards it and returns undefined when nothing was
   * written yet, that name is taken by something brainsmith did not write, or the move fails.
   */
  keepFailed(error: string): { dir: string; contents: string[] } | undefined {
    if (this.#done) return undefined;
    const failed = `${this.target}.failed`;
    // Nothing worth reading was written (the compile failed before its log): keep nothing.
    const contents = readdirSync(this.dir, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name)).sort();
    if (!contents.length) {
      this.discard();
      return undefined;
    }
    try {
      if (existsSync(failed)) {
        if (!existsSync(path.join(failed, FAILED_MARKER))) {
          this.discard();
          return undefined;
        }
        rmSync(failed, { recursive: true, force: true });
      }
      writeFileSync(path.join(this.dir, FAILED_MARKER), `${JSON.stringify({ tool: 'brainsmith', error, failed: new Date().toISOString() }, null, 2)}\n`);
      renameSync(this.dir, failed);
      this.#release();
      return { dir: failed, contents };
    } catch {
      this.discard();
      return undefined;
    }
  }

  /** Removes the partial folder (failure or interruption). */
  discard(): void {
    if (this.#done) return;
    this.#release();
    rmSync(this.dir, { recursive: true, force: true });
    if (this.#createdParent) {
      // Only folders this build created, and only while they are still empty.
      let d = path.dirname(this.dir);
      const stop = path.dirname(this.#createdParent);
      while (d !== stop && readdirSync(d).length === 0) {
        rmSync(d, { recursive: true });
        d = path.dirname(d);
      }
    }
  }
}
