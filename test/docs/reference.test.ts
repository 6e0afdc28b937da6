import { expect } from 'chai';
import * as prettier from 'prettier';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDocs } from '../../src/docs/generate.js';
import { referenceMarkdown } from '../../src/docs/reference.js';
import type { JsonObject } from '../../src/model/json.js';
import { TemplateModel } from '../../src/model/template.js';
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

describe('docs/reference.md on forms the emitted templates do not use yet', () => {
  const body: JsonObject = {
    Description: 'forms',
    Metadata: {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: [{ Label: { default: 'Access' }, Parameters: ['Token', 'Retries', 'Note'] }],
        ParameterLabels: {
          Token: { default: 'API token' },
          Retries: { default: 'Retries' },
          Note: { default: 'Free text' },
        },
      },
    },
    Parameters: {
      Token: { Type: 'String', Description: 'token', NoEcho: true, MaxLength: 64 },
      Retries: { Type: 'Number', Description: 'how often', MinValue: 1, Default: 3 },
      Note: { Type: 'String', Description: 'anything', Default: '' },
    },
    Resources: {
      Alerts: {
        Type: 'AWS::SNS::Topic',
        Condition: 'HasEmail',
        Properties: { TopicName: { 'Fn::Sub': 'alerts-${AWS::Region}' } },
      },
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
    },
  };
  const md = referenceMarkdown([
    { file: 'forms.yaml', model: new TemplateModel(body) },
    {
      file: 'bare.yaml',
      model: new TemplateModel({ Description: 'bare', Resources: { Key: { Type: 'AWS::KMS::Key' } } }),
    },
  ]);
  const row = (name: string) => md.split('\n').find((l) => l.startsWith(`| \`${name}\``)) ?? '';

  it('writes each constraint a parameter has, and "any" for none', () => {
    expect(row('Token')).to.match(/\| required +\| length 0-64<br>hidden \(NoEcho\) +\| token +\|$/);
    expect(row('Retries')).to.match(/\| `3` +\| value 1-any +\| how often +\|$/);
    expect(row('Note')).to.match(/\| empty +\| any +\| anything +\|$/);
  });

  it('names a conditional resource’s condition and a name AWS generates', () => {
    expect(row('AWS::SNS::Topic')).to.match(/\| `Alerts` \(if `HasEmail`\) +\| `alerts-\$\{AWS::Region\}` +\|$/);
    expect(row('AWS::KMS::Key')).to.match(/\| `Key` +\| generated by CloudFormation +\|$/);
  });

  it('says so when a template has no parameters or outputs', () => {
    const bare = md.slice(md.indexOf('## templates/bare.yaml'));
    expect(bare).to.include('0 parameters, 0 outputs, 1 resources of 1 types.');
    expect(bare).to.include('### Parameters\n\nNone.\n');
    expect(bare).to.include('### Outputs\n\nNone.\n');
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
