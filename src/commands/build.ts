// `cfn-cicd build`: render every template and the product's guard rules and write them together
// (atomically), or check the committed ones.
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import type { BuildConfig } from '../config.js';
import { DEFAULT_CONFIG } from '../config.js';
import { fileState, writeFilesAtomic } from '../files.js';
import { interruptible } from '../interrupt.js';
import { renderYaml } from '../render/yaml.js';
import { EMITTED_RULES } from '../guard/product-rules.js';
import { templatesFor } from '../template.js';
import { loadConfig } from './config-file.js';
import type { CliContext } from './context.js';
import { EXIT, staleLine } from './context.js';
import { boolean, single } from './flags.js';

export interface BuildArgs {
  readonly out: string;
  readonly check: boolean;
  readonly config?: string;
}

/** Every emitted template rendered: file name → YAML. */
export function renderTemplates(config: BuildConfig = DEFAULT_CONFIG): Map<string, string> {
  return new Map(Object.entries(templatesFor(config)).map(([file, build]) => [file, renderYaml(build())]));
}

/** Every file the build writes, the templates and the product's guard rules: file name → text. */
export function renderAll(config: BuildConfig = DEFAULT_CONFIG): Map<string, string> {
  return new Map([
    ...renderTemplates(config),
    ...Object.entries(EMITTED_RULES).map(([file, render]): [string, string] => [file, render(config)]),
  ]);
}

export async function runBuild(args: BuildArgs, ctx: CliContext): Promise<number> {
  // yargs supplies the default; single() refuses an empty or repeated value.
  const out = single(args, 'out') as string;
  const rendered = renderAll(await loadConfig(single(args, 'config')));
  const files = new Map([...rendered].map(([file, yaml]) => [join(out, file), yaml]));
  if (boolean(args, 'check', ctx.argv)) {
    let stale = 0;
    for (const [path, yaml] of files) {
      const state = await fileState(path, yaml);
      if (state === 'same') continue;
      stale += 1;
      ctx.io.err(staleLine(path, state, 'build'));
    }
    if (stale === 0) ctx.io.out(`${files.size} template(s) up to date in ${out}`);
    return stale > 0 ? EXIT.found : EXIT.ok;
  }
  await interruptible((signal) => writeFilesAtomic(files, () => `--out ${out}`, signal));
  for (const [path, yaml] of files) ctx.io.out(`wrote ${path} (${Buffer.byteLength(yaml)} bytes)`);
  return EXIT.ok;
}

export function buildCommand(ctx: CliContext): CommandModule<object, BuildArgs> {
  return {
    command: 'build',
    describe: 'render the templates and guard rules into --out (atomically), or --check that they are up to date',
    builder: (y) =>
      y
        .option('out', { type: 'string', default: 'templates', describe: 'directory the templates are written to' })
        .option('check', {
          type: 'boolean',
          default: false,
          describe: 'exit 1 naming each file that differs from a fresh build',
        })
        .option('config', { type: 'string', describe: 'JSON file with "project" and "tags" for the standard tags' }),
    handler: async (args) => {
      ctx.exitCode = await runBuild(args, ctx);
    },
  };
}
