#!/usr/bin/env node
// Entry point. `--version` is answered here without loading yargs or the compiler, so it costs little more
// than starting node; everything else goes to the compiled CLI in dist/.
import { readFileSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const mainUrl = new URL('../dist/src/cli/main.js', import.meta.url);
  if (!existsSync(mainUrl)) {
    process.stderr.write('brainsmith: not built yet: run `npm install` (or `npm run build`) in the brainsmith package\n');
    process.exit(1);
  }
  // The command runs in a worker thread; this thread stays free to stop it (Ctrl-C, hung plugins).
  const { supervise } = await import(new URL('../dist/src/cli/supervisor.js', import.meta.url).href);
  process.exitCode = await supervise(args);
}
