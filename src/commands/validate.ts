// `cfn-cicd validate`: the pinned cfn-lint, informational checks included, one line per finding.
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { EMITTED_TEMPLATES } from '../template.js';
import { cfnLint, formatFinding } from '../tools/cfn-lint.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';

export interface ValidateArgs {
  readonly files?: string[];
}

export async function runValidate(args: ValidateArgs, ctx: CliContext): Promise<number> {
  const files = args.files?.length ? args.files : Object.keys(EMITTED_TEMPLATES).map((f) => join('templates', f));
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
        describe: 'templates to check (default: templates/*.yaml)',
      }),
    handler: async (args) => {
      ctx.exitCode = await runValidate(args, ctx);
    },
  };
}
