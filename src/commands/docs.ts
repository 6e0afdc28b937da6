// `cfn-cicd docs`: reference, permission matrix, architecture diagram and dashboard picture from
// the emitted templates, and the pre-commit starter from the pipeline's pins, written atomically;
// `--check` names each file that differs from a fresh run.
import { dirname, join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { fileState, readInputText, writeFilesAtomic } from '../files.js';
import { interruptible } from '../interrupt.js';
import type { CliContext } from './context.js';
import { EXIT, staleLine } from './context.js';
import { boolean, single } from './flags.js';

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
  dashboard: 'dashboard.svg',
  promotion: 'promotion.svg',
  accounts: 'accounts.svg',
} as const;

/** The build config of the promoting pipeline the docs also describe, as `npm run build` reads it. */
export const ENVIRONMENTS_CONFIG_FILE = 'configs/environments.json';
/** The build config of the promoting pipeline across accounts and Regions the docs also describe. */
export const ACCOUNTS_CONFIG_FILE = 'configs/accounts.json';

/** Far more than any README needs. */
export const README_LIMIT = { bytes: 1_048_576, why: 'more than any README needs' } as const;

/**
 * The generated blocks whose markers are both missing (each is then appended under its heading);
 * refuses a README with one marker of a pair, or the end before the start, which no rewrite can honour.
 */
function appendedBlocks(
  readme: string,
  label: string,
  markers: readonly (readonly [string, string, string])[],
): string[] {
  const appended: string[] = [];
  for (const [start, end, heading] of markers) {
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 && to < 0) appended.push(heading);
    else if (from < 0 || to < from) {
      throw new InputError(`${label}: the ${heading} block needs both ${start} and ${end}, in that order, or neither`);
    }
  }
  return appended;
}

export async function runDocs(args: DocsArgs, ctx: CliContext): Promise<number> {
  // The implementation loads on use, so `build` (run on every save) never pays for it.
  const { generateDocs } = await import('../docs/generate.js');
  const { renderSvg } = await import('../docs/graphviz.js');
  const readmeBlocks = await import('../docs/readme.js');
  const { PRE_COMMIT_DIR, preCommitStarter } = await import('../docs/pre-commit.js');
  const { PINNED_TOOLS } = await import('../resources/tool-pins.js');
  // yargs supplies the defaults; single() refuses an empty or repeated value.
  const out = single(args, 'out') as string;
  const readmePath = single(args, 'readme') as string;
  const examples = single(args, 'examples') as string;
  const readmeLabel = `--readme ${readmePath}`;
  const readme = await readInputText(readmePath, readmeLabel, README_LIMIT);
  const appended = appendedBlocks(readme, readmeLabel, [
    [readmeBlocks.PARAMETERS_START, readmeBlocks.PARAMETERS_END, 'Parameters'],
    [readmeBlocks.ARCHITECTURE_START, readmeBlocks.ARCHITECTURE_END, 'Architecture'],
    [readmeBlocks.TOOLS_START, readmeBlocks.TOOLS_END, 'Pinned tools'],
  ]);
  const { loadConfig } = await import('./config-file.js');
  const { DEFAULT_CONFIG } = await import('../config.js');
  const { PACKAGE_ROOT } = await import('../tools/locate.js');
  const docs = generateDocs(
    DEFAULT_CONFIG,
    await loadConfig(join(PACKAGE_ROOT, ENVIRONMENTS_CONFIG_FILE)),
    await loadConfig(join(PACKAGE_ROOT, ACCOUNTS_CONFIG_FILE)),
  );
  const paths = {
    reference: join(out, DOC_FILES.reference),
    permissions: join(out, DOC_FILES.permissions),
    diagram: join(out, DOC_FILES.diagram),
    dashboard: join(out, DOC_FILES.dashboard),
    promotion: join(out, DOC_FILES.promotion),
    accounts: join(out, DOC_FILES.accounts),
  };
  const link = (path: string) => relative(dirname(readmePath), path).split('\\').join('/');
  const freshReadme = readmeBlocks.withArchitectureBlock(
    readmeBlocks.withToolsBlock(
      readmeBlocks.withParametersBlock(
        readme,
        readmeBlocks.parametersReadmeBlock(docs.parameterSummary, docs.diagramTemplate, link(paths.reference)),
      ),
      readmeBlocks.toolsReadmeBlock(PINNED_TOOLS),
    ),
    readmeBlocks.architectureBlock(docs.mermaid, docs.diagramTemplate, link(paths.diagram)),
  );
  const files = new Map([
    [paths.reference, docs.reference],
    [paths.permissions, docs.permissions],
    [paths.diagram, await renderSvg(docs.dot)],
    [paths.dashboard, docs.dashboard],
    [paths.promotion, await renderSvg(docs.promotionDot)],
    [paths.accounts, await renderSvg(docs.accountsDot)],
    [readmePath, freshReadme],
    ...[...preCommitStarter()].map(([file, text]): [string, string] => [join(examples, PRE_COMMIT_DIR, file), text]),
  ]);

  if (boolean(args, 'check', ctx.argv)) {
    let stale = 0;
    for (const [path, text] of files) {
      const state = await fileState(path, text);
      if (state === 'same') continue;
      stale += 1;
      ctx.io.err(staleLine(path, state, 'docs'));
    }
    if (stale === 0) ctx.io.out(`${files.size} file(s) up to date: ${[...files.keys()].join(', ')}`);
    return stale > 0 ? EXIT.found : EXIT.ok;
  }
  const label = (path: string): string =>
    path === readmePath ? readmeLabel : path.startsWith(`${examples}/`) ? `--examples ${examples}` : `--out ${out}`;
  await interruptible((signal) => writeFilesAtomic(files, label, signal));
  for (const [path, text] of files) ctx.io.out(`wrote ${path} (${Buffer.byteLength(text)} bytes)`);
  for (const heading of appended) {
    ctx.io.out(
      `${readmePath} had no ${heading} markers: the block was appended under "## ${heading}"; move it as you like`,
    );
  }
  return EXIT.ok;
}

export function docsCommand(ctx: CliContext): CommandModule<object, DocsArgs> {
  return {
    command: 'docs',
    describe:
      'write the reference, IAM permission matrix, architecture diagram and dashboard picture, or --check they are up to date',
    builder: (y) =>
      y
        .option('out', {
          type: 'string',
          default: 'docs',
          describe:
            'directory for reference.md, permissions.md, architecture.svg, dashboard.svg, promotion.svg, accounts.svg',
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
        })
        .option('examples', {
          type: 'string',
          default: 'examples',
          describe: 'directory for the pre-commit starter (pre-commit/) application teams copy',
        }),
    handler: async (args) => {
      ctx.exitCode = await runDocs(args, ctx);
    },
  };
}
