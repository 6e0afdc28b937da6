// Across accounts and Regions, on moto. moto's own account (123456789012) plays each side in turn,
// with templates built here for two configs: (1) the tools account, where the regional artifact
// stores must exist before the pipeline and deploy reads their keys; (2) a target account whose
// production runs in two Regions: `deploy --env` creates the stack in each Region with the bootstrap's
// CloudFormation role after checking whose the credentials are, and a release reaches the second
// Region through the deploy role exactly as the PrepareRelease step does it (the CLI's role chaining
// on CodeBuild's container credentials, here served on 127.0.0.1 as CodeBuild's agent serves them).
// What moto cannot show: the pipeline running (no CodePipeline), ECR replication copying an image,
// ECR repository creation templates, and IAM refusing anything (moto does not enforce policies).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { renderTemplates } from '../../src/commands/build.js';
import type { BuildConfig } from '../../src/config.js';
import { parseConfig } from '../../src/config.js';
import { artifactStoreFile } from '../../src/artifact-stores.js';
import { ENVIRONMENT_TEMPLATE_FILE, PIPELINE_TEMPLATE_FILE } from '../../src/naming.js';
import { RELEASE_CHANGE_SET } from '../../src/resources/engines/ecs.js';
import { awsJson } from '../../src/tools/aws.js';
import { requiredPipelineFlags } from '../fixtures/parameter-values.js';
import { cli, loadTemplate } from '../helpers.js';
import type { Moto } from '../moto.js';
import { freePort, MOTO_ENV, startMoto } from '../moto.js';
import { buildCommands, IMAGE_URI } from '../resources/buildspec-run.js';
import { VENV_BIN } from '../venv.js';
import { executeRelease } from './release-run.js';

const MOTO_ACCOUNT = '123456789012';
const SUFFIX = 'shop';

