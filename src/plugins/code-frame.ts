/** A short code frame (the line and its neighbours, the line marked) for errors shown in `plugins watch`. */
import { readFileSync } from 'node:fs';

export function codeFrame(file: string, line: number, context = 2): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  if (line < 1 || line > lines.length) return undefined;
  const from = Math.max(1, line - context);
  const to = Math.min(lines.length, line + context);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]!.slice(0, 160)}`);
  return out.join('\n');
}
