/**
 * Which Yosys runs synthesis: a native `yosys` on PATH when present (several times faster), else the npm
 * package `@yowasp/yosys` (Yosys compiled to WebAssembly: `npm install` is enough, no network at run time).
 * Both run one script in a folder holding every file it reads (sources and `$readmemh` files) and leave the
 * log there; a WebAssembly run goes in a child process of its own, so that jobs run in parallel.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { runTool } from '../sim/process.js';

export type YosysKind = 'native' | 'wasm';

export interface Yosys {
  kind: YosysKind;
  /** `Yosys 0.23 (git sha1 …)` or `@yowasp/yosys 0.55.944` (part of the cache key). */
  version: string;
  /** The executable (native) or the package's entry file (wasm). */
  entry: string;
}

export const YOSYS_INSTALL_HINT = 'npm install @yowasp/yosys (WebAssembly), or apt-get install yosys';
export const LOG_FILE = 'synth.log';
export const SCRIPT_FILE = 'synth.ys';

let nativeProbe: Promise<Yosys | undefined> | undefined;
let wasmProbe: Promise<Yosys | undefined> | undefined;

export function probeNativeYosys(): Promise<Yosys | undefined> {
  nativeProbe ??= runTool('yosys', ['-V'])
    .then((r) => {
      const line = r.stdout.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
      return r.code === 0 && /yosys/i.test(line) ? { kind: 'native' as const, version: line, entry: 'yosys' } : undefined;
    })
    .catch(() => undefined);
  return nativeProbe;
}

export function probeWasmYosys(): Promise<Yosys | undefined> {
  wasmProbe ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      const entry = require.resolve('@yowasp/yosys');
      // The package exports only its entry (gen/bundle.js); its package.json sits one folder up.
      const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
      return { kind: 'wasm' as const, version: `@yowasp/yosys ${pkg.version}`, entry };
    } catch {
      return undefined;
    }
  })();
  return wasmProbe;
}

/** `wanted`, else native when present, else WebAssembly; one line saying how to get Yosys when neither is there. */
export async function chooseYosys(wanted?: YosysKind): Promise<Yosys> {
  if (wanted !== undefined && wanted !== 'native' && wanted !== 'wasm') throw new BrainsmithError('E_USAGE', `unknown yosys '${String(wanted)}' (native or wasm)`, { kind: 'usage' });
  if (wanted === 'native') {
    const y = await probeNativeYosys();
    if (!y) throw new BrainsmithError('E_NO_YOSYS', 'no native yosys on PATH: apt-get install yosys (or use --yosys wasm)', { kind: 'work' });
    return y;
  }
  if (wanted === 'wasm') {
    const y = await probeWasmYosys();
    if (!y) throw new BrainsmithError('E_NO_YOSYS', 'the npm package @yowasp/yosys is not installed: npm install @yowasp/yosys', { kind: 'work' });
    return y;
  }
  const y = (await probeNativeYosys()) ?? (await probeWasmYosys());
  if (!y) throw new BrainsmithError('E_NO_YOSYS', `no Yosys found (neither yosys on PATH nor @yowasp/yosys): ${YOSYS_INSTALL_HINT}`, { kind: 'work' });
  return y;
}

/** Runs the WebAssembly Yosys on every file of argv[2] (the folder), writing the log back there (the dynamic import is spelled so that the CLI bundler leaves it alone). */
const WASM_RUNNER = `
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [entry, dir, script, log] = process.argv.slice(1);
const { runYosys } = await ${'import'}(pathToFileURL(entry).href);
const files = {};
for (const f of readdirSync(dir)) files[f] = readFileSync(join(dir, f));
let code = 0;
let out;
try {
  out = await runYosys(['-q', '-l', log, '-s', script], files, { stdout: null, stderr: (b) => { if (b) process.stderr.write(b); } });
} catch (e) {
  code = typeof e?.code === 'number' ? e.code || 1 : 1;
  out = e?.files;
  if (!out) process.stderr.write(String(e?.stack ?? e));
}
const text = out?.[log];
if (text !== undefined) writeFileSync(join(dir, log), text);
process.exit(code);
`;

export interface YosysRun {
  ok: boolean;
  /** The log file (in `dir`). */
  log: string;
  /** Last lines of stderr, for the error message. */
  stderr: string;
  ms: number;
}

/** Runs `script` (already written to `dir/synth.ys`) with `yosys` in `dir`. */
export async function runYosys(y: Yosys, dir: string): Promise<YosysRun> {
  const log = path.join(dir, LOG_FILE);
  const r = y.kind === 'native'
    ? await runTool(y.entry, ['-q', '-l', LOG_FILE, '-s', SCRIPT_FILE], { cwd: dir })
    : await runNode(['--input-type=module', '-e', WASM_RUNNER, y.entry, dir, SCRIPT_FILE, LOG_FILE], dir);
  return { ok: r.code === 0, log, stderr: r.stderr, ms: r.ms };
}

function runNode(args: string[], cwd: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - t0 }));
  });
}
