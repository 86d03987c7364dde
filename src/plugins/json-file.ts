/** Reads a JSON file with one-line errors that name the file and, for syntax errors, the line. */
import { readRegularTextFile } from '../util/safe-read.js';
import { BrainsmithError } from '../errors.js';

export function readJsonFile(file: string, code: string): unknown {
  let text: string;
  try {
    text = readRegularTextFile(file, { what: 'JSON file' });
  } catch (e) {
    throw new BrainsmithError(code, (e as Error).message, { file, cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new BrainsmithError(code, `${file}${line ? `:${line}` : ''}: invalid JSON: ${msg}`, { file, cause: e });
  }
}
