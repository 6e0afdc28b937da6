// Both deployment engines on moto, beyond what moto-deploy.test.ts shows of the default template:
// - ECS engine: the release path. The PrepareRelease buildspec runs with the real aws CLI against
//   moto (release.ts), the change set is executed as the pipeline's CloudFormation action would,
//   and the stack then takes updates for other reasons (DesiredCount, TaskSize) without losing the
//   released image, while an update that gives another image is refused before any change set.
// - CodeDeploy engine: its template created, read back (two listeners on blue) and deleted.
// What moto cannot show: the ECS deployment itself (moto's service update swaps the task definition
// at once: no traffic shifting, hooks or bake), the Lambda hook, the listener rules' weights; and the
// image inside a revision made by a stack *update*: moto 5.2.5's TaskDefinition
// update_from_cloudformation_json registers the container definitions without camel-casing their
// keys, so DescribeTaskDefinition shows no image. After an update the test reads the released image
// from the stack's Image parameter and follows the revision the service runs.
import { expect } from 'chai';
import { RELEASE_CHANGE_SET } from '../../src/resources/engines/ecs.js';
import { awsJson } from '../../src/tools/aws.js';
import { requiredPipelineFlags } from '../fixtures/parameter-values.js';
import { cli, committedPath, committedTemplate } from '../helpers.js';
import type { Moto } from '../moto.js';
import { startMoto } from '../moto.js';
import { IMAGE_URI } from '../resources/buildspec-run.js';
import { executeRelease, runRelease } from './release-run.js';

interface Described {
  Stacks: { StackStatus: string; Parameters: { ParameterKey: string; ParameterValue: string }[] }[];
}

