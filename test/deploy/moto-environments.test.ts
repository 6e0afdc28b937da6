// Build once, promote through environments, on moto: the promoting pipeline's stack and, with
// `cfn-cicd deploy --env all`, one environment stack per environment, in promotion order. Then the
// one image the pipeline built is released into beta and into gamma the way each stage releases it:
// the PrepareRelease buildspec (the real aws CLI) prepares the change set of that environment's
// stack, named as the stage names it, and the Deploy action's CHANGE_SET_EXECUTE runs it.
// What moto cannot show: the pipeline running (moto models no CodePipeline or CodeBuild), the
// approval, the stage conditions (rollback, alarm bake), and the ECS deployment itself; those are
// held by test/environments.test.ts against both templates and by cfn-lint's schema.
import { expect } from 'chai';
import { ENVIRONMENT_TEMPLATE_FILE, PIPELINE_TEMPLATE_FILE } from '../../src/naming.js';
import { awsJson } from '../../src/tools/aws.js';
import { requiredPipelineFlags } from '../fixtures/parameter-values.js';
import type { CfnTemplate } from '../helpers.js';
import { cli, committedPath, committedTemplate } from '../helpers.js';
import type { Moto } from '../moto.js';
import { startMoto } from '../moto.js';
import { IMAGE_URI } from '../resources/buildspec-run.js';
import { executeRelease, runRelease } from './release-run.js';

const SUFFIX = 'shop';
const PIPELINE = `environments/${PIPELINE_TEMPLATE_FILE}`;
const ENVIRONMENT = `environments/${ENVIRONMENT_TEMPLATE_FILE}`;

interface Described {
  Stacks: { StackStatus: string; Parameters: { ParameterKey: string; ParameterValue: string }[] }[];
}

describe('environments on moto (the pipeline stack and one stack per environment, deploy --env)', function () {
  this.timeout(600_000);
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
  });
  after(() => moto?.stop());

  const read = <T>(args: string[]) => awsJson<T>(args, moto.connection);
  const deploy = (...args: string[]) =>
    cli(['deploy', '--emulator', '--endpoint-url', moto.connection.endpointUrl, ...args]);
  const stacks = async () =>
    (
      await read<{ StackSummaries: { StackName: string; StackStatus: string }[] }>(['cloudformation', 'list-stacks'])
    ).StackSummaries.filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName);
  const parametersOf = async (stack: string) =>
    Object.fromEntries(
      (
        (await read<Described>(['cloudformation', 'describe-stacks', '--stack-name', stack])).Stacks[0]?.Parameters ??
        []
      ).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
  const functionExists = async (name: string) =>
    read(['lambda', 'get-function', '--function-name', name]).then(
      () => true,
      () => false,
    );
  const pipeline = (): CfnTemplate => committedTemplate(PIPELINE);
  /** The STACK_NAME a stage's PrepareRelease gives the release project, resolved for SUFFIX. */
  const releaseStackOf = (stage: string): string => {
    const stages = pipeline().Resources['Pipeline']?.Properties.Stages as {
      Name: string;
      Actions: { Name: string; Configuration: { EnvironmentVariables: unknown } }[];
    }[];
    const prepare = stages.find((s) => s.Name === stage)?.Actions.find((a) => a.Name === 'PrepareRelease');
    const list = (prepare?.Configuration.EnvironmentVariables as { 'Fn::Sub': string })['Fn::Sub'];
    const variables = JSON.parse(list.replaceAll('${EnvironmentSuffix}', SUFFIX)) as { name: string; value: string }[];
    return variables.find((v) => v.name === 'STACK_NAME')?.value as string;
  };
  /** What a stage does: PrepareRelease's buildspec with the real aws CLI, then CHANGE_SET_EXECUTE. */
  const release = async (stage: string, releaseId: string) => {
    const stack = releaseStackOf(stage);
    const run = runRelease({ template: pipeline(), stack, endpointUrl: moto.connection.endpointUrl, releaseId });
    expect(run.status, `${run.stdout}${run.stderr}`).to.equal(0);
    await executeRelease(stack, moto.connection);
  };

  it('refuses an environment the template does not list, before any stack exists', async () => {
    const result = await deploy('--env', 'qa', '--env-suffix', SUFFIX);
    expect(result.code).to.equal(2);
    expect(result.err).to.deep.equal([
      `cfn-cicd: --env "qa": not an environment of templates/environments/${ENVIRONMENT_TEMPLATE_FILE}; one of beta, gamma, prod, all`,
    ]);
    expect(await stacks()).to.deep.equal([]);
  });

  it('creates the promoting pipeline stack', async () => {
    const result = await deploy('--template-file', committedPath(PIPELINE), ...requiredPipelineFlags(SUFFIX));
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    const { repositories } = await read<{ repositories: { repositoryName: string }[] }>([
      'ecr',
      'describe-repositories',
    ]);
    expect(repositories.map((r) => r.repositoryName)).to.deep.equal([`cicd-app-${SUFFIX}`]);
  });

  it('deploy --env all creates each environment stack in promotion order, the probe from the second on', async () => {
    const result = await deploy('--env', 'all', '--env-suffix', SUFFIX);
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    const order = result.out.filter((l) => l.startsWith('Deploying stack')).map((l) => l.split(' ')[2]);
    expect(order).to.deep.equal(['beta', 'gamma', 'prod'].map((e) => `cicd-environment-${SUFFIX}-${e}`));
    for (const [name, probe] of [
      ['beta', 'false'],
      ['gamma', 'true'],
      ['prod', 'true'],
    ] as const) {
      expect(await parametersOf(`cicd-environment-${SUFFIX}-${name}`)).to.deep.include({
        EnvironmentSuffix: `${SUFFIX}-${name}`,
        PipelineSuffix: SUFFIX,
        SyntheticProbe: probe,
      });
      expect(await functionExists(`cicd-probe-${SUFFIX}-${name}`), name).to.equal(probe === 'true');
    }
    const { services } = await read<{ services: { serviceName: string }[] }>([
      'ecs',
      'describe-services',
      '--cluster',
      `cicd-cluster-${SUFFIX}-beta`,
      '--services',
      `cicd-service-${SUFFIX}-beta`,
    ]);
    expect(services.map((s) => s.serviceName)).to.deep.equal([`cicd-service-${SUFFIX}-beta`]);
  });

  it('promotes one image: beta releases it first, gamma later receives the same digest, prod still waits', async () => {
    const starter = committedTemplate(ENVIRONMENT).Parameters?.['Image'].Default as string;
    await release('Beta', 'exec-1');
    expect(await parametersOf(`cicd-environment-${SUFFIX}-beta`)).to.deep.include({
      Image: IMAGE_URI,
      ReleaseId: 'exec-1',
    });
    expect((await parametersOf(`cicd-environment-${SUFFIX}-gamma`))['Image']).to.equal(starter);
    await release('Gamma', 'exec-1');
    expect((await parametersOf(`cicd-environment-${SUFFIX}-gamma`))['Image']).to.equal(IMAGE_URI);
    expect((await parametersOf(`cicd-environment-${SUFFIX}-prod`))['Image']).to.equal(starter);
  });

  it('an environment update for another reason keeps its released image', async () => {
    const result = await deploy('--env', 'beta', '--env-suffix', SUFFIX, '--desired-count=2');
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    expect(await parametersOf(`cicd-environment-${SUFFIX}-beta`)).to.deep.include({
      Image: IMAGE_URI,
      DesiredCount: '2',
    });
  });
});
