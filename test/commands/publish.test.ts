import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateArtifact, TEMPLATE_KEY_PREFIX } from '../../src/publish/artifact.js';
import { renderYaml } from '../../src/render/yaml.js';
import { pipelineTemplate } from '../../src/template.js';
import type { AwsConnection } from '../../src/tools/aws.js';
import { aws, awsJson } from '../../src/tools/aws.js';
import { cli } from '../helpers.js';
import type { Moto } from '../moto.js';
import { startMoto } from '../moto.js';

const BUCKET = 'cfn-cicd-publish-test';
const STACK = 'cicd-catalog-publish-test';
const PRINCIPAL = 'arn:aws:iam::123456789012:role/app-team';
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

interface Stack {
  Parameters: { ParameterKey: string; ParameterValue: string }[];
  StackStatus: string;
}

async function stackParameters(connection: AwsConnection): Promise<Record<string, string>> {
  const { Stacks } = await awsJson<{ Stacks: Stack[] }>(
    ['cloudformation', 'describe-stacks', '--stack-name', STACK],
    connection,
  );
  return Object.fromEntries((Stacks[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
}

async function objectVersions(connection: AwsConnection): Promise<{ Key: string; VersionId: string }[]> {
  const listed = await awsJson<{ Versions?: { Key: string; VersionId: string }[] }>(
    ['s3api', 'list-object-versions', '--bucket', BUCKET, '--prefix', TEMPLATE_KEY_PREFIX],
    connection,
  );
  return listed.Versions ?? [];
}

async function changeSetCount(connection: AwsConnection): Promise<number> {
  const listed = await awsJson<{ Summaries?: unknown[] }>(
    ['cloudformation', 'list-change-sets', '--stack-name', STACK],
    connection,
  );
  return listed.Summaries?.length ?? 0;
}

describe('cli publish (the pinned AWS CLI against a local moto server)', () => {
  let moto: Moto;
  let dir: string;
  let firstFile: string;
  let secondFile: string;
  let first: Buffer;
  let second: Buffer;
  const publish = (...flags: string[]) =>
    cli([
      'publish',
      '--bucket',
      BUCKET,
      '--stack-name',
      STACK,
      '--endpoint-url',
      moto.connection.endpointUrl,
      '--region',
      moto.connection.region,
      ...flags,
    ]);

  before(async () => {
    moto = await startMoto();
    await awsJson(['s3api', 'create-bucket', '--bucket', BUCKET], moto.connection);
    await awsJson(
      ['s3api', 'put-bucket-versioning', '--bucket', BUCKET, '--versioning-configuration', 'Status=Enabled'],
      moto.connection,
    );
    dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-'));
    first = Buffer.from(renderYaml(pipelineTemplate()));
    second = Buffer.from(
      renderYaml(pipelineTemplate({ ...DEFAULT_CONFIG, project: 'payments', tags: { CostCenter: 'cc-42' } })),
    );
    firstFile = join(dir, 'first.yaml');
    secondFile = join(dir, 'second.yaml');
    await writeFile(firstFile, first);
    await writeFile(secondFile, second);
  });
  after(async () => {
    await moto.stop();
  });

  it('uploads the template under its content-addressed key and creates the product stack', async () => {
    const result = await publish('--template-file', firstFile, '--env-suffix', 'dev', '--principal-arn', PRINCIPAL);
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    const key = `cfn-cicd/cicd-pipeline/${sha256(first)}.yaml`;
    expect(result.out[0]).to.equal(`uploaded s3://${BUCKET}/${key} (${first.length} bytes)`);

    const downloaded = join(dir, 'downloaded.yaml');
    await awsJson(['s3api', 'get-object', '--bucket', BUCKET, '--key', key, downloaded], moto.connection);
    const bytes = await readFile(downloaded);
    expect(bytes.equals(first)).to.equal(true);
    expect(key).to.equal(`${TEMPLATE_KEY_PREFIX}${sha256(bytes)}.yaml`);

    expect(await stackParameters(moto.connection)).to.deep.equal({
      EnvironmentSuffix: 'dev',
      PipelineTemplateUrl: `https://${BUCKET}.s3.us-east-1.amazonaws.com/${key}`,
      ProvisioningArtifactName: `v-${sha256(first).slice(0, 12)}`,
      PrincipalArn: PRINCIPAL,
    });
    expect(result.out[1]).to.match(
      new RegExp(`^product stack ${STACK}: created \\(version v-${sha256(first).slice(0, 12)}, `),
    );
  });

  it('changes nothing when the same template is published again', async () => {
    const versionsBefore = await objectVersions(moto.connection);
    const changeSetsBefore = await changeSetCount(moto.connection);
    const parametersBefore = await stackParameters(moto.connection);

    const result = await publish('--template-file', firstFile, '--env-suffix', 'dev');
    expect(result.code).to.equal(0);
    expect(result.out[0]).to.match(/already holds this template; not uploaded again$/);
    expect(result.out[1]).to.match(new RegExp(`^product stack ${STACK}: unchanged `));

    expect(await objectVersions(moto.connection)).to.deep.equal(versionsBefore);
    expect(versionsBefore).to.have.length(1);
    expect(await changeSetCount(moto.connection)).to.equal(changeSetsBefore);
    expect(await stackParameters(moto.connection)).to.deep.equal(parametersBefore);
  });

  it('publishes a changed template under a new key and moves the product to it', async () => {
    const changeSetsBefore = await changeSetCount(moto.connection);
    const result = await publish('--template-file', secondFile, '--env-suffix', 'dev', '--version', 'v2.0.0');
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    const key = `cfn-cicd/cicd-pipeline/${sha256(second)}.yaml`;
    expect(sha256(second)).to.not.equal(sha256(first));

    expect((await objectVersions(moto.connection)).map((v) => v.Key).sort()).to.deep.equal(
      [`cfn-cicd/cicd-pipeline/${sha256(first)}.yaml`, key].sort(),
    );
    expect(await stackParameters(moto.connection)).to.deep.include({
      PipelineTemplateUrl: `https://${BUCKET}.s3.us-east-1.amazonaws.com/${key}`,
      ProvisioningArtifactName: 'v2.0.0',
      PrincipalArn: PRINCIPAL,
    });
    expect(await changeSetCount(moto.connection)).to.equal(changeSetsBefore + 1);
    expect(result.out[1]).to.match(new RegExp(`^product stack ${STACK}: updated \\(version v2\\.0\\.0, `));
  });

  it('names a bucket it cannot reach in one line, exit 2', async () => {
    const result = await cli([
      'publish',
      '--bucket',
      'no-such-bucket-here',
      '--stack-name',
      'cicd-catalog-never',
      '--template-file',
      firstFile,
      '--endpoint-url',
      moto.connection.endpointUrl,
    ]);
    expect(result.code).to.equal(2);
    expect(result.err).to.have.length(1);
    expect(result.err[0]).to.match(/^cfn-cicd: --bucket no-such-bucket-here: cannot read the bucket's region \(.+\)$/);
    const stacks = await aws(
      ['cloudformation', 'describe-stacks', '--stack-name', 'cicd-catalog-never'],
      moto.connection,
    );
    expect(stacks.exitCode).to.not.equal(0);
  });

  describe('bad flags: one line naming the value, exit 2, nothing sent', () => {
    const rows: [string[], RegExp][] = [
      [
        ['--bucket', 'Bad_Bucket'],
        /^cfn-cicd: --bucket "Bad_Bucket": must be 3-63 lowercase letters, digits and hyphens/,
      ],
      [
        ['--bucket', 'dotted.bucket'],
        /^cfn-cicd: --bucket "dotted\.bucket": .*\(no dots: the template URL is virtual-hosted HTTPS\)$/,
      ],
      [['--bucket', 'ab'], /^cfn-cicd: --bucket "ab": must be 3-63/],
      [['--bucket', 'xn--bucket'], /^cfn-cicd: --bucket "xn--bucket": must be 3-63/],
      [['--bucket', 'ok-bucket', '--bucket', 'other'], /^cfn-cicd: --bucket is given more than once$/],
      [
        ['--bucket', 'ok-bucket', '--version', 'v 1'],
        /^cfn-cicd: --version "v 1": must be 1-100 letters, digits, dots, underscores and hyphens/,
      ],
      [
        ['--bucket', 'ok-bucket', '--env-suffix', 'Dev'],
        /^cfn-cicd: --env-suffix "Dev": must be 1-16 lowercase letters/,
      ],
      [['--bucket', 'ok-bucket', '--stack-name', '1stack'], /^cfn-cicd: --stack-name "1stack": must be 1-128 letters/],
      [
        ['--bucket', 'ok-bucket', '--principal-arn', 'arn:aws:iam::123456789012:policy/x'],
        /^cfn-cicd: --principal-arn "arn:aws:iam::123456789012:policy\/x": must be an IAM role, user or group ARN/,
      ],
      [
        ['--bucket', 'ok-bucket', '--region', 'mars'],
        /^cfn-cicd: --region "mars": must be an AWS region such as eu-west-1$/,
      ],
      [
        ['--bucket', 'ok-bucket', '--endpoint-url', 'ftp://x'],
        /^cfn-cicd: --endpoint-url "ftp:\/\/x": must be an http:\/\/ or https:\/\/ URL$/,
      ],
      [
        ['--bucket', 'ok-bucket', '--template-file', '/nonexistent/t.yaml'],
        /^cfn-cicd: --template-file \/nonexistent\/t\.yaml: cannot read \(ENOENT\)$/,
      ],
      [['--version', 'v1'], /^cfn-cicd: Missing required argument: bucket$/],
    ];
    for (const [flags, message] of rows) {
      it(`publish ${flags.join(' ')}`, async () => {
        // An unreachable endpoint: a call that slipped through would fail with another message.
        const unreachable = flags.includes('--endpoint-url') ? [] : ['--endpoint-url', 'http://127.0.0.1:9'];
        const result = await cli(['publish', ...flags, ...unreachable]);
        expect(result.code).to.equal(2);
        expect(result.out).to.deep.equal([]);
        expect(result.err).to.have.length(1);
        expect(result.err[0]).to.match(message);
      });
    }

    it('refuses a template file that is not a CloudFormation template', async () => {
      const notTemplate = join(dir, 'not-a-template.yaml');
      await writeFile(notTemplate, 'just: text\n');
      const result = await cli([
        'publish',
        '--bucket',
        'ok-bucket',
        '--template-file',
        notTemplate,
        '--endpoint-url',
        'http://127.0.0.1:9',
      ]);
      expect(result.code).to.equal(2);
      expect(result.err).to.deep.equal([
        `cfn-cicd: --template-file ${notTemplate}: not a CloudFormation template (no Resources section)`,
      ]);
    });
  });

  it('addresses content: same bytes same key, one byte more a new key', () => {
    const a = templateArtifact(Buffer.from('Resources: {}\n'));
    expect(templateArtifact(Buffer.from('Resources: {}\n'))).to.deep.equal(a);
    expect(templateArtifact(Buffer.from('Resources: {} \n')).key).to.not.equal(a.key);
    expect(a.key).to.match(/^cfn-cicd\/cicd-pipeline\/[0-9a-f]{64}\.yaml$/);
    expect(a.defaultVersion).to.equal(`v-${a.sha256.slice(0, 12)}`);
  });
});
