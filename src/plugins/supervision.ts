/**
 * What the CLI's supervisor (src/cli/supervisor.ts, the main thread) and the supervised worker
 * (isolation.ts) share: the messages between them and the time limits. Kept free of imports, so that the
 * main thread loads next to nothing before it starts the worker.
 */

/** Messages to the supervisor (src/cli/supervisor.ts). */
export type SupervisorMessage =
  | { t: 'start'; id: number; label: string; hook: string; file?: string; files?: string[]; limitMs?: number }
  | { t: 'end'; id: number }
  | { t: 'partial'; dir: string }
  | { t: 'partial-gone'; dir: string }
  | { t: 'fatal'; message: string }
  | { t: 'done'; code: number };

export interface SupervisedData {
  brainsmithSupervised: true;
  /** Plugin files whose import did not finish in time in an earlier attempt of this command. */
  hungImports?: string[];
  /** A bundle import hung: import files one by one. */
  noBundles?: boolean;
  /** Where the worker keeps the label of the innermost plugin call (createActivityLabel). */
  activity?: SharedArrayBuffer;
}

/** Default time for one plugin file's import before it counts as hung (seconds, BRAINSMITH_IMPORT_TIME_LIMIT; default 10). */
export function importTimeLimitMs(): number {
  const s = Number(process.env.BRAINSMITH_IMPORT_TIME_LIMIT);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 10_000;
}

export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * The label of the plugin call running innermost in the worker ('' when none), in memory both threads see.
 * The worker writes it at every start and end of a plugin call, which is cheap; a message per call would
 * cost a short compile more than its plugin calls. The supervisor reads it only when it must say what was
 * running (Ctrl-C, a worker that ended without finishing). Calls the supervisor must time (imports, hooks
 * under --time-limit) are still announced by message.
 */
const LABEL_CHARS = 1024;
const HEADER = 2; // Int32: [writes, length]

export function createActivityLabel(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER * 4 + LABEL_CHARS * 2);
}

export function writeActivityLabel(buf: SharedArrayBuffer, label: string): void {
  const head = new Int32Array(buf, 0, HEADER);
  const chars = new Uint16Array(buf, HEADER * 4, LABEL_CHARS);
  const n = Math.min(label.length, LABEL_CHARS);
  Atomics.add(head, 0, 1); // odd while writing
  for (let i = 0; i < n; i++) chars[i] = label.charCodeAt(i);
  Atomics.store(head, 1, n);
  Atomics.add(head, 0, 1);
}

export function readActivityLabel(buf: SharedArrayBuffer): string {
  const head = new Int32Array(buf, 0, HEADER);
  const chars = new Uint16Array(buf, HEADER * 4, LABEL_CHARS);
  let text = '';
  // A read that overlapped a write is tried again; a worker stopped in the middle of one leaves what it wrote.
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = Atomics.load(head, 0);
    const n = Atomics.load(head, 1);
    text = String.fromCharCode(...chars.subarray(0, n));
    if (before % 2 === 0 && Atomics.load(head, 0) === before) break;
  }
  return text;
}
