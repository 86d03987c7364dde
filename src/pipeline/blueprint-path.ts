/** Formatting of positions inside a blueprint file: `stages.topology[3].options.tol` (line 12). */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

/** A parsed blueprint text that can say on which line a path is. */
export interface ParsedText {
  value: unknown;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Parses YAML (JSON is YAML too, so one parser serves both); syntax errors carry their line. */
export function parseBlueprintText(text: string): { parsed?: ParsedText; error?: string } {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const at = e.linePos?.[0] ? `line ${e.linePos[0].line}: ` : '';
    return { error: `${at}${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (e) {
    // The YAML library refuses alias bombs ("excessive alias count") here; the caller names the file.
    return { error: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
  }
  return {
    parsed: {
      value,
      lineOf(path) {
        // Walk up to the deepest existing node: a missing key is reported at its parent.
        for (let n = path.length; n >= 0; n--) {
          const node = doc.getIn(path.slice(0, n) as unknown[], true);
          if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
        }
        return undefined;
      },
    },
  };
}