/** Writes the templates `config` builds into a fresh directory; returns it. */
function built(config: BuildConfig, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cfn-cicd-${name}-`));
  mkdirSync(dir, { recursive: true });
  for (const [file, yaml] of renderTemplates(config)) writeFileSync(join(dir, file), yaml);
  return dir;
}

/** Tools side: the pipeline in moto's account, an environment elsewhere running in two other Regions. */
const TOOLS = parseConfig({
  pipeline: { account: MOTO_ACCOUNT, region: 'us-east-1' },
  environments: [{ name: 'prod', account: '222222222222', regions: ['us-west-2', 'eu-west-1'] }],
});
/** Target side: the pipeline elsewhere, production in moto's account in two Regions. */
const TARGET = parseConfig({
  pipeline: { account: '111111111111', region: 'us-east-1' },
  environments: [
    { name: 'beta', account: '222222222222' },
    { name: 'prod', account: MOTO_ACCOUNT, regions: ['us-east-1', 'eu-west-1'] },
  ],
});

interface Described {
  Stacks: {
    StackStatus: string;
    RoleARN?: string;
    Parameters: { ParameterKey: string; ParameterValue: string }[];
    Outputs?: { OutputKey: string; OutputValue: string }[];
  }[];
}

describe('accounts and Regions on moto (regional stores, deploy --env in a target account, a release through the deploy role)', function () {
  this.timeout(600_000);
  let moto: Moto;
  let tools: string;
  let target: string;
  before(async () => {
    moto = await startMoto();
    tools = built(TOOLS, 'tools');
    target = built(TARGET, 'target');
  });
  after(() => moto?.stop());

  const read = <T>(region: string, args: string[]) => awsJson<T>(args, { ...moto.connection, region });
  const deploy = (...args: string[]) =>
    cli(['deploy', '--emulator', '--endpoint-url', moto.connection.endpointUrl, ...args]);
  const described = async (region: string, stack: string) =>
    (await read<Described>(region, ['cloudformation', 'describe-stacks', '--stack-name', stack])).Stacks[0];
  const pipelineFlags = requiredPipelineFlags(SUFFIX);

  it('refuses the pipeline while a Region it deploys into has no artifact store, naming the command that makes one', async () => {
    const result = await deploy('--template-file', join(tools, PIPELINE_TEMPLATE_FILE), ...pipelineFlags);
    expect(result.code).to.equal(1);
    expect(result.err).to.deep.equal(
      ['us-west-2', 'eu-west-1'].map(
        (region) =>
          `cfn-cicd: ${region} has no artifact store (stack cicd-artifacts-${SUFFIX} does not exist): deploy ${artifactStoreFile(region)} there first, e.g. cfn-cicd deploy --template-file templates/accounts/${artifactStoreFile(region)} --stack-name cicd-artifacts-${SUFFIX} --env-suffix ${SUFFIX} --region ${region}`,
      ),
    );
    const { StackSummaries } = await read<{ StackSummaries: unknown[] }>('us-east-1', [
      'cloudformation',
      'list-stacks',
    ]);
    expect(StackSummaries).to.deep.equal([]);
  });

  it('creates each regional store, then the pipeline with each store key read from its Region', async () => {
    const keys: Record<string, string> = {};
    for (const region of ['us-west-2', 'eu-west-1']) {
      const result = await deploy(
        '--template-file',
        join(tools, artifactStoreFile(region)),
        '--stack-name',
        `cicd-artifacts-${SUFFIX}`,
        '--env-suffix',
        SUFFIX,
        '--region',
        region,
      );
      expect(result.err, region).to.deep.equal([]);
      // The one key of that Region: the store's (moto's describe-key by alias answers HTTP 500).
      const { Keys } = await read<{ Keys: { KeyArn: string }[] }>(region, ['kms', 'list-keys']);
      expect(Keys, region).to.have.length(1);
      keys[region] = (Keys[0] as { KeyArn: string }).KeyArn;
      expect(keys[region], region).to.match(new RegExp(`^arn:aws:kms:${region}:${MOTO_ACCOUNT}:key/`));
      const { Buckets } = await read<{ Buckets: { Name: string }[] }>(region, ['s3api', 'list-buckets']);
      expect(Buckets.map((b) => b.Name)).to.include(`cicd-artifacts-${SUFFIX}-${MOTO_ACCOUNT}-${region}`);
    }
    const result = await deploy('--template-file', join(tools, PIPELINE_TEMPLATE_FILE), ...pipelineFlags);
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    const parameters = Object.fromEntries(
      ((await described('us-east-1', `cicd-pipeline-${SUFFIX}`))?.Parameters ?? []).map((p) => [
        p.ParameterKey,
        p.ParameterValue,
      ]),
    );
    expect(parameters['ArtifactKeyUsWest2']).to.equal(keys['us-west-2']);
    expect(parameters['ArtifactKeyEuWest1']).to.equal(keys['eu-west-1']);
  });

  it('deploy --env refuses credentials of another account and a Region the environment does not run in', async () => {
    const other = await deploy(
      '--template-file',
      join(target, ENVIRONMENT_TEMPLATE_FILE),
      '--env',
      'beta',
      '--env-suffix',
      SUFFIX,
    );
    expect(other.code).to.equal(1);
    expect(other.err).to.deep.equal([
      `cfn-cicd: --env beta (us-east-1): environment beta runs in account 222222222222, but these credentials are for ${MOTO_ACCOUNT}: pass --profile for 222222222222 (deploy environments of different accounts one --env at a time)`,
    ]);
    const region = await deploy(
      '--template-file',
      join(target, ENVIRONMENT_TEMPLATE_FILE),
      '--env',
      'prod',
      '--env-suffix',
      SUFFIX,
      '--region',
      'ap-south-1',
    );
    expect(region.code).to.equal(2);
    expect(region.err).to.deep.equal(['cfn-cicd: --region ap-south-1: environment prod runs in us-east-1, eu-west-1']);
  });

  it("deploy --env creates the environment in each of its Regions, run by its bootstrap's CloudFormation role", async () => {
    const result = await deploy(
      '--template-file',
      join(target, ENVIRONMENT_TEMPLATE_FILE),
      '--env',
      'prod',
      '--env-suffix',
      SUFFIX,
    );
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const stack = await described(region, `cicd-environment-${SUFFIX}-prod`);
      expect(stack?.StackStatus, region).to.equal('CREATE_COMPLETE');
      expect(stack?.RoleARN, region).to.equal(
        `arn:aws:iam::${MOTO_ACCOUNT}:role/bootstrap/cicd-cfn-exec-role-${SUFFIX}-prod`,
      );
    }
  });

  describe("a release into the second Region through the target's deploy role", () => {
    let credentials: Server;
    let credentialsUrl: string;
    before(async () => {
      // CodeBuild's container credentials, as its agent serves them (AWS SDKs, "Container credential provider").
      const port = await freePort();
      credentials = createServer((_, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            AccessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID,
            SecretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY,
            Token: MOTO_ENV.AWS_SESSION_TOKEN,
            Expiration: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        );
      });
      await new Promise<void>((resolve) => credentials.listen(port, '127.0.0.1', resolve));
      credentialsUrl = `http://127.0.0.1:${port}/credentials`;
    });
    after(() => new Promise<void>((resolve) => credentials.close(() => resolve())));

    it('prepares the change set in eu-west-1 with the replicated image, and executing it releases there only', async () => {
      const pipeline = loadTemplate(
        renderTemplates(TARGET).get(PIPELINE_TEMPLATE_FILE) as string,
        PIPELINE_TEMPLATE_FILE,
      );
      const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-release-elsewhere-'));
      writeFileSync(join(dir, 'imageDetail.json'), JSON.stringify({ ImageURI: IMAGE_URI }));
      const stack = `cicd-environment-${SUFFIX}-prod`;
      // Asynchronous: the credentials server above answers from this process's event loop.
      const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('bash', ['-ec', buildCommands(pipeline, 'ReleaseProject').join('\n')], {
          cwd: dir,
          env: {
            HOME: dir,
            PATH: `${VENV_BIN}:${process.env['PATH'] ?? ''}`,
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONTAINER_CREDENTIALS_FULL_URI: credentialsUrl,
            AWS_ENDPOINT_URL: moto.connection.endpointUrl,
            STACK_NAME: stack,
            CHANGE_SET_NAME: RELEASE_CHANGE_SET,
            RELEASE_ID: 'exec-9',
            RELEASE_POLL_SECONDS: '1',
            TARGET_REGION: 'eu-west-1',
            DEPLOY_ROLE_ARN: `arn:aws:iam::${MOTO_ACCOUNT}:role/bootstrap/cicd-deploy-role-${SUFFIX}-prod`,
          },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect(run.status, `${run.stdout}${run.stderr}`).to.equal(0);
      const replicated = IMAGE_URI.replace(/\.dkr\.ecr\.[a-z0-9-]+\./, '.dkr.ecr.eu-west-1.');
      expect(run.stdout).to.include(`release: ${replicated} (release exec-9)`);
      await executeRelease(stack, { ...moto.connection, region: 'eu-west-1' });
      const image = async (region: string) =>
        (await described(region, stack))?.Parameters.find((p) => p.ParameterKey === 'Image')?.ParameterValue;
      expect(await image('eu-west-1')).to.equal(replicated);
      expect(await image('us-east-1')).to.not.equal(replicated);
    });
  });
});