describe('deployment engines on moto (the real aws CLI against moto_server on 127.0.0.1)', function () {
  this.timeout(600_000);
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
  });
  after(() => moto?.stop());

  const read = <T>(args: string[]) => awsJson<T>(args, moto.connection);
  /** The parameters without a Default, and the token secret the source rule asks for. */
  const required = (suffix: string) => requiredPipelineFlags(suffix);
  const deploy = (file: string, ...args: string[]) =>
    cli(['deploy', '--emulator', '--endpoint-url', moto.connection.endpointUrl, '--template-file', file, ...args]);
  const parametersOf = async (stack: string) =>
    Object.fromEntries(
      (
        (await read<Described>(['cloudformation', 'describe-stacks', '--stack-name', stack])).Stacks[0]?.Parameters ??
        []
      ).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
  /** The image and memory of the task definition the service runs. */
  const running = async (suffix: string) => {
    const { services } = await read<{ services: { taskDefinition: string; desiredCount: number }[] }>([
      'ecs',
      'describe-services',
      '--cluster',
      `cicd-cluster-${suffix}`,
      '--services',
      `cicd-service-${suffix}`,
    ]);
    const { taskDefinition } = await read<{
      taskDefinition: { memory: string; containerDefinitions: { image: string }[] };
    }>(['ecs', 'describe-task-definition', '--task-definition', services[0]?.taskDefinition as string]);
    return {
      revision: services[0]?.taskDefinition.split(':').pop(),
      image: taskDefinition.containerDefinitions[0]?.image,
      memory: taskDefinition.memory,
      desiredCount: services[0]?.desiredCount,
    };
  };

  describe('ECS engine: a release through a change set of the stack, then updates that keep it', () => {
    const suffix = 'rel';
    const stack = `cicd-pipeline-${suffix}`;
    const file = committedPath();
    const releaseId = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
    let released: string | undefined;

    it('creates the stack on the starter image', async () => {
      const result = await deploy(file, ...required(suffix));
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      expect((await running(suffix)).image).to.equal(committedTemplate().Parameters.Image.Default);
    });

    it('PrepareRelease (its buildspec, the real aws CLI) prepares the change set: Image and ReleaseId set, the rest kept', async () => {
      const before = await parametersOf(stack);
      const run = runRelease({
        template: committedTemplate(),
        stack,
        endpointUrl: moto.connection.endpointUrl,
        releaseId,
      });
      expect(run.status, `${run.stdout}${run.stderr}`).to.equal(0);
      expect(run.stdout).to.include(`change set ${RELEASE_CHANGE_SET} is ready`);
      const changeSet = await read<{ Status: string; Parameters: { ParameterKey: string; ParameterValue: string }[] }>([
        'cloudformation',
        'describe-change-set',
        '--stack-name',
        stack,
        '--change-set-name',
        RELEASE_CHANGE_SET,
      ]);
      expect(changeSet.Status).to.equal('CREATE_COMPLETE');
      const next = Object.fromEntries(changeSet.Parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
      expect(next).to.deep.equal({ ...before, Image: IMAGE_URI, ReleaseId: releaseId });
    });

    it('the Deploy action executes it: a new task definition revision for the service, and the stack holds the digest', async () => {
      const before = await running(suffix);
      await executeRelease(stack, moto.connection);
      expect(await parametersOf(stack)).to.deep.include({ Image: IMAGE_URI, ReleaseId: releaseId });
      const after = await running(suffix);
      expect(Number(after.revision)).to.equal(Number(before.revision) + 1);
      released = after.revision;
    });

    it('an update for another reason (DesiredCount) keeps the released image: same parameter, same revision', async () => {
      const result = await deploy(file, ...required(suffix), '--desired-count=2');
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      expect(await parametersOf(stack)).to.deep.include({ Image: IMAGE_URI, ReleaseId: releaseId, DesiredCount: '2' });
      expect(await running(suffix)).to.deep.include({ revision: released, desiredCount: 2 });
    });

    it('an update that changes TaskSize is accepted: a new revision of the stack’s task definition, the image kept', async () => {
      const result = await deploy(file, ...required(suffix), '--task-size=512-1024');
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      expect(await parametersOf(stack)).to.deep.include({ Image: IMAGE_URI, TaskSize: '512-1024' });
      const after = await running(suffix);
      expect(after.memory).to.equal('1024');
      expect(Number(after.revision)).to.equal(Number(released) + 1);
    });

    it('refuses an update that gives another image, before any change set', async () => {
      const result = await deploy(file, ...required(suffix), '--image=public.ecr.aws/nginx/nginx:stable-alpine');
      expect(result.code).to.equal(1);
      expect(result.err).to.deep.equal([
        `cfn-cicd: Image is set by the pipeline (now ${JSON.stringify(IMAGE_URI)}; --image gives "public.ecr.aws/nginx/nginx:stable-alpine"): leave it out so the stack keeps the running release (an update with another value would redeploy that image); new images come through the pipeline`,
      ]);
      expect((await parametersOf(stack))['Image']).to.equal(IMAGE_URI);
    });
  });

  describe('CodeDeploy engine (templates/codedeploy/)', () => {
    const suffix = 'cdep';
    const file = committedPath('codedeploy/cicd-pipeline.yaml');

    it('refuses equal listener ports (the engine’s own rule) before any change set', async () => {
      const result = await deploy(file, ...required(suffix), '--production-port=8080');
      expect(result.err).to.deep.equal([
        'cfn-cicd: rule DistinctListenerPorts is broken: ProductionPort and TestPort must differ: each is its own listener on the load balancer',
      ]);
      expect(result.code).to.equal(1);
    });

    it('creates the stack: two listeners forwarding to blue, the service on InitialImage', async () => {
      const result = await deploy(file, ...required(suffix));
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      const { LoadBalancers } = await read<{ LoadBalancers: { LoadBalancerArn: string; LoadBalancerName: string }[] }>([
        'elbv2',
        'describe-load-balancers',
        '--names',
        `cicd-alb-${suffix}`,
      ]);
      const { Listeners } = await read<{
        Listeners: { Port: number; DefaultActions: { TargetGroupArn?: string }[] }[];
      }>(['elbv2', 'describe-listeners', '--load-balancer-arn', LoadBalancers[0]?.LoadBalancerArn as string]);
      const { TargetGroups } = await read<{ TargetGroups: { TargetGroupArn: string }[] }>([
        'elbv2',
        'describe-target-groups',
        '--names',
        `cicd-tg-blue-${suffix}`,
      ]);
      expect(Listeners.map((l) => [l.Port, l.DefaultActions[0]?.TargetGroupArn]).sort()).to.deep.equal([
        [80, TargetGroups[0]?.TargetGroupArn],
        [8080, TargetGroups[0]?.TargetGroupArn],
      ]);
      expect((await running(suffix)).image).to.equal(
        committedTemplate('codedeploy/cicd-pipeline.yaml').Parameters.InitialImage.Default,
      );
    });
  });
});
