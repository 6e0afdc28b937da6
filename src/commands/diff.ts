// `cfn-cicd diff`: a fresh build against a template file or a deployed stack; security-relevant
// changes first. Exit 0 when nothing changed, 1 when something did, 2 on error.
import type { CommandModule } from 'yargs';
import type { CliContext } from '../cli.js';
import { PIPELINE_TEMPLATE_FILE } from '../naming.js';
import type { DiffArgs } from './run/diff.js';

export function diffCommand(ctx: CliContext): CommandModule<object, DiffArgs> {
  return {
    command: 'diff',
    describe: 'compare a fresh build with a template file or a deployed stack; security-relevant changes first',
    builder: (y) =>
      y
        .option('template', {
          type: 'string',
          default: PIPELINE_TEMPLATE_FILE,
          describe: 'which emitted template to build and compare',
        })
        .option('against', {
          type: 'string',
          describe: 'template file to compare with (default: templates/<template>)',
        })
        .option('config', { type: 'string', describe: 'JSON file with "project" and "tags", as for build' })
        .option('stack', { type: 'string', describe: 'deployed stack to compare with (its original template)' })
        .option('config', { type: 'string', describe: 'JSON file with "project" and "tags", as for build' })
        .conflicts('against', 'stack')
        .option('region', { type: 'string', describe: 'AWS region of --stack' })
        .option('profile', { type: 'string', describe: 'AWS CLI profile for --stack' })
        .option('endpoint-url', { type: 'string', describe: 'CloudFormation endpoint, e.g. a local emulator' }),
    handler: async (args) => {
      // The implementation loads on use, so `build` (run on every save) never pays for it.
      const { runDiff } = await import('./run/diff.js');
      ctx.exitCode = await runDiff(args, ctx);
    },
  };
}
