// `cfn-cicd docs`: reference, permission matrix and architecture diagram from the emitted
// templates, written atomically; `--check` names each file that differs from a fresh run.
import { dirname, join, relative } from 'node:path';
import type { CliContext } from '../../cli.js';
import { EXIT, UsageError } from '../../cli.js';
import { generateDocs } from '../../docs/generate.js';
import { dotSourceHash, GraphvizMissingError, locateDot, renderSvg, stampedHash } from '../../docs/graphviz.js';
import {
  architectureBlock,
  parametersReadmeBlock,
  withArchitectureBlock,
  withParametersBlock,
} from '../../docs/readme.js';
import { readTextIfExists, writeFilesAtomic } from '../../files.js';

export interface DocsArgs {
  readonly out: string;
  readonly check: boolean;
  readonly readme: string;
}

export const DOC_FILES = {
  reference: 'reference.md',
  permissions: 'permissions.md',
  diagram: 'architecture.svg',
} as const;

/** Runs the command; `env` is where `dot` is looked up (tests pass a PATH without it). */
export async function runDocs(args: DocsArgs, ctx: CliContext, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const docs = generateDocs();
  const paths = {
    reference: join(args.out, DOC_FILES.reference),
    permissions: join(args.out, DOC_FILES.permissions),
    diagram: join(args.out, DOC_FILES.diagram),
  };
  const svgLink = relative(dirname(args.readme), paths.diagram).split('\\').join('/');
  const referenceLink = relative(dirname(args.readme), paths.reference).split('\\').join('/');
  const readme = await readTextIfExists(args.readme);
  if (readme === undefined)
    throw new UsageError(`--readme ${args.readme}: cannot read it (the generated blocks go there)`);
  const freshReadme = withArchitectureBlock(
    withParametersBlock(readme, parametersReadmeBlock(docs.parameterSummary, docs.diagramTemplate, referenceLink)),
    architectureBlock(docs.mermaid, docs.diagramTemplate, svgLink),
  );

  if (args.check) {
    const stale: string[] = [];
    if ((await readTextIfExists(paths.reference)) !== docs.reference) stale.push(paths.reference);
    if ((await readTextIfExists(paths.permissions)) !== docs.permissions) stale.push(paths.permissions);
    const svg = await readTextIfExists(paths.diagram);
    if (svg === undefined || stampedHash(svg) !== dotSourceHash(docs.dot)) stale.push(paths.diagram);
    if (freshReadme !== readme) stale.push(args.readme);
    for (const path of stale)
      ctx.io.err(`${path} differs from a fresh \`cfn-cicd docs\`; run \`npm run docs\` and commit it`);
    if (stale.length === 0) ctx.io.out(`4 file(s) up to date: ${Object.values(paths).join(', ')}, ${args.readme}`);
    return stale.length > 0 ? EXIT.found : EXIT.ok;
  }

  const dot = locateDot(env);
  if (dot === undefined) throw new GraphvizMissingError();
  const files = new Map([
    [paths.reference, docs.reference],
    [paths.permissions, docs.permissions],
    [paths.diagram, await renderSvg(docs.dot, dot)],
    [args.readme, freshReadme],
  ]);
  try {
    await writeFilesAtomic(files);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UsageError(`--out ${args.out}: cannot write the docs there (${e.code ?? e.message})`);
  }
  for (const [path, text] of files) ctx.io.out(`wrote ${path} (${Buffer.byteLength(text)} bytes)`);
  return EXIT.ok;
}
