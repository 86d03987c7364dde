/**
 * Where the CLI may write a file: a path that does not exist yet, or an existing regular file (replaced
 * atomically). A device (/dev/full), a FIFO, a socket or a folder at that path is never replaced.
 */
import { statSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { describeFsError } from './fs-errors.js';

export function assertReplaceableFile(file: string, doing: string, code = 'E_OUTPUT_NOT_REGULAR'): void {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c === 'ENOENT') return;
    throw describeFsError(e, file, doing);
  }
  if (st.isFile()) return;
  const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
  throw new BrainsmithError(code, `${file}: ${doing}: it exists and is ${what}; only a regular file is replaced`, { kind: 'input', file });
}

/** Whether `child` is `parent` or inside it, after resolving symbolic links of the parts that exist. */
export function realWithin(child: string, parent: string): boolean {
  const real = (p: string): string => {
    // The deepest existing ancestor, resolved, plus the rest as given.
    let head = path.resolve(p);
    const tail: string[] = [];
    for (;;) {
      try {
        return path.join(realpathSync(head), ...tail.reverse());
      } catch {
        const up = path.dirname(head);
        if (up === head) return path.resolve(p);
        tail.push(path.basename(head));
        head = up;
      }
    }
  };
  const rel = path.relative(real(parent), real(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
