// The command-line parser: the commands, and how a failure is reported. Each command module
// (src/commands/) declares its flags and its handler; the library never imports this file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { buildCommand } from './commands/build.js';
import type { CliContext, Io } from './commands/context.js';
import { consoleIo, EXIT } from './commands/context.js';
import { deployCommand } from './commands/deploy.js';
import { diffCommand } from './commands/diff.js';
import { docsCommand } from './commands/docs.js';
import { publishCommand } from './commands/publish.js';
import { validateCommand } from './commands/validate.js';
import { InputError, InterruptedError, ToolError } from './errors.js';
import { PACKAGE_ROOT } from './tools/locate.js';

// yargs' ESM build wraps help text mid-word (its cliui lacks wrap-ansi); the CommonJS build breaks at spaces.
const yargs = createRequire(import.meta.url)('yargs/yargs') as () => Argv;

/** This package's version, as `cfn-cicd --version` prints it. */
export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

/** The parser, exported so tests drive it with an argv array. */
export function parser(ctx: CliContext): Argv {
  return (
    yargs()
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
      .alias('help', 'h')
      // --version is answered before parsing: publish has a --version flag of its own.
      .version(false)
      .epilogue("`cfn-cicd <command> --help` lists a command's options; `cfn-cicd --version` prints the version.")
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new InputError(message);
      })
  );
}

// yargs keeps flags in plain objects, so a flag named after one of Object's own members
// (--constructor, --to-string) reaches its internals as a function instead of a value.
const OBJECT_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));
const camel = (flag: string): string => flag.replace(/-+([a-z])/g, (_, c: string) => c.toUpperCase());

/** Refuses a flag whose name, as yargs stores it, is a member of every object. */
function refuseObjectMemberFlags(argv: readonly string[]): void {
  const end = argv.indexOf('--');
  for (const arg of end < 0 ? argv : argv.slice(0, end)) {
    const name = /^--?([^=]+)/.exec(arg)?.[1];
    if (name === undefined) continue;
    const bare = name.replace(/^no-/, '');
    if (OBJECT_MEMBERS.has(bare) || OBJECT_MEMBERS.has(camel(bare))) throw new InputError(`Unknown argument: ${name}`);
  }
}

const firstLine = (text: string): string => text.split('\n')[0] as string;

/** The one line a failure prints: what the user can act on as it is, anything else as a bug. */
export function failureLine(error: unknown): string {
  if (error instanceof InputError || error instanceof ToolError || error instanceof InterruptedError)
    return `cfn-cicd: ${firstLine(error.message)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `cfn-cicd: internal error: ${firstLine(message)} (a bug in cfn-cicd: please report it with the command you ran)`;
}

/** Runs the CLI on `argv`; returns the exit code instead of exiting. Help and version go to `io.out`. */
export async function runCli(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const ctx: CliContext = { io, argv, exitCode: EXIT.ok };
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.out(VERSION);
    return EXIT.ok;
  }
  try {
    refuseObjectMemberFlags(argv);
    let shown = '';
    await parser(ctx).parseAsync([...argv], {}, (_error, _args, output) => {
      shown = output;
    });
    if (shown !== '') io.out(shown);
    return ctx.exitCode;
  } catch (error) {
    io.err(failureLine(error));
    return error instanceof InterruptedError ? error.exitCode : EXIT.error;
  }
}
