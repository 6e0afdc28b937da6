// The command-line parser: yargs commands only. Each command module parses its flags, calls
// library functions, prints, and returns the exit code.
//
// Exit codes (a public contract): 0 success; 1 the check found something (lint findings,
// stale templates, a diff, a refused parameter); 2 usage or runtime error.
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { buildCommand } from './commands/build.js';
import { deployCommand } from './commands/deploy.js';
import { diffCommand } from './commands/diff.js';
import { docsCommand } from './commands/docs.js';
import { publishCommand } from './commands/publish.js';
import { validateCommand } from './commands/validate.js';

/** Where a command prints: normal output and one-line errors. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const consoleIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** What command handlers share: the printer, and the exit code they set. */
export interface CliContext {
  readonly io: Io;
  exitCode: number;
}

export const EXIT = { ok: 0, found: 1, error: 2 } as const;

/** A bad flag, argument or input file: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** The parser, exported so tests drive it with an argv array. */
export function parser(ctx: CliContext): Argv {
  return yargs()
    .scriptName('cfn-cicd')
    .usage('$0 <command> [options]')
    .command(buildCommand(ctx))
    .command(validateCommand(ctx))
    .command(deployCommand(ctx))
    .command(docsCommand(ctx))
    .command(diffCommand(ctx))
    .command(publishCommand(ctx))
    .demandCommand(1, 'name a command: build, validate, deploy, publish, docs or diff (see --help)')
    .strict()
    .recommendCommands()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}

const firstLine = (text: string): string => text.split('\n')[0] ?? text;

/** Runs the CLI on `argv`; returns the exit code instead of exiting. */
export async function runCli(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  try {
    await parser(ctx).parseAsync([...argv]);
    return ctx.exitCode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`cfn-cicd: ${firstLine(message)}`);
    return EXIT.error;
  }
}
