// `cfn-cicd diff`: a fresh build against a template file or a deployed stack; security-relevant
// changes first. Exit 0 when nothing changed, 1 when something did, 2 on error.
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { PIPELINE_TEMPLATE_FILE } from '../naming.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';
import { single } from './flags.js';

export interface DiffArgs {
  readonly template: string;
  readonly against?: string;
  readonly stack?: string;
  readonly config?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly 'endpoint-url'?: string;
}

export async function runDiff(args: DiffArgs, ctx: CliContext): Promise<number> {
  // The implementation loads on use, so `build` (run on every save) never pays for it.
  const { templatesFor } = await import('../template.js');
  const { renderYaml } = await import('../render/yaml.js');
  const { parseTemplate } = await import('../model/template.js');
  const { diffTemplates, formatDiff, isEmpty } = await import('../diff/report.js');
  const { templateFromFile, templateFromStack } = await import('../diff/load.js');
  const { loadConfig } = await import('./config-file.js');

  // yargs supplies the default; single() refuses an empty or repeated value.
  const file = single(args, 'template') as string;
  const templates = templatesFor(await loadConfig(single(args, 'config')));
  const build = templates[file];
  if (build === undefined) {
    throw new InputError(`--template ${file}: not an emitted template; one of ${Object.keys(templates).join(', ')}`);
  }
  // The fresh build as CloudFormation reads it: rendered to YAML and parsed back.
  const after = parseTemplate(renderYaml(build()), `templates/${file}`);
  const stack = single(args, 'stack');
  const againstFile = single(args, 'against') ?? join('templates', file);
  const before =
    stack !== undefined
      ? await templateFromStack(stack, {
          region: single(args, 'region'),
          profile: single(args, 'profile'),
          endpointUrl: single(args, 'endpoint-url'),
        })
      : await templateFromFile(againstFile);
  const diff = diffTemplates(before, after);
  const source = stack !== undefined ? `stack ${stack}` : againstFile;
  for (const line of formatDiff(diff, source, `templates/${file}`)) ctx.io.out(line);
  return isEmpty(diff) ? EXIT.ok : EXIT.found;
}

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
        .option('stack', { type: 'string', describe: 'deployed stack to compare with (its original template)' })
        .conflicts('against', 'stack')
        .option('config', { type: 'string', describe: 'JSON file with "project" and "tags", as for build' })
        .option('region', { type: 'string', describe: 'AWS region of --stack' })
        .option('profile', { type: 'string', describe: 'AWS CLI profile for --stack' })
        .option('endpoint-url', { type: 'string', describe: 'CloudFormation endpoint, e.g. a local emulator' }),
    handler: async (args) => {
      ctx.exitCode = await runDiff(args, ctx);
    },
  };
}
