// `cfn-cicd validate`: the pinned cfn-lint, informational checks included, one line per finding.
// Every file is checked to be a readable regular file within CloudFormation's size limit first: a
// missing file is a usage error, never a lint finding, and cfn-lint never reads a device or a pipe.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { TEMPLATE_LIMIT } from '../model/template.js';
import { EMITTED_TEMPLATE_FILES } from '../template.js';
import { cfnLint, formatFinding } from '../tools/cfn-lint.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';
import { list } from './flags.js';

export interface ValidateArgs {
  /** Named files; yargs gives an empty list when there are none. */
  readonly files: string[];
  readonly _: (string | number)[];
}

/** Refuses a path cfn-lint should not be given, with one line naming it. */
async function checkFile(file: string, named: boolean): Promise<void> {
  const hint = named ? '' : '; run cfn-cicd in the project root, or name the templates to check';
  const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`validate: ${file}: cannot read (${error.code})${hint}`);
  });
  if (!stats.isFile()) throw new InputError(`validate: ${file}: not a regular file`);
  if (stats.size > TEMPLATE_LIMIT.bytes) {
    throw new InputError(
      `validate: ${file}: ${stats.size} bytes, over ${TEMPLATE_LIMIT.bytes.toLocaleString('en-US')}, ${TEMPLATE_LIMIT.why}`,
    );
  }
}

export async function runValidate(args: ValidateArgs, ctx: CliContext): Promise<number> {
  // Files after `--` land in `_` after the command's own name.
  const named = [...list(args, 'files'), ...args._.slice(1).map(String)];
  const files = named.length > 0 ? named : EMITTED_TEMPLATE_FILES.map((f) => join('templates', f));
  for (const file of files) await checkFile(file, named.length > 0);
  const findings = await cfnLint(files);
  for (const f of findings) ctx.io.out(formatFinding(f));
  if (findings.length === 0) ctx.io.out(`cfn-lint: no findings in ${files.length} file(s)`);
  return findings.length > 0 ? EXIT.found : EXIT.ok;
}

export function validateCommand(ctx: CliContext): CommandModule<object, ValidateArgs> {
  return {
    command: 'validate [files..]',
    describe: 'run the pinned cfn-lint (informational checks included); exit 1 on any finding',
    builder: (y) =>
      y.positional('files', {
        type: 'string',
        array: true,
        default: [] as string[],
        defaultDescription: 'templates/*.yaml',
        describe: 'templates to check',
      }),
    handler: async (args) => {
      ctx.exitCode = await runValidate(args, ctx);
    },
  };
}
