// Bundles the CLI, the public API and every built-in plugin into dist/bundle/brainsmith.cjs, which
// bin/brainsmith.js runs through src/cli/bundle-loader.ts (reached through dist/bundle/launch.cjs) (one file and a V8 code cache instead of some
// 300 modules: most of a fast start). Runs after tsc: the built-in plugins are found in dist/ by the same
// discovery the registry uses, so a new source file needs nothing here. dist/ keeps its module layout:
// tests, library users and plugins outside the CLI still use dist/src. The bundle registers itself
// (src/plugins/host-entry.ts) so that plugins run by the CLI import its own instance, through
// dist/bundle/api.mjs.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const outDir = path.join(dist, 'bundle');
/** The package's entry points besides `brainsmith` (src/plugins/host-entry.ts HOST_SUBPATHS). */
const SUBPATHS = ['kernel', 'rewrite', 'host'];
const outfile = path.join(outDir, 'brainsmith.cjs');

// Native code, or packages that find their own files at run time: loaded from node_modules as they are.
const EXTERNAL = ['onnxruntime-node', 'tsx', 'tsx/*', 'esbuild', 'typescript', 'pino-pretty'];
// Packages whose module body is slow (ICU segmenters, huge Unicode regexes) and only used to print help:
// their body runs on first call instead of at start.
const LAZY = /[\\/]node_modules[\\/](?:.*[\\/])?string-width[\\/]index\.js$/;
// Node modules that are not loaded yet when a command starts and cost a few ms each to load (crypto alone
// loads a dozen internal modules): the bundle's named imports of them load them on first use.
const LAZY_BUILTINS = ['crypto', 'child_process', 'fs/promises', 'os', 'stream', 'assert', 'readline', 'net', 'http', 'https', 'zlib', 'perf_hooks', 'inspector'];
const LAZY_REQUIRE = new RegExp(`\\b(import_[\\w$]+)=require\\("((?:node:)?(?:${LAZY_BUILTINS.join('|')}))"\\)`, 'g');
/**
 * A module object whose module loads on first access. Only named imports use it (esbuild reads them as
 * `import_x.name` at each use); default and namespace imports go through __toESM, which copies the module's
 * properties at once, so they are left alone (the pattern above does not match them).
 */
const LAZY_BANNER = 'var __bs_lazy=(id)=>{let m;const l=()=>m??=require(id);return new Proxy({},{get:(_,k)=>l()[k],has:(_,k)=>k in l(),ownKeys:()=>Reflect.ownKeys(l()),getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(l(),k);if(d)d.configurable=true;return d}})};';
// bundle-loader.ts runs the bundle as a function of these (CommonJS has no import.meta).
const BASE = '__bs_bundle_url';
const RESOLVE = '__bs_resolve(';
const IMPORT = '__bs_import(';
/** The bundle file is this function expression, which src/cli/bundle-loader.ts calls. */
const WRAPPER_OPEN = '(function (exports, require, module, __filename, __dirname, __bs_bundle_url, __bs_resolve, __bs_import) {';
const WRAPPER_CLOSE = '\n})';

const { discover } = await import(pathToFileURL(path.join(dist, 'src', 'plugins', 'discovery.js')).href);
const empty = mkdtempSync(path.join(tmpdir(), 'brainsmith-bundle-'));
let builtinFiles;
try {
  const found = discover({ projectDir: empty, config: { plugins: {} }, home: empty, pluginPath: '', hostVersion: '0.0.0' });
  builtinFiles = found.units.find((u) => u.source === 'builtin').files.map((f) => f.path);
} finally {
  rmSync(empty, { recursive: true, force: true });
}

/** dist/transforms/a/b.js → transforms/a/b.ts (bundled from the source, which esbuild compiles itself). */
function sourceOf(distFile) {
  const rel = path.relative(dist, distFile);
  for (const ext of ['.ts', '.mts', '.js', '.mjs']) {
    const src = path.join(root, rel.replace(/\.m?js$/, ext));
    if (existsSync(src)) return src;
  }
  return distFile;
}

