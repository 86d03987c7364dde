import type { Argv, ArgumentsCamelCase } from 'yargs';
import type { Logger } from 'pino';

/** Options every command receives (set in main.ts). */
export interface GlobalOptions {
  logLevel: string;
  json?: boolean;
  /** Fail when any plugin failed to load (commands that open the plugin registry honour it). */
  strictPlugins?: boolean;
}

/** What a command handler gets besides its parsed arguments. */
export interface CommandContext {
  log: Logger;
  /** Write data for the user: JSON under --json, text otherwise. Always to stdout. */
  out(text: string): void;
  /** Print a value as one JSON document on stdout. */
  outJson(value: unknown): void;
}

/**
 * A CLI command module. Handlers throw BrainsmithError for problems the user can fix; main.ts turns that
 * into one line on stderr and the exit code (2 usage, 1 otherwise). Heavy modules are imported inside
 * `run`, so that `brainsmith --help` and `--version` stay fast.
 */
export interface CommandModule<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  builder: (y: Argv) => Argv;
  run: (args: ArgumentsCamelCase<A & GlobalOptions>, ctx: CommandContext) => Promise<number | void>;
  /**
   * Nested commands (`plugins list`, `plugins add <dir>` …). main.ts registers them inside this command's
   * builder with the same logger, context and error handling, and demands one of them: the command alone
   * is a usage error. `run` of a command with subcommands is only reached if yargs lets it through.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  subcommands?: CommandModule<any>[];
}

export function defineCommand<A>(m: CommandModule<A>): CommandModule<A> {
  return m;
}

/** A command that only groups subcommands: `brainsmith plugins` alone lists them and exits 2. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineCommandGroup(m: { command: string; describe: string; subcommands: CommandModule<any>[]; builder?: (y: Argv) => Argv; examples?: [string, string][] }): CommandModule {
  return {
    command: m.command,
    describe: m.describe,
    subcommands: m.subcommands,
    builder: (y) => {
      let b = m.builder ? m.builder(y) : y;
      for (const [cmd, text] of m.examples ?? []) b = b.example(cmd, text);
      return b;
    },
    async run() {
      const { BrainsmithError } = await import('../errors.js');
      throw new BrainsmithError('E_USAGE', `${m.command} needs a subcommand: ${m.subcommands.map((c) => String(Array.isArray(c.command) ? c.command[0] : c.command).split(' ')[0]).join(', ')} (see brainsmith ${m.command} --help)`, { kind: 'usage' });
    },
  };
}
