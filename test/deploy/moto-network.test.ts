// Where the tasks run, on moto (the real aws CLI against moto_server on 127.0.0.1):
// - TaskSubnets Private (templates/cicd-pipeline.yaml): the private subnets and their route table,
//   the five interface endpoints in the private subnets behind their own security group, the S3
//   gateway endpoint on the private route table.
// - The own-VPC variant (templates/own-vpc/): a VPC and four subnets created in moto first, then the
//   stack, which creates no network of its own: its security groups and target groups in that VPC,
//   the load balancer in the public subnets.
// What moto does not model here: the ECS service's NetworkConfiguration (moto's Service from
// CloudFormation keeps none: the tasks' subnets and AssignPublicIp are held to the template by
// test/security/configurations.test.ts); an endpoint's Tags from CloudFormation (not passed on);
// deleting an endpoint with its stack (VPCEndpoint has no delete_from_cloudformation_json: the
// endpoints outlive the stack in moto, so the test reads only the stack's status after delete);
// whether a task can pull its image through the endpoints (moto runs no task); security-group egress
// rules (AWS::EC2::SecurityGroupEgress is skipped, and an inline rule naming another group is kept
// as moto's default allow-all); the private route table's lack of an internet route is read from
// the route table itself. moto cannot delete a route table, then refuses the VPC, so the test
// deletes the route tables before delete-stack, as moto-deploy.test.ts does.
import { expect } from 'chai';
import { awsJson } from '../../src/tools/aws.js';
import { requiredPipelineFlags } from '../fixtures/parameter-values.js';
import { cli, committedPath } from '../helpers.js';
import type { Moto } from '../moto.js';
import { startMoto } from '../moto.js';

interface StackResource {
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
}

interface Endpoint {
  VpcEndpointId: string;
  VpcId: string;
  ServiceName: string;
  VpcEndpointType: string;
  SubnetIds?: string[];
  RouteTableIds?: string[];
  Groups?: { GroupId: string }[];
  PolicyDocument?: string;
}

