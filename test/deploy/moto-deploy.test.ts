// A real deployment: `cfn-cicd deploy` (in process) → the pinned aws CLI → moto_server on 127.0.0.1.
//
// What this test can see (moto 5.2.5, pinned):
// - The stack's life through change sets: refused before any call, previewed (--no-execute), created,
//   left unchanged (empty change set), updated by a changed parameter, failed, deleted.
// - Every resource of a type moto models has a physical resource, read back with the aws CLI: the
//   KMS key's rotation and alias, the bucket's SSE-KMS key and tags, the repository's immutable tags,
//   each log group's retention, the topic's key, the IAM roles, the VPC with its subnets, internet
//   gateway and default route, the security-group rules, the load balancer, its target groups and
//   listeners, the ECS cluster, the task definition's memory and container, the service's desired count.
// - DeletionPolicy Retain: the resources that carry it outlive the stack.
// What it cannot see:
// - Types moto skips (no resource; list-stack-resources shows an empty row): CodeBuild projects,
//   the pipeline and its webhook, the Secrets Manager secret, bucket and topic policies, the e-mail
//   subscription, security-group egress rules, the CodeDeploy application and group, the alarms.
// - That an egress rule in a group removes EC2's default allow-all egress: moto keeps the default
//   (test/aws-rules.test.ts holds the template to the rule instead).
// - Properties moto's models drop: the bucket key, versioning, public access block, lifecycle and
//   ownership; ECR scan on push, KMS encryption and lifecycle policy; a log group's KMS key; the task
//   definition's CPU, network mode and Fargate compatibility; the ECS service's CODE_DEPLOY
//   controller and load balancers; the cluster's default capacity-provider strategy; route-table
//   subnet associations; the template's Rules section (moto evaluates no rule).
//   DescribeKey fails (moto keeps the key policy as an object): the key is read via rotation and alias.
// - Outputs (moto's change-set path never builds them) and per-resource events (stack events only).
// - Parameter constraints: moto checks none, so pre-flight is the only guard; the refusal is proven
//   by there being no stack at all.
// moto fails outright on the untouched template in several ways; `cfn-cicd deploy --emulator` (every
// deploy here) rewrites around each (src/deploy/emulator.ts).
// It cannot delete a route table, then refuses the VPC (DependencyViolation) and loses the stack
// record, so the test deletes the route table itself before delete-stack.
// A template over 51,200 bytes goes through S3: the CLI then sends a path-style TemplateURL, which
// moto reads only when its host is "localhost"; --emulator addresses the endpoint as localhost.
import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagName } from '../../src/deploy/inputs.js';
import { INLINE_TEMPLATE_LIMIT } from '../../src/deploy/template-file.js';
import type { Json, JsonObject } from '../../src/model/json.js';
import { aws, awsJson } from '../../src/tools/aws.js';
import { valuesOf } from '../fixtures/parameter-values.js';
import { cli } from '../helpers.js';
import { resolveConfiguration } from '../configurations.js';
import type { Moto } from '../moto.js';
import { startMoto } from '../moto.js';
import { motoModeledTypes, WITHOUT_PHYSICAL_ID } from './moto-compat.js';
import { EMULATOR_BUCKET, MOTO_MODELED_TYPES, motoCompatible } from '../../src/deploy/emulator.js';
import { conditionValues } from '../../src/deploy/update-checks.js';
import { TemplateModel } from '../../src/model/template.js';
import { committedPath, committedTemplate } from '../helpers.js';

interface Resource {
  Type: string;
  DeletionPolicy?: string;
  Properties?: JsonObject;
}

