import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDocs } from '../../src/docs/generate.js';
import { preCommitStarter } from '../../src/docs/pre-commit.js';
import { renderSvg } from '../../src/docs/graphviz.js';
import { ARCHITECTURE_END, ARCHITECTURE_START } from '../../src/docs/readme.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { ACCOUNTS_CONFIG, cli, ENVIRONMENTS_CONFIG } from '../helpers.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'cfn-cicd-docs-'));
const README = '# Project\n\nSome text.\n';

async function workspace(): Promise<{ dir: string; out: string; readme: string; examples: string; argv: string[] }> {
  const dir = await tempDir();
  const readme = join(dir, 'README.md');
  await writeFile(readme, README);
  const out = join(dir, 'docs');
  const examples = join(dir, 'examples');
  return { dir, out, readme, examples, argv: ['--out', out, '--readme', readme, '--examples', examples] };
}

describe('cli docs', () => {
  it('writes reference, permissions, both diagrams, dashboard and the README block; --check then passes', async () => {
    const w = await workspace();
    const result = await cli(['docs', ...w.argv]);
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    expect((await readdir(w.out)).sort()).to.deep.equal([
      'accounts.svg',
      'architecture.svg',
      'dashboard.svg',
      'permissions.md',
      'promotion.svg',
      'reference.md',
    ]);
    expect(result.out.slice(-3), 'says where the blocks went in a README without markers').to.deep.equal(
      ['Parameters', 'Architecture', 'Pinned tools'].map(
        (heading) =>
          `${w.readme} had no ${heading} markers: the block was appended under "## ${heading}"; move it as you like`,
      ),
    );
    const docs = generateDocs(DEFAULT_CONFIG, ENVIRONMENTS_CONFIG, ACCOUNTS_CONFIG);
    expect(await readFile(join(w.out, 'reference.md'), 'utf8')).to.equal(docs.reference);
    expect(await readFile(join(w.out, 'promotion.svg'), 'utf8')).to.equal(await renderSvg(docs.promotionDot));
    expect(await readFile(join(w.out, 'accounts.svg'), 'utf8')).to.equal(await renderSvg(docs.accountsDot));
    expect(await readFile(join(w.out, 'permissions.md'), 'utf8')).to.equal(docs.permissions);
    expect(await readFile(join(w.out, 'dashboard.svg'), 'utf8')).to.equal(docs.dashboard);
    for (const [file, text] of preCommitStarter()) {
      expect(await readFile(join(w.examples, 'pre-commit', file), 'utf8'), file).to.equal(text);
    }

    const readme = await readFile(w.readme, 'utf8');
    expect(readme.startsWith(README)).to.equal(true);
    expect(readme).to.include(`## Architecture\n\n${ARCHITECTURE_START}`);
    expect(readme).to.include(`\`\`\`mermaid\n${docs.mermaid}\n\`\`\``);
    expect(readme).to.include('[docs/architecture.svg](docs/architecture.svg)');

    expect(await cli(['docs', '--check', ...w.argv])).to.deep.include({ code: 0, err: [] });
    const again = await cli(['docs', ...w.argv]);
    expect(again.out.filter((line) => line.includes('markers'))).to.deep.equal([]);
    expect(await readFile(w.readme, 'utf8'), 'a second run replaces the block, adds no second one').to.equal(readme);
  });

  it('--check exits 1 naming each stale file, and only those', async () => {
    const w = await workspace();
    await cli(['docs', ...w.argv]);
    const reference = join(w.out, 'reference.md');
    await writeFile(reference, `${await readFile(reference, 'utf8')}hand edit\n`);
    const svg = join(w.out, 'architecture.svg');
    await writeFile(svg, (await readFile(svg, 'utf8')).replace('<title>', '<title>stale '));
    const dashboard = join(w.out, 'dashboard.svg');
    await writeFile(dashboard, (await readFile(dashboard, 'utf8')).replace('Lead time', 'Lead tim'));
    const readme = await readFile(w.readme, 'utf8');
    await writeFile(w.readme, readme.replace(ARCHITECTURE_END, `stale line\n${ARCHITECTURE_END}`));

    const result = await cli(['docs', '--check', ...w.argv]);
    expect(result.code).to.equal(1);
    expect(result.err).to.deep.equal(
      [reference, svg, dashboard, w.readme].map(
        (p) => `${p} differs from a fresh \`cfn-cicd docs\`; run \`npm run docs\` and commit it`,
      ),
    );
  });

  it('--check on an empty directory names every file', async () => {
    const w = await workspace();
    const result = await cli(['docs', '--check', ...w.argv]);
    expect(result.code).to.equal(1);
    expect(result.err).to.have.length(7 + preCommitStarter().size);
  });

  it('renders the same SVG bytes from the same template, with a node per stage and resource', async () => {
    const docs = generateDocs();
    const first = await renderSvg(docs.dot);
    expect(await renderSvg(generateDocs().dot)).to.equal(first);
    // The Graphviz inside the pinned @viz-js/viz package, whatever the machine has installed.
    const manifest = join(PACKAGE_ROOT, 'node_modules', '@viz-js', 'viz', 'package.json');
    const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
    expect(version, 'pinned exactly in package.json').to.equal('3.31.0');
    expect(first).to.match(/<!-- Generated by graphviz version 16\.1\.0 /);
    for (const node of docs.graph.nodes) expect(first).to.include(`<title>${node.id}</title>`);
    expect(Buffer.byteLength(first), 'SVG size').to.be.lessThan(200_000);
  });

  it('needs no Graphviz on the machine: renders with an empty PATH', async () => {
    const w = await workspace();
    const path = process.env['PATH'];
    process.env['PATH'] = w.dir;
    let result: Awaited<ReturnType<typeof cli>>;
    try {
      result = await cli(['docs', ...w.argv]);
    } finally {
      process.env['PATH'] = path;
    }
    expect(result).to.deep.include({ code: 0, err: [] });
    expect(await readFile(join(w.out, 'architecture.svg'), 'utf8')).to.equal(await renderSvg(generateDocs().dot));
  });

  it('reports a DOT source Graphviz cannot read as one line naming Graphviz', async () => {
    await renderSvg('digraph { a -> }').then(
      () => expect.fail('should refuse'),
      (e: Error) =>
        expect(e.message).to.match(/^Graphviz \(WebAssembly\) could not render the diagram: .*syntax error/),
    );
  });

  it('refuses a place it cannot write with one line naming it, and writes nothing', async () => {
    const w = await workspace();
    const blocker = join(w.dir, 'not-a-directory');
    await writeFile(blocker, 'a file where the examples directory should go\n');
    const result = await cli(['docs', '--out', w.out, '--readme', w.readme, '--examples', blocker]);
    expect(result.code).to.equal(2);
    expect(result.err).to.have.length(1);
    expect(result.err[0]).to.match(
      /^cfn-cicd: --examples \S*not-a-directory: cannot write \S*not-a-directory\S* \(E[A-Z]+\); nothing was written$/,
    );
    expect(await readFile(w.readme, 'utf8')).to.equal(README);
  });

  it('refuses a dashboard.svg it cannot replace with one line naming it, and writes nothing', async () => {
    const w = await workspace();
    const dashboard = join(w.out, 'dashboard.svg');
    await mkdir(dashboard, { recursive: true });
    const result = await cli(['docs', ...w.argv]);
    expect(result.code).to.equal(2);
    expect(result.err).to.deep.equal([
      `cfn-cicd: --out ${w.out}: cannot write ${dashboard} (EISDIR); nothing was written`,
    ]);
    expect(await readdir(w.out), 'no other doc was written beside it').to.deep.equal(['dashboard.svg']);
    expect(await readdir(dashboard)).to.deep.equal([]);
    expect(await readFile(w.readme, 'utf8')).to.equal(README);
  });

  it('refuses a README it cannot read with one line and exit 2', async () => {
    const w = await workspace();
    const missing = join(w.dir, 'nope.md');
    const result = await cli(['docs', '--out', w.out, '--readme', missing, '--examples', w.examples]);
    expect(result.code).to.equal(2);
    expect(result.err).to.deep.equal([`cfn-cicd: --readme ${missing}: cannot read (ENOENT)`]);
  });
});
