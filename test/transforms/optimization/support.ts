import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { openRegistry, type Registry } from '../../../src/host.js';
import { repoRoot } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/tmp.js';

export interface LogLine {
  level: number;
  msg: string;
}

export interface Harness {
  reg: Registry;
  lines: LogLine[];
  dir: string;
}

/** The built-in plugins plus optional project plugin files, with the registry service and a log to read. */
export async function harness(projectPlugins: Record<string, string> = {}): Promise<Harness> {
  const dir = tempDir('bs-opt-');
  const proj = path.join(dir, 'proj');
  mkdirSync(path.join(proj, 'brainsmith_plugins'), { recursive: true });
  mkdirSync(path.join(dir, 'home'));
  for (const [file, text] of Object.entries(projectPlugins)) writeFileSync(path.join(proj, 'brainsmith_plugins', file), text);
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as LogLine);
      cb();
    },
  });
  const reg = await openRegistry({ projectDir: proj, home: path.join(dir, 'home'), pluginPath: '', cache: false, log: pino({ level: 'debug' }, sink) });
  return { reg, lines, dir };
}

/** Import specifier of the package API for plugin files written by tests. */
export const apiUrl = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'index.js')).href;

/** Log messages at `level` (pino: 20 debug, 30 info, 40 warn). */
export function messages(h: Harness, level: number): string[] {
  return h.lines.filter((l) => l.level === level).map((l) => l.msg);
}