// Everything but the CLI's first modules is reached through import(), which esbuild turns into a lazy
// initializer inside the one file: a command evaluates only the code it runs. The public API too.
const key = (f) => path.relative(dist, f).split(path.sep).join('/');
// The ONNX codec's generated functions, compiled into the bundle (src/onnx/precompiled.ts).
const codecsFile = path.join(outDir, '_onnx-codecs.js');
const { precompiledModuleSource } = await import(pathToFileURL(path.join(dist, 'src', 'onnx', 'precompile-source.js')).href);
const entry = [
  `import { useBundledHost } from ${JSON.stringify(path.join(root, 'src/plugins/host-entry.ts'))};`,
  `import { usePrecompiledCodecs } from ${JSON.stringify(path.join(root, 'src/onnx/precompiled.ts'))};`,
  `import onnxCodecs from ${JSON.stringify(codecsFile)};`,
  'usePrecompiledCodecs(onnxCodecs);',
  `export { main } from ${JSON.stringify(path.join(root, 'src/cli/main.ts'))};`,
  `export const api = () => import(${JSON.stringify(path.join(root, 'src/index.ts'))});`,
  ...SUBPATHS.map((s) => `export const ${s} = () => import(${JSON.stringify(path.join(root, 'src', `${s}.ts`))});`),
  `export const worker = () => import(${JSON.stringify(path.join(root, 'src/cli/worker-run.ts'))});`,
  'const builtins = {',
  ...builtinFiles.map((f) => `  ${JSON.stringify(key(f))}: () => import(${JSON.stringify(sourceOf(f))}),`),
  '};',
  `useBundledHost(${BASE}, new URL('./api.mjs', ${BASE}).href, builtins);`,
  // For the build-time check of the built-ins' declarations (checkBundledDeclarations below).
  'export const loadBuiltins = () => Promise.all(Object.values(builtins).map((load) => load()));',
  '',
].join('\n');

/** A module re-exporting one entry point from inside the bundle, for plugins the bundled CLI runs. */
async function shimOf(entry, loader, spec) {
  const names = Object.keys(await import(pathToFileURL(path.join(dist, 'src', `${entry}.js`)).href)).filter((n) => n !== 'default');
  return [
    `// ${spec} for plugins run by the bundled CLI (the running instance). Generated by scripts/bundle.mjs.`,
    "import { loadBundledHost } from '../src/cli/bundle-loader.js';",
    `const m = await loadBundledHost().${loader}();`,
    `export const { ${names.join(', ')} } = m;`,
    '',
  ].join('\n');
}
const apiShim = await shimOf('index', 'api', "'brainsmith'");

const loaderOf = (file) => (/\.m?ts$/.test(file) ? 'ts' : 'js');

/**
 * Each module keeps the `import.meta.url` it has in dist/ (it finds package.json, assets and worker files
 * relative to it); a package's own becomes the bundle's place, from which it resolves the same packages.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.(?:m?ts|m?js|cjs)$/ }, (args) => {
      if (LAZY.test(args.path) && args.suffix !== '?eager') return undefined;
      const text = readFileSync(args.path, 'utf8');
      const rel = path.relative(root, args.path);
      const inPackage = rel.startsWith('..') || rel.includes(`node_modules${path.sep}`);
      // import() of what is not bundled (packages, plugin files) goes through the loader's own import():
      // node 20 loses a vm.Script's import() callback once the script comes from the code cache.
      const dynamic = inPackage ? text : text.replace(/\bimport\((?!\s*['"`][./])/g, IMPORT);
      if (!dynamic.includes('import.meta') && dynamic === text) return undefined;
      let base = BASE;
      if (!inPackage) {
        const compiled = path.join(dist, rel.startsWith(`dist${path.sep}`) ? path.relative(dist, args.path) : rel.replace(/\.(m?)ts$/, '.$1js'));
        base = `new URL(${JSON.stringify(path.relative(outDir, compiled).split(path.sep).join('/'))}, ${BASE}).href`;
      }
      return { contents: dynamic.replaceAll('import.meta.url', base).replaceAll('import.meta.resolve(', RESOLVE), loader: loaderOf(args.path) };
    });
  },
};

/** A LAZY module becomes a stub whose default export requires the real module on first call. */
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onLoad({ filter: LAZY }, (args) => {
      if (args.suffix === '?eager') return undefined;
      const real = JSON.stringify(`${args.path}?eager`);
      return { contents: `export default function lazy(...a) { return require(${real}).default(...a); }\n`, loader: 'js', resolveDir: path.dirname(args.path) };
    });
    b.onResolve({ filter: /\?eager$/ }, (args) => ({ path: args.path.replace(/\?eager$/, ''), suffix: '?eager' }));
  },
};

