/**
 * The worker side of supervisor.ts: runs one CLI command with the plugin guards installed and reports
 * its exit code. The terminal facts the logger and progress line need are copied from the main thread,
 * since a worker's stdout/stderr are pipes to it.
 */
import { workerData } from 'node:worker_threads';
import { installProcessGuards, notifySupervisor } from '../plugins/isolation.js';
import type { WorkerData } from './supervisor.js';
import { main } from './main.js';

const data = workerData as WorkerData;
for (const name of ['stdout', 'stderr'] as const) {
  const info = data.tty[name];
  const stream = process[name] as NodeJS.WriteStream;
  if (info.isTTY) Object.defineProperty(stream, 'isTTY', { value: true, configurable: true });
  if (info.columns) Object.defineProperty(stream, 'columns', { value: info.columns, configurable: true });
}
installProcessGuards();
const code = await main(process.argv.slice(2));
notifySupervisor({ t: 'done', code });

