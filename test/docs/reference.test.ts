import { expect } from 'chai';
import * as prettier from 'prettier';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDocs } from '../../src/docs/generate.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { emitted } from './support.js';

const docs = generateDocs();
const prettierOptions = JSON.parse(readFileSync(join(PACKAGE_ROOT, '.prettierrc.json'), 'utf8')) as prettier.Options;

/** The reference's section for one template: from its `## templates/<file>` heading to the next. */
function sectionOf(markdown: string, file: string): string {
  const start = markdown.indexOf(`\n## templates/${file}\n`);
  expect(start, `section for ${file}`).to.be.greaterThan(-1);
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

/** Backticked names in the first column of a `### <title>` table. */
function firstColumn(section: string, title: string): string[] {
  const start = section.indexOf(`\n### ${title}`);
  expect(start, `### ${title}`).to.be.greaterThan(-1);
  const end = section.indexOf('\n### ', start + 1);
  return section
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => /^\| `([^`]+)`/.exec(l)?.[1] as string);
}

describe('docs/reference.md', () => {
  for (const t of emitted()) {
    describe(`templates/${t.file}`, () => {
      const section = sectionOf(docs.reference, t.file);

      it('lists every parameter exactly once, with its group from the Interface metadata', () => {
        const params = Object.keys((t.body['Parameters'] ?? {}) as object);
        expect(firstColumn(section, 'Parameters').sort()).to.deep.equal([...params].sort());
        const groups = (
          (t.body['Metadata'] as Record<string, { ParameterGroups?: { Label: { default: string } }[] }>)?.[
            'AWS::CloudFormation::Interface'
          ]?.ParameterGroups ?? []
        ).map((g) => g.Label.default);
        for (const group of groups) expect(section).to.include(`\n#### ${group}\n`);
      });

      it('lists every output exactly once', () => {
        const outputs = Object.keys((t.body['Outputs'] ?? {}) as object);
        expect(firstColumn(section, 'Outputs').sort()).to.deep.equal([...outputs].sort());
      });

      it('lists every resource with its type, sorted by type', () => {
        const rows = section
          .slice(section.indexOf('### Resources by type'))
          .split('\n')
          .filter((l) => l.startsWith('| `'))
          .map((l) => l.split('|').map((c) => c.trim().replace(/`/g, '')));
        const listed = rows.map((r) => [(r[2] as string).split(' ')[0], r[1]]);
        const expected = Object.entries(t.resources).map(([id, r]) => [id, r.Type]);
        expect(listed.map(([id, type]) => `${id} ${type}`).sort()).to.deep.equal(
          expected.map(([id, type]) => `${id} ${type}`).sort(),
        );
        const types = rows.map((r) => r[1] as string);
        expect(types).to.deep.equal([...types].sort());
      });
    });
  }

  it('gives the physical name pattern as the !Sub text of the name property', () => {
    const pipeline = emitted()[0];
    const named = Object.entries(pipeline?.resources ?? {}).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    expect(named).to.not.have.length(0);
    for (const [id, bucket] of named) {
      const sub = (bucket.Properties?.['BucketName'] as { 'Fn::Sub': string })['Fn::Sub'];
      expect(docs.reference).to.include(`| \`${id}\``).and.include(`\`${sub}\``);
    }
  });

  it('is already formatted the way Prettier formats Markdown (npm run lint checks docs/)', async () => {
    for (const text of [docs.reference, docs.permissions]) {
      expect(await prettier.check(text, { ...prettierOptions, parser: 'markdown' })).to.equal(true);
    }
  });

  it('is deterministic', () => {
    expect(generateDocs().reference).to.equal(docs.reference);
    expect(generateDocs().permissions).to.equal(docs.permissions);
  });
});

describe('docs/README parameters block', () => {
  it('lists every parameter of the pipeline template once, in declaration order, with its default', () => {
    const pipeline = emitted().find((t) => t.file === docs.diagramTemplate);
    const parameters = (pipeline?.body['Parameters'] ?? {}) as Record<string, { Default?: unknown }>;
    const rows = docs.parameterSummary.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((l) => /^\| `([^`]+)`/.exec(l)?.[1])).to.deep.equal(Object.keys(parameters));
    for (const row of rows) {
      const name = /^\| `([^`]+)`/.exec(row)?.[1] as string;
      const fallback = parameters[name]?.Default;
      const cell = row.split('|')[2]?.trim();
      expect(cell, name).to.equal(
        fallback === undefined ? 'required' : fallback === '' ? 'empty' : `\`${String(fallback)}\``,
      );
    }
  });
});