describe('deploy on moto (the real aws CLI against moto_server on 127.0.0.1)', function () {
  this.timeout(300_000);
  let moto: Moto;
  let dir: string;
  const templateFile = committedPath();
  const template = committedTemplate();
  const parameters = template['Parameters'] as Record<string, { Default?: string | number }>;
  const modeled = motoModeledTypes();
  const suffix = 'moto';
  const stackName = `cicd-pipeline-${suffix}`;

  /** Every parameter: its Default, else the table's first good value. */
  const values: Record<string, string> = Object.fromEntries(
    Object.entries(parameters).map(([name, p]) => [
      name,
      p.Default !== undefined ? String(p.Default) : (valuesOf(name).good[0] as string),
    ]),
  );
  values['EnvironmentSuffix'] = suffix;
  // The GitHub token source (no connection): the template's rule requires the token secret then.
  values['GitHubTokenSecretArn'] = valuesOf('GitHubTokenSecretArn').good[0] as string;
  /** What `--emulator` deploys: the committed template, rewritten for moto with these values. */
  const deployed = motoCompatible(
    template as never,
    MOTO_MODELED_TYPES,
    conditionValues(new TemplateModel(template as never), values),
  );
  const deployedBytes = Buffer.byteLength(JSON.stringify(deployed, null, 1));
  /** The resources these values create: a resource whose condition is false (no chat channel given) is absent. */
  const created = resolveConfiguration(template as unknown as JsonObject, values)['Resources'] as JsonObject;
  const resources = Object.fromEntries(
    Object.entries(template['Resources'] as unknown as Record<string, Resource>).filter(([id]) => id in created),
  );
  // The update changes DesiredCount when the template has it, else the notification address.
  const changed = 'DesiredCount' in parameters ? 'DesiredCount' : 'NotificationEmail';
  const newValue = valuesOf(changed).good.find((v) => v !== values[changed]) as string;

  const read = <T>(args: string[]) => awsJson<T>(args, moto.connection);
  const deploy = (...args: string[]) =>
    cli(['deploy', '--emulator', '--endpoint-url', moto.connection.endpointUrl, ...args]);
  let physical: Record<string, string> = {};
  const idOf = (logicalId: string): string => {
    const id = physical[logicalId];
    expect(id, `physical id of ${logicalId}`).to.be.a('string').and.not.equal('');
    return id as string;
  };
  const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);

  /** A template value with parameters and mappings resolved, for the expectations. */
  const resolve = (node: Json | undefined): Json | undefined => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    if (typeof node['Ref'] === 'string') return values[node['Ref']] ?? physical[node['Ref']];
    const find = node['Fn::FindInMap'];
    if (Array.isArray(find)) {
      const [map, key, field] = find.map((part) => resolve(part));
      const mappings = template['Mappings'] as Record<string, Record<string, Record<string, Json>>>;
      return mappings[String(map)]?.[String(key)]?.[String(field)];
    }
    return node;
  };

  before(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-moto-'));
    await writeFile(join(dir, 'parameters.json'), JSON.stringify(values));
  });
  after(() => moto?.stop());

  const stacks = async () =>
    (await read<{ StackSummaries: { StackName: string; StackStatus: string }[] }>(['cloudformation', 'list-stacks']))
      .StackSummaries;

  describe('create', () => {
    it('refuses a bad parameter value before any AWS call: no stack exists', async () => {
      const [bad] = valuesOf('EnvironmentSuffix').bad.find(([v]) => v !== '') ?? [];
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        `--env-suffix=${bad}`,
      );
      expect(result.code).to.equal(1);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.include(`EnvironmentSuffix ${JSON.stringify(bad)} from --env-suffix is refused`);
      expect(await stacks()).to.deep.equal([]);
    });

    it('refuses what the template’s rules forbid (no source credentials) before any change set: no stack exists', async () => {
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        '--github-token-secret-arn=',
      );
      expect(result.err).to.deep.equal([
        'cfn-cicd: rule GitHubTokenWithoutConnection is broken: GitHubTokenSecretArn is required when CodeConnectionArn is empty (the GitHub token source)',
      ]);
      expect(result.code).to.equal(1);
      expect(await stacks()).to.deep.equal([]);
    });

    it('--no-execute previews a new stack: prints an Add for every resource and creates nothing', async () => {
      const preview = 'cicd-pipeline-preview';
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        '--env-suffix',
        'preview',
        '--no-execute',
      );
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      expect(result.out[0]).to.equal(
        `Previewing stack ${preview} from ${templateFile}, rewritten for the emulator (${deployedBytes} bytes; capabilities: CAPABILITY_NAMED_IAM)`,
      );
      // moto's change set lists every resource of the template it is given: those the values create.
      expect(result.out[1]).to.match(
        new RegExp(
          `^Change set \\S+ \\(CREATE_COMPLETE\\): ${Object.keys(resources).length} resource change\\(s\\), not executed$`,
        ),
      );
      for (const [id, r] of Object.entries(resources)) expect(result.out).to.include(`  Add    ${id} (${r.Type})`);
      expect(result.out.at(-1)).to.match(
        /^Not executed; stack cicd-pipeline-preview is REVIEW_IN_PROGRESS, created empty for it\. Execute it: `aws cloudformation execute-change-set --change-set-name arn:aws:cloudformation:\S+ --region us-east-1 --endpoint-url http:\/\/localhost:\d+`$/,
      );
      expect(deployedBytes, 'over the inline limit, so uploaded').to.be.greaterThan(INLINE_TEMPLATE_LIMIT);
      const upload = await aws(['s3api', 'head-bucket', '--bucket', EMULATOR_BUCKET], moto.connection);
      expect(upload.exitCode, '--emulator made its upload bucket').to.equal(0);
      const [stack] = await stacks();
      expect(stack).to.deep.include({ StackName: preview, StackStatus: 'REVIEW_IN_PROGRESS' });
      const listed = await read<{ StackResourceSummaries: unknown[] }>([
        'cloudformation',
        'list-stack-resources',
        '--stack-name',
        preview,
      ]);
      expect(listed.StackResourceSummaries).to.deep.equal([]);
      expect((await read<{ repositories: unknown[] }>(['ecr', 'describe-repositories'])).repositories).to.deep.equal(
        [],
      );
      await aws(['cloudformation', 'delete-stack', '--stack-name', preview], moto.connection);
    });

    it('creates the stack: streams its events, reaches CREATE_COMPLETE and prints the outputs it has', async () => {
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        '--tags',
        'Team=platform',
        'CostCenter=cc-42',
      );
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      expect(result.out).to.include(`Stack ${stackName}: CREATE_COMPLETE`);
      const events = result.out.filter((line) =>
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}[A-Z_]+ {2}\S+ \(AWS::[A-Za-z0-9:]+\)/.test(line),
      );
      expect(events.at(-1)).to.match(new RegExp(`CREATE_COMPLETE  ${stackName} \\(AWS::CloudFormation::Stack\\)$`));
      const { Stacks } = await read<{
        Stacks: { StackStatus: string; Outputs?: { OutputKey: string }[]; Tags: unknown[] }[];
      }>(['cloudformation', 'describe-stacks', '--stack-name', stackName]);
      expect(Stacks[0]?.StackStatus).to.equal('CREATE_COMPLETE');
      expect(Stacks[0]?.Tags).to.deep.include.members([
        { Key: 'Team', Value: 'platform' },
        { Key: 'CostCenter', Value: 'cc-42' },
      ]);
      const outputs = Stacks[0]?.Outputs ?? [];
      expect(result.out).to.include(outputs.length === 0 ? 'Outputs: none reported' : 'Outputs:');
      for (const o of outputs) expect(result.out.some((line) => line.startsWith(`  ${o.OutputKey} = `))).to.equal(true);

      const listed = await read<{
        StackResourceSummaries: { LogicalResourceId?: string; PhysicalResourceId?: string }[];
      }>(['cloudformation', 'list-stack-resources', '--stack-name', stackName]);
      physical = Object.fromEntries(
        listed.StackResourceSummaries.filter((s) => s.LogicalResourceId).map((s) => [
          s.LogicalResourceId,
          s.PhysicalResourceId ?? '',
        ]),
      );
    });

    it('has a physical resource for every resource of a type moto models', () => {
      const expected = Object.entries(resources)
        .filter(([, r]) => modeled.has(r.Type) && !WITHOUT_PHYSICAL_ID.has(r.Type))
        .map(([id]) => id);
      expect(expected.length).to.be.greaterThan(20);
      expect(expected.filter((id) => !physical[id])).to.deep.equal([]);
    });
  });

  describe('resources read back', () => {
    it('KMS key: rotation on, alias pointing at it', async () => {
      const [[keyId] = []] = ofType('AWS::KMS::Key');
      const key = idOf(keyId as string);
      expect(await read(['kms', 'get-key-rotation-status', '--key-id', key])).to.deep.include({
        KeyRotationEnabled: true,
      });
      for (const [, alias] of ofType('AWS::KMS::Alias')) {
        const name = String(
          alias.Properties?.['AliasName'] && (alias.Properties['AliasName'] as JsonObject)['Fn::Sub'],
        ).replace('${EnvironmentSuffix}', suffix);
        const { Aliases } = await read<{ Aliases: { AliasName: string; TargetKeyId?: string }[] }>([
          'kms',
          'list-aliases',
        ]);
        expect(Aliases.find((a) => a.AliasName === name)?.TargetKeyId).to.equal(key);
      }
    });

    it('artifact bucket: SSE-KMS with the stack key, and the standard tags', async () => {
      const [[bucketId] = []] = ofType('AWS::S3::Bucket');
      const bucket = idOf(bucketId as string);
      const key = idOf(ofType('AWS::KMS::Key')[0]?.[0] as string);
      const encryption = await read<{
        ServerSideEncryptionConfiguration: { Rules: { ApplyServerSideEncryptionByDefault: JsonObject }[] };
      }>(['s3api', 'get-bucket-encryption', '--bucket', bucket]);
      const rule = encryption.ServerSideEncryptionConfiguration.Rules[0]?.ApplyServerSideEncryptionByDefault;
      expect(rule?.['SSEAlgorithm']).to.equal('aws:kms');
      expect(String(rule?.['KMSMasterKeyID'])).to.match(new RegExp(`:key/${key}$`));
      const { TagSet } = await read<{ TagSet: { Key: string; Value: string }[] }>([
        's3api',
        'get-bucket-tagging',
        '--bucket',
        bucket,
      ]);
      expect(TagSet).to.deep.include.members([
        { Key: 'Environment', Value: suffix },
        { Key: 'ManagedBy', Value: 'cloudformation' },
      ]);
    });

    it('image repository: immutable tags', async () => {
      for (const [id, r] of ofType('AWS::ECR::Repository')) {
        const { repositories } = await read<{ repositories: JsonObject[] }>([
          'ecr',
          'describe-repositories',
          '--repository-names',
          idOf(id),
        ]);
        expect(repositories[0]?.['imageTagMutability'])
          .to.equal(r.Properties?.['ImageTagMutability'])
          .and.equal('IMMUTABLE');
      }
    });

    it('log groups: every one exists with the template’s retention', async () => {
      const groups = ofType('AWS::Logs::LogGroup');
      expect(groups.length).to.be.greaterThan(0);
      for (const [id, r] of groups) {
        const { logGroups } = await read<{ logGroups: { logGroupName: string; retentionInDays?: number }[] }>([
          'logs',
          'describe-log-groups',
          '--log-group-name-prefix',
          idOf(id),
        ]);
        const group = logGroups.find((g) => g.logGroupName === idOf(id));
        expect(group?.retentionInDays, id).to.equal(r.Properties?.['RetentionInDays']).and.equal(7);
      }
    });

    it('notification topic: encrypted with the stack key', async () => {
      const key = idOf(ofType('AWS::KMS::Key')[0]?.[0] as string);
      for (const [id] of ofType('AWS::SNS::Topic')) {
        const { Attributes } = await read<{ Attributes: Record<string, string> }>([
          'sns',
          'get-topic-attributes',
          '--topic-arn',
          idOf(id),
        ]);
        expect(Attributes['KmsMasterKeyId']).to.match(new RegExp(`:key/${key}$`));
      }
    });

    it('IAM roles: one per actor, each under its own name', async () => {
      const roles = ofType('AWS::IAM::Role');
      expect(roles.length).to.be.greaterThan(3);
      for (const [id] of roles) {
        const { Role } = await read<{ Role: { RoleName: string } }>(['iam', 'get-role', '--role-name', idOf(id)]);
        expect(Role.RoleName).to.match(new RegExp(`^cicd-.*-${suffix}$`));
      }
    });

    it('network: the VPC, two public subnets in two zones, an attached internet gateway and the default route', async () => {
      const [[vpcId, vpc] = []] = ofType('AWS::EC2::VPC');
      const id = idOf(vpcId as string);
      const { Vpcs } = await read<{ Vpcs: { CidrBlock: string }[] }>(['ec2', 'describe-vpcs', '--vpc-ids', id]);
      expect(Vpcs[0]?.CidrBlock).to.equal(vpc?.Properties?.['CidrBlock']);
      const { Subnets } = await read<{ Subnets: { SubnetId: string; AvailabilityZone: string }[] }>([
        'ec2',
        'describe-subnets',
        '--filters',
        `Name=vpc-id,Values=${id}`,
      ]);
      const subnets = ofType('AWS::EC2::Subnet').map(([s]) => idOf(s));
      expect(Subnets.map((s) => s.SubnetId)).to.have.members(subnets);
      expect(new Set(Subnets.map((s) => s.AvailabilityZone)).size).to.equal(subnets.length);
      const { InternetGateways } = await read<{ InternetGateways: { Attachments: { VpcId: string }[] }[] }>([
        'ec2',
        'describe-internet-gateways',
        '--internet-gateway-ids',
        idOf(ofType('AWS::EC2::InternetGateway')[0]?.[0] as string),
      ]);
      expect(InternetGateways[0]?.Attachments.map((a) => a.VpcId)).to.deep.equal([id]);
      const { RouteTables } = await read<{
        RouteTables: {
          Routes: { DestinationCidrBlock?: string; GatewayId?: string }[];
        }[];
      }>(['ec2', 'describe-route-tables', '--route-table-ids', idOf(ofType('AWS::EC2::RouteTable')[0]?.[0] as string)]);
      expect(RouteTables[0]?.Routes.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.GatewayId).to.match(/^igw-/);
    });

    it('security groups: production port from AllowedIngressCidr (and a test port from TestTrafficCidr); the service only the container port', async () => {
      const lbGroup = idOf('LoadBalancerSecurityGroup');
      const serviceGroup = idOf('ServiceSecurityGroup');
      type Permission = {
        FromPort?: number;
        ToPort?: number;
        IpRanges: { CidrIp: string }[];
        UserIdGroupPairs: { GroupId: string }[];
      };
      const { SecurityGroups } = await read<{ SecurityGroups: { GroupId: string; IpPermissions: Permission[] }[] }>([
        'ec2',
        'describe-security-groups',
        '--group-ids',
        lbGroup,
        serviceGroup,
      ]);
      const lb = SecurityGroups.find((g) => g.GroupId === lbGroup);
      expect(lb?.IpPermissions.map((p) => [p.FromPort, p.IpRanges.map((r) => r.CidrIp)])).to.have.deep.members([
        [Number(values['ProductionPort']), [values['AllowedIngressCidr']]],
        ...('TestPort' in values ? [[Number(values['TestPort']), [values['TestTrafficCidr']]]] : []),
      ]);

      const service = SecurityGroups.find((g) => g.GroupId === serviceGroup);
      expect(
        service?.IpPermissions.map((p) => [p.FromPort, p.IpRanges, p.UserIdGroupPairs.map((u) => u.GroupId)]),
      ).to.deep.equal([[Number(values['ContainerPort']), [], [lbGroup]]]);
    });

    it('load balancer: internet-facing, application, in both public subnets', async () => {
      const [[lbId, lb] = []] = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer');
      const { LoadBalancers } = await read<{
        LoadBalancers: {
          Scheme: string;
          Type: string;
          AvailabilityZones: { SubnetId: string }[];
          SecurityGroups: string[];
        }[];
      }>(['elbv2', 'describe-load-balancers', '--load-balancer-arns', idOf(lbId as string)]);
      expect(LoadBalancers[0]).to.deep.include({ Scheme: lb?.Properties?.['Scheme'], Type: lb?.Properties?.['Type'] });
      expect(LoadBalancers[0]?.AvailabilityZones.map((z) => z.SubnetId)).to.have.members(
        ofType('AWS::EC2::Subnet').map(([s]) => idOf(s)),
      );
      expect(LoadBalancers[0]?.SecurityGroups).to.deep.equal([idOf('LoadBalancerSecurityGroup')]);
    });

    it('target groups: ip targets on the container port, probed on HealthCheckPath', async () => {
      const groups = ofType('AWS::ElasticLoadBalancingV2::TargetGroup');
      expect(groups).to.have.length(2);
      const { TargetGroups } = await read<{
        TargetGroups: {
          TargetGroupArn: string;
          Port: number;
          TargetType: string;
          HealthCheckPath: string;
          VpcId: string;
        }[];
      }>(['elbv2', 'describe-target-groups', '--target-group-arns', ...groups.map(([id]) => idOf(id))]);
      for (const [id, r] of groups) {
        const group = TargetGroups.find((g) => g.TargetGroupArn === idOf(id));
        expect(group, id).to.deep.include({
          Port: Number(resolve(r.Properties?.['Port'])),
          TargetType: r.Properties?.['TargetType'],
          HealthCheckPath: resolve(r.Properties?.['HealthCheckPath']),
          VpcId: idOf(ofType('AWS::EC2::VPC')[0]?.[0] as string),
        });
      }
    });

    it('listeners: each on its port with the template’s default action', async () => {
      const { Listeners } = await read<{
        Listeners: { ListenerArn: string; Port: number; DefaultActions: { Type: string; TargetGroupArn?: string }[] }[];
      }>([
        'elbv2',
        'describe-listeners',
        '--load-balancer-arn',
        idOf(ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')[0]?.[0] as string),
      ]);
      for (const [id, r] of ofType('AWS::ElasticLoadBalancingV2::Listener')) {
        const listener = Listeners.find((l) => l.ListenerArn === idOf(id));
        expect(listener?.Port, id).to.equal(Number(resolve(r.Properties?.['Port'])));
        const [action] = r.Properties?.['DefaultActions'] as JsonObject[];
        expect(listener?.DefaultActions[0]?.Type).to.equal(action?.['Type']);
        expect(listener?.DefaultActions[0]?.TargetGroupArn).to.equal(resolve(action?.['TargetGroupArn']));
      }
    });

    it('ECS: the cluster, a task definition with TaskSize’s memory running the image parameter, and the service at DesiredCount', async () => {
      const cluster = idOf(ofType('AWS::ECS::Cluster')[0]?.[0] as string);
      const { clusters } = await read<{ clusters: { clusterName: string; status: string }[] }>([
        'ecs',
        'describe-clusters',
        '--clusters',
        cluster,
      ]);
      expect(clusters[0]).to.deep.include({ clusterName: cluster, status: 'ACTIVE' });
      const [[taskId, task] = []] = ofType('AWS::ECS::TaskDefinition');
      const { taskDefinition } = await read<{
        taskDefinition: {
          memory: string;
          containerDefinitions: { name: string; image: string; portMappings: { containerPort: number }[] }[];
        };
      }>(['ecs', 'describe-task-definition', '--task-definition', idOf(taskId as string)]);
      expect(taskDefinition.memory).to.equal(String(resolve(task?.Properties?.['Memory'])));
      expect(taskDefinition.containerDefinitions[0]).to.deep.include({
        name: values['ContainerName'],
        image: values['Image'] ?? values['InitialImage'],
      });
      expect(taskDefinition.containerDefinitions[0]?.portMappings[0]?.containerPort).to.equal(
        Number(values['ContainerPort']),
      );
      const { services } = await read<{ services: { desiredCount: number; taskDefinition: string }[] }>([
        'ecs',
        'describe-services',
        '--cluster',
        cluster,
        '--services',
        idOf('Service'),
      ]);
      expect(services[0]?.desiredCount).to.equal(Number(values['DesiredCount']));
      expect(services[0]?.taskDefinition).to.equal(idOf(taskId as string));
    });
  });

  describe('change, fail and delete', () => {
    it('the same inputs again: an empty change set is an error, or "up to date" with --no-fail-on-empty-changeset', async () => {
      const args = [
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        '--tags',
        'Team=platform',
        'CostCenter=cc-42',
      ];
      const failing = await deploy(...args);
      expect(failing.code).to.equal(2);
      expect(failing.err).to.have.length(1);
      expect(failing.err[0]).to.match(
        new RegExp(
          `^cfn-cicd: deploy of stack ${stackName} failed: No changes to deploy\\. Stack ${stackName} is up to date; stack ${stackName} is [A-Z]+_COMPLETE: settled; nothing to clean up$`,
        ),
      );
      const quiet = await deploy(...args, '--no-fail-on-empty-changeset');
      expect(quiet.err).to.deep.equal([]);
      expect(quiet.code).to.equal(0);
      expect(quiet.out.at(-1)).to.equal(`No changes to deploy. Stack ${stackName} is up to date`);
    });

    it(`updates ${changed} through its change set (the flag wins over the parameters file)`, async () => {
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        `--${flagName(changed)}=${newValue}`,
      );
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      expect(result.out).to.include(`Stack ${stackName}: UPDATE_COMPLETE`);
      const { Stacks } = await read<{ Stacks: { Parameters: { ParameterKey: string; ParameterValue: string }[] }[] }>([
        'cloudformation',
        'describe-stacks',
        '--stack-name',
        stackName,
      ]);
      expect(Stacks[0]?.Parameters.find((p) => p.ParameterKey === changed)?.ParameterValue).to.equal(newValue);
      if (changed === 'DesiredCount') {
        const { services } = await read<{ services: { desiredCount: number }[] }>([
          'ecs',
          'describe-services',
          '--cluster',
          idOf('Cluster'),
          '--services',
          idOf('Service'),
        ]);
        expect(services[0]?.desiredCount).to.equal(Number(newValue));
      }
    });

    it('refuses a change to a parameter fixed after creation, naming it and what to do, before any change set', async () => {
      const port = valuesOf('ContainerPort').good.find((v) => v !== values['ContainerPort']) as string;
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        `--container-port=${port}`,
      );
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.equal(
        `cfn-cicd: ContainerPort cannot change once the stack exists (${JSON.stringify(values['ContainerPort'])} → ${JSON.stringify(port)} from --container-port): the target groups (named, so never replaced) and the service are created on this port; deploy a new stack`,
      );
      expect(result.code).to.equal(1);
      const { ChangeSets = [] } = await read<{ ChangeSets?: unknown[] }>([
        'cloudformation',
        'list-change-sets',
        '--stack-name',
        stackName,
      ]);
      const { Stacks } = await read<{ Stacks: { Parameters: { ParameterKey: string; ParameterValue: string }[] }[] }>([
        'cloudformation',
        'describe-stacks',
        '--stack-name',
        stackName,
      ]);
      expect(Stacks[0]?.Parameters.find((p) => p.ParameterKey === 'ContainerPort')?.ParameterValue).to.equal(
        values['ContainerPort'],
      );
      expect(ChangeSets.length, 'no change set was made for the refused update').to.be.lessThan(2);
    });

    it('--no-execute on the stack prints the change set and changes nothing', async () => {
      const other = valuesOf(changed).good.find((v) => v !== values[changed] && v !== newValue) as string;
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        `--${flagName(changed)}=${other}`,
        '--no-execute',
      );
      expect(result.code).to.equal(0);
      expect(result.out[1]).to.match(/^Change set \S+ \(CREATE_COMPLETE\): \d+ resource change\(s\), not executed$/);
      const { Stacks } = await read<{
        Stacks: { StackStatus: string; Parameters: { ParameterKey: string; ParameterValue: string }[] }[];
      }>(['cloudformation', 'describe-stacks', '--stack-name', stackName]);
      expect(Stacks[0]?.StackStatus).to.equal('UPDATE_COMPLETE');
      expect(Stacks[0]?.Parameters.find((p) => p.ParameterKey === changed)?.ParameterValue).to.equal(newValue);
    });

    it('a failed deployment exits 2 with one line naming the cause: a second stack with the same suffix collides on names', async () => {
      const result = await deploy(
        '--template-file',
        templateFile,
        '--parameters',
        join(dir, 'parameters.json'),
        '--stack-name',
        'cicd-pipeline-duplicate',
      );
      expect(result.code).to.equal(2);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.match(
        /^cfn-cicd: deploy of stack cicd-pipeline-duplicate failed: .*(AlreadyExists|already exists).*; stack cicd-pipeline-duplicate is [A-Z_]+: .*`aws cloudformation [a-z-]+ --stack-name cicd-pipeline-duplicate --region us-east-1 --endpoint-url http:\/\/localhost:\d+`$/,
      );
      await aws(['cloudformation', 'delete-stack', '--stack-name', 'cicd-pipeline-duplicate'], moto.connection);
    });

    it('deletes the stack; what DeletionPolicy Retain keeps outlives it, the rest is gone', async () => {
      // moto cannot delete an AWS::EC2::RouteTable and then refuses the VPC (DependencyViolation), so the test does it.
      for (const [id] of ofType('AWS::EC2::RouteTable'))
        await read(['ec2', 'delete-route-table', '--route-table-id', idOf(id)]);
      const deleted = await aws(['cloudformation', 'delete-stack', '--stack-name', stackName], moto.connection);
      expect(deleted.exitCode, deleted.stderr).to.equal(0);
      const waited = await aws(
        ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', stackName],
        moto.connection,
      );
      expect(waited.exitCode, waited.stderr).to.equal(0);
      expect((await stacks()).filter((s) => s.StackName === stackName).map((s) => s.StackStatus)).to.deep.equal([
        'DELETE_COMPLETE',
      ]);
      const retained = Object.entries(resources)
        .filter(([, r]) => r.DeletionPolicy === 'Retain')
        .map(([, r]) => r.Type);
      expect(retained).to.include.members(['AWS::S3::Bucket', 'AWS::ECR::Repository']);
      expect(
        (
          await aws(
            ['s3api', 'head-bucket', '--bucket', idOf(ofType('AWS::S3::Bucket')[0]?.[0] as string)],
            moto.connection,
          )
        ).exitCode,
      ).to.equal(0);
      expect(
        (
          await aws(
            [
              'ecr',
              'describe-repositories',
              '--repository-names',
              idOf(ofType('AWS::ECR::Repository')[0]?.[0] as string),
            ],
            moto.connection,
          )
        ).exitCode,
      ).to.equal(0);
      const { logGroups } = await read<{ logGroups: { logGroupName: string }[] }>([
        'logs',
        'describe-log-groups',
        '--log-group-name-prefix',
        'cicd-',
      ]);
      expect(logGroups.filter((g) => g.logGroupName.endsWith(`-${suffix}`))).to.deep.equal([]);
      const vpcs = await aws(
        ['ec2', 'describe-vpcs', '--vpc-ids', idOf(ofType('AWS::EC2::VPC')[0]?.[0] as string)],
        moto.connection,
      );
      expect(vpcs.exitCode).to.not.equal(0);
    });
  });

  describe('finally', () => {
    it('stops the server', async () => {
      await moto.stop();
      const reached = await fetch(`${moto.connection.endpointUrl}/moto-api/`).then(
        () => true,
        () => false,
      );
      expect(reached).to.equal(false);
    });
  });
});
