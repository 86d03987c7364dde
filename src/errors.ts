/**
 * Errors a user can act on. The CLI prints `message` as one line (no stack unless --log-level debug)
 * and maps the kind to an exit code: usage errors exit 2, everything else 1.
 */
export type ErrorKind = 'usage' | 'input' | 'work';

export class BrainsmithError extends Error {
  /** Stable machine-readable code, e.g. `E_MODEL_TRUNCATED`; shown in --json error output. */
  readonly code: string;
  readonly kind: ErrorKind;
  /** The file the problem is about, when there is one. */
  readonly file?: string;

  constructor(code: string, message: string, opts: { kind?: ErrorKind; file?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BrainsmithError';
    this.code = code;
    this.kind = opts.kind ?? 'input';
    this.file = opts.file;
  }
}

export function isBrainsmithError(e: unknown): e is BrainsmithError {
  return e instanceof BrainsmithError;
}

/** The one-line text of any thrown value, for logs and CLI output. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