describe('task networks on moto (private subnets with VPC endpoints; the team’s own VPC)', function () {
  this.timeout(600_000);
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
  });
  after(() => moto?.stop());

  const read = <T>(args: string[]) => awsJson<T>(args, moto.connection);
  const required = (suffix: string) => requiredPipelineFlags(suffix);
  const deploy = (file: string, ...args: string[]) =>
    cli(['deploy', '--emulator', '--endpoint-url', moto.connection.endpointUrl, '--template-file', file, ...args]);
  const physicalIds = async (stack: string): Promise<Record<string, string>> =>
    Object.fromEntries(
      (
        await read<{ StackResourceSummaries: StackResource[] }>([
          'cloudformation',
          'list-stack-resources',
          '--stack-name',
          stack,
        ])
      ).StackResourceSummaries.map((r) => [r.LogicalResourceId, r.PhysicalResourceId ?? '']),
    );
  const stackStatus = async (stack: string) =>
    (
      await read<{ StackSummaries: { StackName: string; StackStatus: string }[] }>(['cloudformation', 'list-stacks'])
    ).StackSummaries.find((summary) => summary.StackName === stack)?.StackStatus;
  const endpointsOf = async (vpc: string) =>
    (
      await read<{ VpcEndpoints: Endpoint[] }>([
        'ec2',
        'describe-vpc-endpoints',
        '--filters',
        `Name=vpc-id,Values=${vpc}`,
      ])
    ).VpcEndpoints;
  const deleteStack = async (stack: string, routeTables: readonly string[]) => {
    for (const table of routeTables) await read(['ec2', 'delete-route-table', '--route-table-id', table]);
    await read(['cloudformation', 'delete-stack', '--stack-name', stack]);
    await read(['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', stack]);
  };

  describe('TaskSubnets Private (templates/cicd-pipeline.yaml)', () => {
    const suffix = 'priv';
    const stack = `cicd-pipeline-${suffix}`;
    let ids: Record<string, string> = {};

    it('creates the stack with --task-subnets=Private', async () => {
      const result = await deploy(committedPath(), ...required(suffix), '--task-subnets=Private');
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      ids = await physicalIds(stack);
      for (const id of ['PrivateSubnetA', 'PrivateSubnetB', 'PrivateRouteTable', 'EndpointSecurityGroup']) {
        expect(ids[id], id).to.be.a('string').and.not.equal('');
      }
    });

    it('five interface endpoints in the private subnets behind the endpoint group, and the S3 gateway on the private route table', async () => {
      const endpoints = await endpointsOf(ids['Vpc'] as string);
      const byService = Object.fromEntries(endpoints.map((e) => [e.ServiceName, e]));
      expect(Object.keys(byService).sort()).to.deep.equal(
        ['ecr.api', 'ecr.dkr', 'kms', 'logs', 's3', 'secretsmanager'].map((s) => `com.amazonaws.us-east-1.${s}`),
      );
      for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'kms']) {
        const endpoint = byService[`com.amazonaws.us-east-1.${service}`] as Endpoint;
        expect(endpoint.VpcEndpointType.toLowerCase(), service).to.equal('interface');
        expect(endpoint.SubnetIds?.slice().sort(), service).to.deep.equal(
          [ids['PrivateSubnetA'], ids['PrivateSubnetB']].sort(),
        );
        expect(
          endpoint.Groups?.map((g) => g.GroupId),
          service,
        ).to.deep.equal([ids['EndpointSecurityGroup']]);
      }
      const s3 = byService['com.amazonaws.us-east-1.s3'] as Endpoint;
      expect(s3.VpcEndpointType.toLowerCase()).to.equal('gateway');
      expect(s3.RouteTableIds).to.deep.equal([ids['PrivateRouteTable']]);
      expect(JSON.stringify(s3.PolicyDocument)).to.include('starport-layer-bucket');
    });

    it('the private route table routes nowhere but the VPC (and S3): no internet gateway', async () => {
      const { RouteTables } = await read<{ RouteTables: { Routes: { GatewayId?: string }[] }[] }>([
        'ec2',
        'describe-route-tables',
        '--route-table-ids',
        ids['PrivateRouteTable'] as string,
      ]);
      const gateways = (RouteTables[0]?.Routes ?? []).map((r) => r.GatewayId ?? '');
      expect(gateways.filter((g) => g.startsWith('igw-'))).to.deep.equal([]);
    });

    it('the endpoints take their policies from the template: the ECR ones this stack’s repository only', async () => {
      const endpoints = await endpointsOf(ids['Vpc'] as string);
      const ecr = endpoints.find((e) => e.ServiceName === 'com.amazonaws.us-east-1.ecr.dkr') as Endpoint;
      expect(String(ecr.PolicyDocument)).to.include(`repository/${ids['ImageRepository'] as string}`);
      expect(String(ecr.PolicyDocument)).to.include('aws:PrincipalAccount');
    });

    it('deletes the stack', async () => {
      await deleteStack(stack, [ids['PrivateRouteTable'] as string, ids['PublicRouteTable'] as string]);
      expect(await stackStatus(stack)).to.equal('DELETE_COMPLETE');
    });
  });

  describe('the team’s own VPC (templates/own-vpc/cicd-pipeline.yaml)', () => {
    const suffix = 'own';
    const stack = `cicd-pipeline-${suffix}`;
    let vpc = '';
    const subnets: Record<'publicA' | 'publicB' | 'privateA' | 'privateB', string> = {
      publicA: '',
      publicB: '',
      privateA: '',
      privateB: '',
    };

    before(async () => {
      vpc = (await read<{ Vpc: { VpcId: string } }>(['ec2', 'create-vpc', '--cidr-block', '10.90.0.0/16'])).Vpc.VpcId;
      const blocks = { publicA: 0, publicB: 1, privateA: 2, privateB: 3 } as const;
      for (const [name, index] of Object.entries(blocks) as [keyof typeof blocks, number][]) {
        subnets[name] = (
          await read<{ Subnet: { SubnetId: string } }>([
            'ec2',
            'create-subnet',
            '--vpc-id',
            vpc,
            '--cidr-block',
            `10.90.${index}.0/24`,
            '--availability-zone',
            index % 2 === 0 ? 'us-east-1a' : 'us-east-1b',
          ])
        ).Subnet.SubnetId;
      }
    });

    it('refuses a malformed VPC ID before any AWS call', async () => {
      const result = await deploy(
        committedPath('own-vpc/cicd-pipeline.yaml'),
        ...required(suffix),
        '--vpc-id=vpc-1',
        `--public-subnet-ids=${subnets.publicA},${subnets.publicB}`,
        `--private-subnet-ids=${subnets.privateA},${subnets.privateB}`,
      );
      expect(result.code).to.equal(1);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.include('VpcId "vpc-1" from --vpc-id is refused');
    });

    it('creates the stack in the given VPC: no VPC, subnet, gateway, route or endpoint of its own', async () => {
      const vpcsBefore = (await read<{ Vpcs: unknown[] }>(['ec2', 'describe-vpcs'])).Vpcs.length;
      const result = await deploy(
        committedPath('own-vpc/cicd-pipeline.yaml'),
        ...required(suffix),
        `--vpc-id=${vpc}`,
        `--public-subnet-ids=${subnets.publicA},${subnets.publicB}`,
        `--private-subnet-ids=${subnets.privateA},${subnets.privateB}`,
      );
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
      expect((await read<{ Vpcs: unknown[] }>(['ec2', 'describe-vpcs'])).Vpcs.length).to.equal(vpcsBefore);
      const types = (
        await read<{ StackResourceSummaries: StackResource[] }>([
          'cloudformation',
          'list-stack-resources',
          '--stack-name',
          stack,
        ])
      ).StackResourceSummaries.map((r) => r.ResourceType);
      const network = [
        'AWS::EC2::VPC',
        'AWS::EC2::Subnet',
        'AWS::EC2::InternetGateway',
        'AWS::EC2::RouteTable',
        'AWS::EC2::Route',
        'AWS::EC2::VPCEndpoint',
      ];
      expect(types.filter((t) => network.includes(t))).to.deep.equal([]);
      expect(types).to.include('AWS::EC2::SecurityGroup');
      expect(await endpointsOf(vpc)).to.deep.equal([]);
    });

    it('the security groups and target groups are in the given VPC', async () => {
      const { SecurityGroups } = await read<{ SecurityGroups: { GroupName: string; VpcId: string }[] }>([
        'ec2',
        'describe-security-groups',
        '--filters',
        `Name=group-name,Values=cicd-alb-sg-${suffix},cicd-service-sg-${suffix}`,
      ]);
      expect(SecurityGroups.map((g) => g.VpcId)).to.deep.equal([vpc, vpc]);
      const { TargetGroups } = await read<{ TargetGroups: { VpcId: string }[] }>([
        'elbv2',
        'describe-target-groups',
        '--names',
        `cicd-tg-blue-${suffix}`,
        `cicd-tg-green-${suffix}`,
      ]);
      expect(TargetGroups.map((g) => g.VpcId)).to.deep.equal([vpc, vpc]);
    });

    it('the load balancer runs in the public subnets', async () => {
      const { LoadBalancers } = await read<{ LoadBalancers: { AvailabilityZones: { SubnetId: string }[] }[] }>([
        'elbv2',
        'describe-load-balancers',
        '--names',
        `cicd-alb-${suffix}`,
      ]);
      expect(LoadBalancers[0]?.AvailabilityZones.map((z) => z.SubnetId).sort()).to.deep.equal(
        [subnets.publicA, subnets.publicB].sort(),
      );
    });

    it('deletes the stack and leaves the team’s VPC and subnets', async () => {
      await deleteStack(stack, []);
      expect(await stackStatus(stack)).to.equal('DELETE_COMPLETE');
      const { Subnets } = await read<{ Subnets: { SubnetId: string }[] }>([
        'ec2',
        'describe-subnets',
        '--filters',
        `Name=vpc-id,Values=${vpc}`,
      ]);
      expect(Subnets.map((s) => s.SubnetId).sort()).to.deep.equal(Object.values(subnets).sort());
    });
  });
});
