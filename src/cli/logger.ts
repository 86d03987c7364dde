import { pino, type Logger, type Level } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}

/**
 * The CLI logger: always stderr, so stdout holds only data. Pretty lines on a terminal, JSON lines
 * otherwise (CI, pipes, files), which tools can parse. pino-pretty is only imported for a terminal.
 */
export async function createCliLogger(level: string): Promise<Logger> {
  const opts = { level: level as Level, base: undefined };
  if (process.stderr.isTTY) {
    const { default: pretty } = await import('pino-pretty');
    const stream = pretty({
      destination: 2,
      sync: true,
      colorize: useColor(process.stderr),
      ignore: 'pid,hostname',
      translateTime: 'HH:MM:ss',
      singleLine: true,
    });
    return pino(opts, stream);
  }
  return pino(opts, pino.destination({ fd: 2, sync: true }));
}
