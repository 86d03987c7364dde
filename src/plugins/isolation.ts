/**
 * Plugin code cannot take the compiler down. Every import of a plugin file and every hook call runs inside
 * `guardPluginCall`, which records what is running (an "activity": plugin, hook, component), so that:
 *   - `process.exit()`, `process.abort()` and `process.reallyExit()` called by plugin code throw instead;
 *   - an exception thrown from a plugin's timer, or a rejection it leaves unhandled, fails the hook that is
 *     running (or, when none is, ends the command cleanly) with one line naming the plugin;
 *   - a hook whose promise never settles is failed when the event loop runs empty, instead of Node exiting 13;
 *   - an optional time limit fails a hook that does not finish in time.
 * A plugin stuck in a synchronous loop cannot be stopped from its own thread: the CLI therefore runs commands
 * in a worker thread (src/cli/supervisor.ts), and this module tells the supervisor what runs, so that it can
 * stop the worker on Ctrl-C or at a time limit and say which plugin was running.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { rmSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BrainsmithError, errorMessage } from '../errors.js';
import { escapeControl } from '../util/escape.js';
import { importTimeLimitMs, seconds, writeActivityLabel, type SupervisedData, type SupervisorMessage } from './supervision.js';

export { importTimeLimitMs, seconds, type SupervisedData, type SupervisorMessage };

export interface Activity {
  /** Plugin id, or the plugin file for imports. */
  plugin: string;
  /** `import`, `apply`, `run`, `setup`, `teardown`, … */
  hook: string;
  /** e.g. `transform ns:Name`; absent for imports. */
  component?: string;
  /** The plugin file (used to recognise its frames in stacks). */
  file?: string;
}

/** `plugin X, apply() of transform ns:Name` / `plugin file F, import`. */
export function describeActivity(a: Activity): string {
  if (a.hook === 'import') return `plugin file ${a.plugin}, import`;
  return `plugin ${a.plugin}, ${a.hook}() of ${a.component ?? 'a component'}`;
}

const supervised: SupervisedData | undefined =
  !isMainThread && (workerData as SupervisedData | undefined)?.brainsmithSupervised ? (workerData as SupervisedData) : undefined;

/** Tells the supervisor (when there is one) about activities and partial folders. */
export function notifySupervisor(m: SupervisorMessage): void {
  if (supervised && parentPort) parentPort.postMessage(m);
}

/** Keeps the supervisor's view of the innermost plugin call current (see supervision.ts). */
function publishInnermost(): void {
  if (!supervised?.activity) return;
  const top = frames[frames.length - 1];
  writeActivityLabel(supervised.activity, top ? describeActivity(top.activity) : '');
}

export function hungImport(file: string): boolean {
  return Boolean(supervised?.hungImports?.includes(file));
}

export function bundlesDisabled(): boolean {
  return Boolean(supervised?.noBundles);
}

interface Frame {
  id: number;
  activity: Activity;
  reject: (e: Error) => void;
}

const als = new AsyncLocalStorage<Activity>();
const frames: Frame[] = [];
let nextId = 1;
let last: Activity | undefined;
const filesSeen = new Map<string, Activity>();
let hookLimitMs: number | undefined;

/** A per-hook time limit for transforms and steps (undefined: none). */
export function setHookTimeLimit(ms: number | undefined): void {
  hookLimitMs = ms && ms > 0 ? ms : undefined;
}

export function hookTimeLimit(): number | undefined {
  return hookLimitMs;
}

/** The plugin activity running now, if any. */
export function currentActivity(): Activity | undefined {
  return als.getStore() ?? frames[frames.length - 1]?.activity;
}

/**
 * Runs plugin code as `activity`. The result is the code's result, or a BrainsmithError (E_PLUGIN_HOOK) when
 * it exceeds `limitMs`, never settles, or a timer/rejection of a plugin fails while it runs. `builtin`: the
 * code is a built-in component's.
 */
export async function guardPluginCall<T>(activity: Activity, fn: () => T | Promise<T>, opts: { limitMs?: number; files?: string[]; builtin?: boolean } = {}): Promise<T> {
  const id = nextId++;
  let reject!: (e: Error) => void;
  const stop = new Promise<never>((_, rej) => {
    reject = rej;
  });
  stop.catch(() => {});
  const frame: Frame = { id, activity, reject };
  frames.push(frame);
  if (activity.file) filesSeen.set(activity.file, activity);
  const limitMs = opts.limitMs;
  // Imports and limited calls are timed by the supervisor: it must hear of them. The others only need to be
  // named if the worker is stopped while they run, which the shared label does.
  const announce = activity.hook === 'import' || limitMs !== undefined || !supervised?.activity;
  if (announce) notifySupervisor({ t: 'start', id, label: describeActivity(activity), hook: activity.hook, file: activity.file, files: opts.files, limitMs });
  publishInnermost();
  let timer: NodeJS.Timeout | undefined;
  if (limitMs) {
    timer = setTimeout(() => reject(new BrainsmithError('E_PLUGIN_TIME_LIMIT', `${describeActivity(activity)} did not finish within ${seconds(limitMs)}`, { kind: 'work', file: activity.file })), limitMs);
    timer.unref();
  }
  try {
    // A built-in component's code is the compiler's own: nothing to attribute to it across timers and
    // callbacks beyond the frame stack, and its process.exit() would be the compiler's. Kept out of
    // AsyncLocalStorage, a command that runs only built-ins never turns on Node's promise hooks, which
    // otherwise cost every await (TFC compile: 30 ms of CPU, measured side by side).
    const run = async (): Promise<T> => await fn();
    return await Promise.race([opts.builtin ? run() : als.run(activity, run), stop]);
  } finally {
    if (timer) clearTimeout(timer);
    const i = frames.indexOf(frame);
    if (i >= 0) frames.splice(i, 1);
    last = activity;
    if (announce) notifySupervisor({ t: 'end', id });
    publishInnermost();
  }
}

