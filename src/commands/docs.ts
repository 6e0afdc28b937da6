// `cfn-cicd docs`: reference, permission matrix and architecture diagram from the emitted
// templates, written atomically; `--check` names each file that differs from a fresh run.
import type { CommandModule } from 'yargs';
import type { CliContext } from '../cli.js';
import type { DocsArgs } from './run/docs.js';

export function docsCommand(ctx: CliContext): CommandModule<object, DocsArgs> {
  return {
    command: 'docs',
    describe: 'write the reference, IAM permission matrix and architecture diagram, or --check they are up to date',
    builder: (y) =>
      y
        .option('out', {
          type: 'string',
          default: 'docs',
          describe: 'directory for reference.md, permissions.md, architecture.svg',
        })
        .option('readme', {
          type: 'string',
          default: 'README.md',
          describe: 'README whose architecture block is rewritten',
        })
        .option('check', {
          type: 'boolean',
          default: false,
          describe: 'exit 1 naming each file that differs from a fresh run (needs no Graphviz)',
        }),
    handler: async (args) => {
      // The implementation loads on use, so `build` (run on every save) never pays for it.
      const { runDocs } = await import('./run/docs.js');
      ctx.exitCode = await runDocs(args, ctx);
    },
  };
}
