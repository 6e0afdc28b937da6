import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { renderAll } from '../../src/commands/build.js';
import type { JsonObject } from '../../src/model/json.js';
import { loadYaml } from '../../src/render/yaml.js';
import { aws } from '../../src/tools/aws.js';
import { PIPELINE_TEMPLATE_FILE } from '../../src/naming.js';
import { cli } from '../helpers.js';
import type { Moto } from '../moto.js';
import { startMoto } from '../moto.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'cfn-cicd-diff-'));
const fresh = renderAll().get(PIPELINE_TEMPLATE_FILE) as string;

type Statement = { Sid?: string; Action: string[] };
type Role = { Type: string; Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } };

/** Writes a variant of the fresh template (edited as JSON, which a template file may be) and returns its path. */
async function variant(edit: (t: JsonObject) => void): Promise<string> {
  const template = loadYaml(fresh);
  edit(template);
  const path = join(await tempDir(), 'variant.json');
  await writeFile(path, JSON.stringify(template, null, 2));
  return path;
}

describe('cli diff', () => {
  it('builds with --config: the config’s extra tag shows as a change to every taggable resource', async () => {
    const dir = await tempDir();
    const same = join(dir, 'same.yaml');
    await writeFile(same, fresh);
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ tags: { CostCenter: 'cc-7' } }));
    const result = await cli(['diff', '--against', same, '--config', config]);
    expect(result.code).to.equal(1);
    expect(result.out.join('\n')).to.include('Tags');
    await writeFile(config, JSON.stringify({ tags: { 'aws:x': 'y' } }));
    const bad = await cli(['diff', '--against', same, '--config', config]);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.have.length(1);
    expect(bad.err[0]).to.include('tag key "aws:x"');
  });

  it('exits 0 and says so when the file equals a fresh build', async () => {
    const path = join(await tempDir(), 'same.yaml');
    await writeFile(path, fresh);
    const result = await cli(['diff', '--against', path]);
    expect(result).to.deep.include({ code: 0, err: [] });
    expect(result.out).to.deep.equal([
      `No changes: ${path} matches a fresh build of templates/${PIPELINE_TEMPLATE_FILE}.`,
    ]);
  });

  it('prints an action added to a role statement first, naming the role and the action; exit 1', async () => {
    const resources = loadYaml(fresh)['Resources'] as Record<string, Role>;
    const [roleId, role] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::IAM::Role') ?? [];
    expect(roleId, 'the template has a role').to.be.a('string');
    const statement = role?.Properties.Policies[0]?.PolicyDocument.Statement[0] as Statement;
    const extra = statement.Action.includes('s3:DeleteObject') ? 'iam:CreateUser' : 's3:DeleteObject';
    const path = await variant((t) => {
      const r = (t['Resources'] as Record<string, Role>)[roleId as string] as Role;
      r.Properties.Policies[0]?.PolicyDocument.Statement[0]?.Action.push(extra);
    });
    const result = await cli(['diff', '--against', path]);
    expect(result.code).to.equal(1);
    const [heading, , security, first, action] = result.out;
    expect(heading).to.match(/^Changes from .* to a fresh build of templates\/cicd-pipeline\.yaml/);
    expect(security).to.equal('Security-relevant changes (1)');
    expect(first).to.match(
      new RegExp(`^  ~ ${roleId} \\(AWS::IAM::Role\\) policy .*statement ${statement.Sid}: changed$`),
    );
    expect(action).to.equal(`      - ${extra}`);
  });

  it('lists removed, added and changed resources (with the property path) after the security block', async () => {
    const resources = Object.entries(
      loadYaml(fresh)['Resources'] as Record<string, { Type: string; Properties?: JsonObject }>,
    );
    const [changedId] = resources.find(([, r]) => r.Type === 'AWS::ECR::Repository') ?? [];
    const [addedId, addedResource] = resources.find(([, r]) => r.Type === 'AWS::SNS::Subscription') ?? [];
    expect(changedId).to.be.a('string');
    expect(addedId).to.be.a('string');
    const path = await variant((t) => {
      const rs = Object.entries(t['Resources'] as Record<string, { Properties: JsonObject }>);
      const kept = Object.fromEntries(rs.filter(([id]) => id !== addedId));
      (kept[changedId as string] as { Properties: JsonObject }).Properties['ImageTagMutability'] = 'MUTABLE';
      t['Resources'] = { ...kept, LegacyQueue: { Type: 'AWS::SQS::Queue', Properties: {} } };
    });
    const result = await cli(['diff', '--against', path]);
    expect(result.code).to.equal(1);
    expect(result.out).to.include('  - LegacyQueue (AWS::SQS::Queue)', 'only in the file: the build removes it');
    expect(result.out).to.include(
      `  + ${addedId} (${addedResource?.Type})`,
      'missing from the file: the build adds it',
    );
    expect(result.out).to.include(`  ~ ${changedId} (AWS::ECR::Repository): Properties.ImageTagMutability`);
    expect(result.out.indexOf('Resources added (1)')).to.be.greaterThan(
      result.out.indexOf('Security-relevant changes (0): none'),
    );
  });

  it('refuses an unreadable --against with one line and exit 2', async () => {
    const missing = join(await tempDir(), 'missing.yaml');
    const result = await cli(['diff', '--against', missing]);
    expect(result).to.deep.include({ code: 2, out: [] });
    expect(result.err).to.deep.equal([`cfn-cicd: --against ${missing}: cannot read (ENOENT)`]);
    const notTemplate = join(await tempDir(), 'list.yaml');
    await writeFile(notTemplate, '- just\n- a list\n');
    expect((await cli(['diff', '--against', notTemplate])).err[0]).to.match(/not a CloudFormation template/);
  });

  it('refuses --against together with --stack', async () => {
    const result = await cli(['diff', '--against', 'a.yaml', '--stack', 's']);
    expect(result.code).to.equal(2);
    expect(result.err[0]).to.match(/mutually exclusive/);
  });

  describe('--stack (the pinned AWS CLI against a local moto server)', () => {
    let moto: Moto;
    before(async () => {
      moto = await startMoto();
    });
    after(async () => {
      await moto.stop();
    });

    const endpoint = () => ['--endpoint-url', moto.connection.endpointUrl, '--region', moto.connection.region];
    const createStack = async (name: string, body: string) => {
      const created = await aws(
        ['cloudformation', 'create-stack', '--stack-name', name, '--template-body', body],
        moto.connection,
      );
      expect(created.exitCode, created.stderr).to.equal(0);
    };
    const freshTypes = Object.entries(loadYaml(fresh)['Resources'] as Record<string, { Type: string }>);

    it('compares with the original template of a stack, given as YAML text or as JSON', async () => {
      const small = { Resources: { LegacyTopic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'legacy' } } } };
      await createStack('diff-yaml', yaml.dump(small));
      await createStack('diff-json', JSON.stringify(small));
      for (const stack of ['diff-yaml', 'diff-json']) {
        const result = await cli(['diff', '--stack', stack, ...endpoint()]);
        expect(result.err).to.deep.equal([]);
        expect(result.code).to.equal(1);
        expect(result.out[0]).to.equal(
          `Changes from stack ${stack} (-) to a fresh build of templates/${PIPELINE_TEMPLATE_FILE} (+)`,
        );
        expect(result.out).to.include('Resources removed (1)');
        expect(result.out).to.include('  - LegacyTopic (AWS::SNS::Topic)');
        expect(result.out).to.include(`Resources added (${freshTypes.length})`);
      }
    });

    it('says which stack it could not find, in one line, exit 2', async () => {
      const result = await cli(['diff', '--stack', 'no-such-stack', ...endpoint()]);
      expect(result.code).to.equal(2);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.match(
        /^cfn-cicd: --stack no-such-stack: aws cloudformation get-template: .*no-such-stack.*does not exist/,
      );
    });
  });

  it('reads the committed template by default', async () => {
    const committed = await readFile(join('templates', PIPELINE_TEMPLATE_FILE), 'utf8').catch(() => undefined);
    const result = await cli(['diff']);
    expect(result.code).to.equal(committed === fresh ? 0 : 1);
  });
});
