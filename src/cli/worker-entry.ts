/**
 * The worker side of supervisor.ts: runs one CLI command with the plugin guards installed and reports
 * its exit code. The terminal facts the logger and progress line need are copied from the main thread,
 * since a worker's stdout/stderr are pipes to it. Bundled, this module imports only the bundle loader:
 * the guards and everything else come from the bundle.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SupervisorMessage } from '../plugins/supervision.js';
import type { WorkerData } from './supervisor.js';

const data = workerData as WorkerData;
for (const name of ['stdout', 'stderr'] as const) {
  const info = data.tty[name];
  const stream = process[name] as NodeJS.WriteStream;
  if (info.isTTY) Object.defineProperty(stream, 'isTTY', { value: true, configurable: true });
  if (info.columns) Object.defineProperty(stream, 'columns', { value: info.columns, configurable: true });
}
const argv = process.argv.slice(2);
let code: number;
if (data.bundled) {
  const { loadBundledHost, saveCodeCache } = await import('./bundle-loader.js');
  const { runInWorker } = (await loadBundledHost(argv[0]).worker()) as { runInWorker: (a: string[]) => Promise<number> };
  code = await runInWorker(argv);
  saveCodeCache();
} else {
  const { runInWorker } = await import('./worker-run.js');
  code = await runInWorker(argv);
}
parentPort!.postMessage({ t: 'done', code } satisfies SupervisorMessage);