/** The plugin whose code a stack trace runs through (files of plugins seen so far). */
function activityInStack(e: unknown): Activity | undefined {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  if (!stack) return undefined;
  for (const [file, a] of filesSeen) if (stack.includes(file)) return a;
  return undefined;
}

/** A thrown value's text, even when its toString throws. */
export function safeMessage(e: unknown): string {
  try {
    return errorMessage(e);
  } catch {
    try {
      return Object.prototype.toString.call(e);
    } catch {
      return 'an unprintable value';
    }
  }
}

// ---- process-level guards -------------------------------------------------------------------------------

const realExit = process.exit.bind(process);
const realReallyExit = (process as unknown as { reallyExit: (c?: number) => never }).reallyExit.bind(process);
const realAbort = process.abort.bind(process);
const cleanups = new Set<string>();
let installed = false;
/** Set while the compiler itself exits: process.exit() calls reallyExit() internally. */
let exiting = false;

/** Ends the process (or, in a supervised worker, the worker) for real: for the compiler's own use. */
export function hardExit(code: number): never {
  exiting = true;
  return realExit(code);
}

/** Folders to remove when the command must end abruptly (partial build folders). */
export function trackPartial(dir: string): void {
  cleanups.add(dir);
  notifySupervisor({ t: 'partial', dir });
}

export function untrackPartial(dir: string): void {
  cleanups.delete(dir);
  notifySupervisor({ t: 'partial-gone', dir });
}

/** Removes the tracked partial folders (synchronously: the process may be about to end). */
export function removeTrackedPartials(): void {
  for (const d of cleanups) rmSync(d, { recursive: true, force: true });
  cleanups.clear();
}

function escapeAttempt(what: string): never {
  const a = currentActivity();
  throw new BrainsmithError('E_PLUGIN_EXIT', `${a ? describeActivity(a) : 'plugin code'} called ${what}; plugins must throw an error instead`, { kind: 'work', file: a?.file });
}

/** Ends the command at once: one line, partial folders removed, exit 1. */
function fatal(message: string): void {
  removeTrackedPartials();
  if (supervised && parentPort) {
    parentPort.postMessage({ t: 'fatal', message } satisfies SupervisorMessage);
    hardExit(1);
  }
  process.stderr.write(`brainsmith: error: ${escapeControl(message.replace(/\s*\n\s*/g, ' '))}\n`);
  hardExit(1);
}

function onEscapedError(e: unknown, how: string): void {
  const a = als.getStore() ?? activityInStack(e) ?? frames[frames.length - 1]?.activity ?? last;
  const message = a
    ? `${describeActivity(a)} ${how}: ${safeMessage(e)}`
    : `internal error (${how}): ${safeMessage(e)}`;
  // Whatever runs now may be another plugin's code or the compiler's: the command cannot go on trusting its
  // state, so it ends here (partial output removed) rather than fail some innocent call later.
  fatal(message);
}

/**
 * Installs the process-level guards once per thread (the CLI does, before running a command; library users
 * and tests keep Node's own behaviour unless they call it).
 */
export function installProcessGuards(): void {
  if (installed) return;
  installed = true;
  const guardedExit = (code?: number | string | null): never => {
    if (!exiting && als.getStore()) escapeAttempt(`process.exit(${code ?? ''})`);
    exiting = true;
    // The compiler's own exit (yargs after --help): the supervisor takes it as the command's exit code.
    notifySupervisor({ t: 'done', code: Number(code ?? process.exitCode ?? 0) || 0 });
    return realExit(code as number);
  };
  process.exit = guardedExit as typeof process.exit;
  (process as unknown as { reallyExit: (c?: number) => never }).reallyExit = (code?: number): never => {
    if (!exiting && als.getStore()) escapeAttempt(`process.reallyExit(${code ?? ''})`);
    return realReallyExit(code);
  };
  process.abort = (): never => {
    if (als.getStore() || frames.length) escapeAttempt('process.abort()');
    return realAbort();
  };
  process.on('uncaughtException', (e) => onEscapedError(e, 'threw outside its call (from a timer or callback)'));
  process.on('unhandledRejection', (e) => onEscapedError(e, 'left a promise rejected'));
  // The event loop ran empty while plugin code was awaited: its promise can never settle.
  process.on('beforeExit', () => {
    for (const f of [...frames].reverse()) {
      f.reject(new BrainsmithError('E_PLUGIN_HOOK', `${describeActivity(f.activity)} never finished: its promise neither resolved nor rejected`, { kind: 'work', file: f.activity.file }));
    }
  });
}
