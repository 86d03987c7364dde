#!/usr/bin/env node
// Entry point, CommonJS (bin/package.json): an ES module entry costs node's ESM loader at every start.
// `--version` is answered here without loading yargs or the compiler, so it costs little more than starting
// node. Everything else goes to the bundled CLI (dist/bundle, with a V8 code cache: see
// src/cli/bundle-loader.ts, reached through dist/bundle/launch.cjs), or to the modules in dist/src under
// --log-level debug/trace (stack traces then name the source files) or with BRAINSMITH_NO_BUNDLE=1.
'use strict';
const { readFileSync, existsSync, statSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const dist = path.join(__dirname, '..', 'dist');
const args = process.argv.slice(2);

/** import() of a file in dist/src (ES modules). */
const importDist = (rel) => import(pathToFileURL(path.join(dist, 'src', rel)).href);

async function run() {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const level = args.find((a, i) => a.startsWith('--log-level=') || args[i - 1] === '--log-level');
  const debug = level !== undefined && /(?:^|=)(?:debug|trace)$/.test(level);
  const bundled = !debug && !process.env.BRAINSMITH_NO_BUNDLE && bundleIsCurrent();
  if (!existsSync(bundled ? path.join(dist, 'bundle', 'launch.cjs') : path.join(dist, 'src', 'cli', 'main.js'))) {
    process.stderr.write('brainsmith: not built yet: run `npm install` (or `npm run build`) in the brainsmith package\n');
    process.exit(1);
  }
  if (debug) process.setSourceMapsEnabled(true);
  const launch = bundled ? require('../dist/bundle/launch.cjs') : undefined;
  if (interactive(args)) {
    // The playground reads keys from the terminal, which a worker thread cannot: it runs in this thread.
    if (launch) {
      process.exitCode = await launch.loadBundledHost(args[0]).main(args);
      launch.saveCodeCache();
    } else {
      const { main } = await importDist('cli/main.js');
      process.exitCode = await main(args);
    }
  } else if (launch && !launch.mayRunPluginCode(args)) {
    // Only built-in components can run (no plugin source exists: src/cli/plugin-sources.ts): no worker
    // thread to start and end. The process guards are installed all the same, and Ctrl-C removes the
    // partial build folder (the pipeline lets the event loop turn between transforms).
    const { runInWorker } = await launch.loadBundledHost(args[0]).worker();
    process.exitCode = await runInWorker(args);
    launch.saveCodeCache();
  } else {
    // The command runs in a worker thread; this thread stays free to stop it (Ctrl-C, hung plugins).
    const { supervise } = await importDist('cli/supervisor.js');
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
    return statSync(path.join(dist, 'bundle', 'brainsmith.cjs')).mtimeMs >= statSync(path.join(dist, 'src', 'cli', 'main.js')).mtimeMs;
  } catch {
    return false;
  }
}

// A rejection ends the process as an error at the top of an ES module did (node 20: uncaught, exit 1).
run().catch((err) => {
  process.nextTick(() => {
    throw err;
  });
});
