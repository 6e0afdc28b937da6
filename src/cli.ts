// The command-line parser: the commands, and how a failure is reported. Each command module
// (src/commands/) declares its flags and its handler; the library never imports this file.
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { buildCommand } from './commands/build.js';
import type { CliContext, Io } from './commands/context.js';
import { consoleIo, EXIT } from './commands/context.js';
import { deployCommand } from './commands/deploy.js';
import { diffCommand } from './commands/diff.js';
import { docsCommand } from './commands/docs.js';
import { publishCommand } from './commands/publish.js';
import { validateCommand } from './commands/validate.js';
import { InputError, ToolError } from './errors.js';

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
      throw error ?? new InputError(message);
    });
}

const firstLine = (text: string): string => text.split('\n')[0] ?? text;

/** The one line a failure prints: what the user can act on as it is, anything else as a bug. */
export function failureLine(error: unknown): string {
  if (error instanceof InputError || error instanceof ToolError) return `cfn-cicd: ${firstLine(error.message)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `cfn-cicd: internal error: ${firstLine(message)} (a bug in cfn-cicd: please report it with the command you ran)`;
}

/** Runs the CLI on `argv`; returns the exit code instead of exiting. */
export async function runCli(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  try {
    await parser(ctx).parseAsync([...argv]);
    return ctx.exitCode;
  } catch (error) {
    io.err(failureLine(error));
    return EXIT.error;
  }
}
