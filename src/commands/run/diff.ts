// `cfn-cicd diff`: a fresh build against a template file or a deployed stack; security-relevant
// changes first. Exit 0 when nothing changed, 1 when something did, 2 on error.
import { join } from 'node:path';
import type { CliContext } from '../../cli.js';
import { EXIT, UsageError } from '../../cli.js';
import type { BuildConfig } from '../../config.js';
import { loadConfig } from '../config-file.js';
import { diffTemplates, formatDiff, isEmpty } from '../../diff/report.js';
import { canonical, TemplateLoadError, templateFromFile, templateFromStack } from '../../diff/load.js';
import type { JsonObject } from '../../render/yaml.js';
import { loadYaml, renderYaml } from '../../render/yaml.js';
import { EMITTED_TEMPLATES } from '../../template.js';

export interface DiffArgs {
  readonly template: string;
  readonly against?: string;
  readonly stack?: string;
  readonly config?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

/** The fresh build as CloudFormation reads it: rendered to YAML and parsed back. */
function freshBuild(file: string, config: BuildConfig): JsonObject {
  const build = EMITTED_TEMPLATES[file];
  if (build === undefined) {
    throw new UsageError(
      `--template ${file}: not an emitted template; one of ${Object.keys(EMITTED_TEMPLATES).join(', ')}`,
    );
  }
  return canonical(loadYaml(renderYaml(build(config)))) as JsonObject;
}

export async function runDiff(args: DiffArgs, ctx: CliContext): Promise<number> {
  const after = freshBuild(args.template, await loadConfig(args.config));
  const againstFile = args.against ?? join('templates', args.template);
  let before: JsonObject;
  try {
    before =
      args.stack !== undefined
        ? await templateFromStack(args.stack, {
            region: args.region,
            profile: args.profile,
            endpointUrl: args.endpointUrl,
          })
        : await templateFromFile(againstFile);
  } catch (error) {
    if (error instanceof TemplateLoadError) throw new UsageError(error.message);
    throw error;
  }
  const diff = diffTemplates(before, after);
  const source = args.stack !== undefined ? `stack ${args.stack}` : againstFile;
  for (const line of formatDiff(diff, source, `templates/${args.template}`)) ctx.io.out(line);
  return isEmpty(diff) ? EXIT.ok : EXIT.found;
}
