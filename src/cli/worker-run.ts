/**
 * What a supervised worker runs: the process guards, then the command. Loaded from the bundle when the CLI runs
 * bundled (so the guards and the compiler share one instance of their state), else from dist/src.
 */
import { installProcessGuards } from '../plugins/isolation.js';
import { main } from './main.js';

export async function runInWorker(argv: string[]): Promise<number> {
  installProcessGuards();
  return main(argv);
}
