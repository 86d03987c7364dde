#!/usr/bin/env node
// Entry point. `--version` is answered here without loading yargs or the compiler, so it costs little more
// than starting node. Everything else goes to the bundled CLI (dist/bundle, with a V8 code cache: see
// src/cli/bundle-loader.ts), or to the modules in dist/src under --log-level debug/trace (stack traces then
// name the source files) or with BRAINSMITH_NO_BUNDLE=1.
import { readFileSync, existsSync, statSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const level = args.find((a, i) => a.startsWith('--log-level=') || args[i - 1] === '--log-level');
  const debug = level !== undefined && /(?:^|=)(?:debug|trace)$/.test(level);
  const bundled = !debug && !process.env.BRAINSMITH_NO_BUNDLE && bundleIsCurrent();
  const mainUrl = new URL(bundled ? '../dist/src/cli/bundle-loader.js' : '../dist/src/cli/main.js', import.meta.url);
  if (!existsSync(mainUrl)) {
    process.stderr.write('brainsmith: not built yet: run `npm install` (or `npm run build`) in the brainsmith package\n');
    process.exit(1);
  }
  if (debug) process.setSourceMapsEnabled(true);
  if (interactive(args)) {
    // The playground reads keys from the terminal, which a worker thread cannot: it runs in this thread.
    if (bundled) {
      const { loadBundledHost, saveCodeCache } = await import(mainUrl.href);
      process.exitCode = await loadBundledHost(args[0]).main(args);
      saveCodeCache();
    } else {
      const { main } = await import(mainUrl.href);
      process.exitCode = await main(args);
    }
  } else if (bundled && !(await import(new URL('../dist/src/cli/plugin-sources.js', import.meta.url).href)).mayRunPluginCode(args)) {
    // Only built-in components can run (no plugin source exists: src/cli/plugin-sources.ts): no worker
    // thread to start and end. The process guards are installed all the same, and Ctrl-C removes the
    // partial build folder (the pipeline lets the event loop turn between transforms).
    const { loadBundledHost, saveCodeCache } = await import(mainUrl.href);
    const { runInWorker } = await loadBundledHost(args[0]).worker();
    process.exitCode = await runInWorker(args);
    saveCodeCache();
  } else {
    // The command runs in a worker thread; this thread stays free to stop it (Ctrl-C, hung plugins).
    const { supervise } = await import(new URL('../dist/src/cli/supervisor.js', import.meta.url).href);
    process.exitCode = await supervise(args, { bundled });
  }
}

/** `plugins watch` and `plugins new … --watch`: interactive, they take `q` from the terminal. */
function interactive(argv) {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'plugins' && (words[1] === 'watch' || (words[1] === 'new' && argv.includes('--watch')));
}

/** The bundle, unless missing or older than dist/src (a `tsc` run without the bundle step: use what it built). */
function bundleIsCurrent() {
  try {
    return statSync(new URL('../dist/bundle/brainsmith.cjs', import.meta.url)).mtimeMs >= statSync(new URL('../dist/src/cli/main.js', import.meta.url)).mtimeMs;
  } catch {
    return false;
  }
}
