/**
 * The CLI's main thread: runs the command in a worker thread (worker-entry.ts) and stays free to act when
 * plugin code misbehaves. Ctrl-C or SIGTERM stops the worker at once, even in an endless loop, and removes
 * the partial build folders it reported; an import that does not finish in time marks that plugin file as
 * hung and runs the command again without it; a hook over its time limit is stopped; a worker that ends
 * without finishing is reported with the plugin that was running. Everything ends in one line and exit 1
 * (130 for SIGINT, 143 for SIGTERM).
 */
import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { escapeControl } from '../util/escape.js';
import { createActivityLabel, importTimeLimitMs, readActivityLabel, seconds, type SupervisedData, type SupervisorMessage } from '../plugins/supervision.js';

/** How long a stop may wait for the worker to end before the process leaves anyway. */
const STOP_GRACE_MS = 1000;
/** Slack over an in-worker time limit: the worker's own timer reports async overruns more gracefully. */
const LIMIT_SLACK_MS = 1000;
const MAX_ATTEMPTS = 8;

interface Running {
  label: string;
  hook: string;
  file?: string;
  files?: string[];
  timer?: NodeJS.Timeout;
}

type Outcome = { kind: 'code'; code: number } | { kind: 'hung'; file?: string; bundle: boolean };

export interface TtyInfo {
  stdout: { isTTY: boolean; columns?: number };
  stderr: { isTTY: boolean; columns?: number };
}

/** `bundled`: run the command from dist/bundle (fast start) rather than dist/src. */
export type WorkerData = SupervisedData & { tty: TtyInfo; bundled: boolean };

function say(message: string): void {
  process.stderr.write(`brainsmith: error: ${escapeControl(message.replace(/\s*\n\s*/g, ' '))}\n`);
}

function runOnce(argv: string[], data: SupervisedData, bundled: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const tty: TtyInfo = {
      stdout: { isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns },
      stderr: { isTTY: Boolean(process.stderr.isTTY), columns: process.stderr.columns },
    };
    const activity = createActivityLabel();
    const worker = new Worker(new URL('./worker-entry.js', import.meta.url), { argv, workerData: { ...data, activity, tty, bundled } satisfies WorkerData });
    const running = new Map<number, Running>();
    const partials = new Set<string>();
    let doneCode: number | undefined;
    let fatal: string | undefined;
    let settled = false;
    let stopping = false;

    const cleanup = (): void => {
      for (const d of partials) rmSync(d, { recursive: true, force: true });
      partials.clear();
      for (const r of running.values()) clearTimeout(r.timer);
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
    };
    const finish = (o: Outcome): void => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(o);
    };
    /** Stops the worker (whatever it is doing), then cleans up and reports. */
    const stop = (message: string | undefined, o: Outcome): void => {
      if (settled || stopping) return;
      stopping = true;
      const end = (): void => {
        if (message) say(message);
        finish(o);
      };
      const t = setTimeout(end, STOP_GRACE_MS);
      worker.terminate().finally(() => {
        clearTimeout(t);
        end();
      });
    };
    const innermost = (): Running | undefined => [...running.values()].pop();
    /** What plugin call runs innermost: the worker's shared label, else the last announced call. */
    const runningLabel = (): string | undefined => readActivityLabel(activity) || innermost()?.label;
    const during = (): string => {
      const label = runningLabel();
      return label ? ` while ${label} was running` : '';
    };
    const onSignal = (sig: 'SIGINT' | 'SIGTERM', code: number): void => {
      stop(`interrupted by ${sig}${during()}; partial output removed`, { kind: 'code', code });
    };
    const onSigint = (): void => onSignal('SIGINT', 130);
    const onSigterm = (): void => onSignal('SIGTERM', 143);
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);

    worker.on('message', (m: SupervisorMessage) => {
      switch (m.t) {
        case 'start': {
          const r: Running = { label: m.label, hook: m.hook, file: m.file, files: m.files };
          const limit = m.hook === 'import' ? importTimeLimitMs() : m.limitMs;
          if (limit) {
            r.timer = setTimeout(() => {
              if (m.hook === 'import') {
                // A plugin stuck at its top level blocks the thread, so no import starts after it: the
                // latest one still running is the culprit, whichever timer fired first.
                const culprit = [...running.values()].filter((x) => x.hook === 'import').pop() ?? r;
                stop(undefined, { kind: 'hung', file: culprit.file, bundle: Boolean(culprit.files) });
              }
              else stop(`${m.label} did not finish within ${seconds(limit)} (--time-limit); stopped`, { kind: 'code', code: 1 });
            }, limit + LIMIT_SLACK_MS);
            r.timer.unref();
          }
          running.set(m.id, r);
          break;
        }
        case 'end':
          clearTimeout(running.get(m.id)?.timer);
          running.delete(m.id);
          break;
        case 'partial':
          partials.add(m.dir);
          break;
        case 'partial-gone':
          partials.delete(m.dir);
          break;
        case 'fatal':
          fatal = m.message;
          break;
        case 'done':
          doneCode = m.code;
          break;
      }
    });
    worker.on('error', (e) => {
      const label = runningLabel();
      fatal ??= `${label ? `${label}: ` : 'internal error: '}${e instanceof Error ? e.message : String(e)}`;
    });
    worker.on('exit', (exitCode) => {
      if (settled || stopping) return;
      if (doneCode !== undefined) return finish({ kind: 'code', code: doneCode });
      const label = runningLabel();
      say(fatal ?? (label ? `${label} ended the process (exit code ${exitCode}); plugins must throw an error instead` : `the command ended unexpectedly (exit code ${exitCode})`));
      finish({ kind: 'code', code: 1 });
    });
  });
}

/** Runs the CLI command `argv` in a worker thread and returns its exit code. */
export async function supervise(argv: string[], opts: { bundled?: boolean } = {}): Promise<number> {
  const hungImports: string[] = [];
  let noBundles = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const o = await runOnce(argv, { brainsmithSupervised: true, hungImports, noBundles }, opts.bundled ?? false);
    if (o.kind === 'code') return o.code;
    // A hung import: try again without it (a hung bundle: file by file, to find the one that hangs).
    if (o.bundle || !o.file) noBundles = true;
    else hungImports.push(o.file);
  }
  say(`plugin imports kept hanging (${hungImports.join(', ')}); giving up`);
  return 1;
}