mkdirSync(outDir, { recursive: true });
const entryFile = path.join(outDir, '_entry.ts');
writeFileSync(entryFile, entry);
writeFileSync(codecsFile, precompiledModuleSource());
try {
  await build({
    entryPoints: [entryFile],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // Less to read and parse. No keepNames: it wraps every function expression in __name(), which redefines
    // `name` on each closure as it is created (some 5,000 in a TFC compile, 40 ms of CPU per compile measured
    // side by side). Names still come from the source; only the few top-level symbols esbuild renames to
    // avoid clashes carry a numeric suffix (nothing here reads a function's name; --log-level debug runs
    // dist/src, whose stack traces name the source files).
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'error',
    plugins: [lazyModules, moduleUrls],
  });
  const code = readFileSync(outfile, 'utf8');
  const strict = '"use strict";';
  const body = code.startsWith(strict) ? code.slice(strict.length) : code;
  // src/cli/bundle-loader.ts reads the bundle as latin1, which equals UTF-8 only for ASCII (esbuild's
  // default charset escapes everything else).
  const nonAscii = /[^\x00-\x7f]/.exec(body);
  if (nonAscii) throw new Error(`scripts/bundle.mjs: the bundle holds a non-ASCII character at ${nonAscii.index}; bundle-loader reads it as latin1`);
  // Written as the function bundle-loader.ts runs (no copy of the whole text to wrap it at each start).
  writeFileSync(outfile, `${WRAPPER_OPEN}${code.startsWith(strict) ? strict : ''}${LAZY_BANNER}\n${body.replace(LAZY_REQUIRE, '$1=__bs_lazy("$2")')}${WRAPPER_CLOSE}`);
  writeFileSync(path.join(outDir, 'api.mjs'), apiShim);
  await buildLauncher();
  checkBundledDeclarations();
  for (const s of SUBPATHS) writeFileSync(path.join(outDir, `${s}.mjs`), await shimOf(s, s, `'brainsmith/${s}'`));
} finally {
  rmSync(entryFile, { force: true });
  rmSync(codecsFile, { force: true });
}

/**
 * The bundle skips validating its built-ins' declarations at run time (src/plugins/define.ts): here each
 * is validated once, through the bundle itself, and must come out unchanged.
 */
function checkBundledDeclarations() {
  const launch = JSON.stringify(path.join(outDir, 'launch.cjs'));
  const code = `require(${launch}).loadBundledHost().loadBuiltins().catch((e) => { process.stderr.write(e.message + '\\n'); process.exitCode = 1; });`;
  const r = spawnSync(process.execPath, ['-e', code], { env: { ...process.env, BRAINSMITH_CHECK_BUNDLED_DECLARATIONS: '1' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/bundle.mjs: a built-in declaration does not check: ${r.stderr.trim()}`);
}

/**
 * dist/bundle/launch.cjs: what bin/brainsmith.js (CommonJS) needs before the bundle, as one CommonJS file:
 * an ES module entry and its two imports cost node's ESM loader some 10 ms at every start. The loader keeps
 * the import.meta.url it has in dist/src/cli, so it finds the bundle and shares its one instance (a global)
 * with dist/bundle/api.mjs, which imports dist/src/cli/bundle-loader.js.
 */
async function buildLauncher() {
  const launcherEntry = path.join(outDir, '_launch.ts');
  writeFileSync(launcherEntry, [
    `export { mayRunPluginCode } from ${JSON.stringify(path.join(root, 'src/cli/plugin-sources.ts'))};`,
    `export { loadBundledHost, saveCodeCache } from ${JSON.stringify(path.join(root, 'src/cli/bundle-loader.ts'))};`,
    '',
  ].join('\n'));
  try {
    await build({
      entryPoints: [launcherEntry],
      outfile: path.join(outDir, 'launch.cjs'),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minifyWhitespace: true,
      legalComments: 'none',
      logLevel: 'error',
      define: { 'import.meta.url': '__bs_loader_url' },
      banner: { js: 'var __bs_loader_url=require("node:url").pathToFileURL(require("node:path").join(__dirname,"../src/cli/bundle-loader.js")).href;' },
    });
  } finally {
    rmSync(launcherEntry, { force: true });
  }
}
