// `cfn-cicd docs`: reference, permission matrix and architecture diagram from the emitted
// templates, and the pre-commit starter from the pipeline's pins, written atomically; `--check`
// names each file that differs from a fresh run.
import { dirname, join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { readTextIfExists, writeFilesAtomic } from '../files.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';
import { single } from './flags.js';

export interface DocsArgs {
  readonly out: string;
  readonly check: boolean;
  readonly readme: string;
  readonly examples: string;
}

export const DOC_FILES = {
  reference: 'reference.md',
  permissions: 'permissions.md',
  diagram: 'architecture.svg',
} as const;

export async function runDocs(args: DocsArgs, ctx: CliContext): Promise<number> {
  // The implementation loads on use, so `build` (run on every save) never pays for it.
  const { generateDocs } = await import('../docs/generate.js');
  const { PRE_COMMIT_DIR, preCommitStarter } = await import('../docs/pre-commit.js');
  const { renderSvg } = await import('../docs/graphviz.js');
  const {
    architectureBlock,
    parametersReadmeBlock,
    toolsReadmeBlock,
    withArchitectureBlock,
    withParametersBlock,
    withToolsBlock,
  } = await import('../docs/readme.js');
  const { PINNED_TOOLS } = await import('../resources/tool-pins.js');
  const out = single(args, 'out') ?? 'docs';
  const readmePath = single(args, 'readme') ?? 'README.md';
  const examples = single(args, 'examples') ?? 'examples';
  const docs = generateDocs();
  const paths = {
    reference: join(out, DOC_FILES.reference),
    permissions: join(out, DOC_FILES.permissions),
    diagram: join(out, DOC_FILES.diagram),
  };
  const link = (path: string) => relative(dirname(readmePath), path).split('\\').join('/');
  const readme = await readTextIfExists(readmePath);
  if (readme === undefined)
    throw new InputError(`--readme ${readmePath}: cannot read it (the generated blocks go there)`);
  const freshReadme = withArchitectureBlock(
    withToolsBlock(
      withParametersBlock(
        readme,
        parametersReadmeBlock(docs.parameterSummary, docs.diagramTemplate, link(paths.reference)),
      ),
      toolsReadmeBlock(PINNED_TOOLS),
    ),
    architectureBlock(docs.mermaid, docs.diagramTemplate, link(paths.diagram)),
  );
  const files = new Map([
    [paths.reference, docs.reference],
    [paths.permissions, docs.permissions],
    [paths.diagram, await renderSvg(docs.dot)],
    [readmePath, freshReadme],
    ...[...preCommitStarter()].map(([file, text]): [string, string] => [join(examples, PRE_COMMIT_DIR, file), text]),
  ]);

  if (args.check) {
    const stale: string[] = [];
    for (const [path, text] of files) if ((await readTextIfExists(path)) !== text) stale.push(path);
    for (const path of stale)
      ctx.io.err(`${path} differs from a fresh \`cfn-cicd docs\`; run \`npm run docs\` and commit it`);
    if (stale.length === 0) ctx.io.out(`${files.size} file(s) up to date: ${[...files.keys()].join(', ')}`);
    return stale.length > 0 ? EXIT.found : EXIT.ok;
  }
  try {
    await writeFilesAtomic(files);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new InputError(`cannot write ${e.path ?? out} (${e.code ?? e.message}): check --out and --examples`);
  }
  for (const [path, text] of files) ctx.io.out(`wrote ${path} (${Buffer.byteLength(text)} bytes)`);
  return EXIT.ok;
}

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
        .option('examples', {
          type: 'string',
          default: 'examples',
          describe: 'directory for the pre-commit starter (pre-commit/) application teams copy',
        })
        .option('readme', {
          type: 'string',
          default: 'README.md',
          describe: 'README whose generated blocks (parameters, architecture) are rewritten',
        })
        .option('check', {
          type: 'boolean',
          default: false,
          describe: 'exit 1 naming each file that differs from a fresh run',
        }),
    handler: async (args) => {
      ctx.exitCode = await runDocs(args, ctx);
    },
  };
}
