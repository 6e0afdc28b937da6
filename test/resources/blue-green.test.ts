import { expect } from 'chai';
import { DEPLOYMENT_CONFIGS } from '../../src/parameters.js';
import type { CfnResource, CfnTemplate } from '../helpers.js';
import { renderedPipeline, resource, resourcesOfType, walk } from '../helpers.js';
import type { Json } from '../../src/model/json.js';

const template = renderedPipeline();

/** Names a resource's properties refer to (Ref, GetAtt, ${X} in Sub, FindInMap's Ref). */
function references(node: Json | undefined): Set<string> {
  const out = new Set<string>();
  for (const n of walk(node)) {
    if (n === null || typeof n !== 'object' || Array.isArray(n)) continue;
    if (typeof n['Ref'] === 'string') out.add(n['Ref']);
    const getAtt = n['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') out.add(getAtt[0]);
    const sub = n['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) out.add(m[1] as string);
  }
  return out;
}

/** Parameters a resource depends on, following references through other resources. */
function parametersBehind(t: CfnTemplate, id: string, seen = new Set<string>()): Set<string> {
  const params = new Set<string>();
  if (seen.has(id)) return params;
  seen.add(id);
  const r = t.Resources[id] as CfnResource | undefined;
  if (r === undefined) {
    if (id in (t['Parameters'] as object)) params.add(id);
    return params;
  }
  for (const name of references(r.Properties as Json)) for (const p of parametersBehind(t, name, seen)) params.add(p);
  return params;
}

describe('blue/green deploy target', () => {
  describe('network', () => {
    it('has two public subnets in two zones, an internet gateway route and no NAT gateway', () => {
      const subnets = resourcesOfType(template, 'AWS::EC2::Subnet').map(([, s]) => s.Properties.AvailabilityZone);
      expect(subnets).to.deep.equal([
        { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
        { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
      ]);
      expect(resource(template, 'PublicDefaultRoute').Properties).to.deep.include({
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: { Ref: 'InternetGateway' },
      });
      expect(resourcesOfType(template, 'AWS::EC2::NatGateway')).to.deep.equal([]);
    });

    it('lets clients reach only the load balancer ports, and the service only from the load balancer', () => {
      const lb = resource(template, 'LoadBalancerSecurityGroup').Properties.SecurityGroupIngress as Record<
        string,
        unknown
      >[];
      expect(lb.map((r) => [r['FromPort'], r['CidrIp']])).to.deep.equal([
        [{ Ref: 'ProductionPort' }, { Ref: 'AllowedIngressCidr' }],
        [{ Ref: 'TestPort' }, { Ref: 'TestTrafficCidr' }],
      ]);
      expect(resource(template, 'ServiceSecurityGroup').Properties.SecurityGroupIngress).to.equal(undefined);
      const ingress = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress');
      expect(ingress).to.have.length(1);
      expect(ingress[0]?.[1].Properties).to.deep.include({
        GroupId: { Ref: 'ServiceSecurityGroup' },
        SourceSecurityGroupId: { Ref: 'LoadBalancerSecurityGroup' },
        FromPort: { Ref: 'ContainerPort' },
      });
    });
  });

  describe('load balancer', () => {
    it('is internet-facing with production and test listeners both forwarding to blue at creation', () => {
      expect(resource(template, 'LoadBalancer').Properties.Scheme).to.equal('internet-facing');
      for (const [id, port] of [
        ['ProductionListener', 'ProductionPort'],
        ['TestListener', 'TestPort'],
      ] as const) {
        const p = resource(template, id).Properties;
        expect(p.Port).to.deep.equal({ Ref: port });
        expect(p.DefaultActions).to.deep.equal([{ Type: 'forward', TargetGroupArn: { Ref: 'BlueTargetGroup' } }]);
      }
    });

    it('has two ip target groups with the health-check path and a short deregistration delay', () => {
      for (const id of ['BlueTargetGroup', 'GreenTargetGroup']) {
        const p = resource(template, id).Properties;
        expect(p).to.deep.include({ TargetType: 'ip', HealthCheckPath: { Ref: 'HealthCheckPath' } });
        const delay = (p.TargetGroupAttributes as { Key: string; Value: string }[]).find(
          (a) => a.Key === 'deregistration_delay.timeout_seconds',
        );
        expect(Number(delay?.Value)).to.be.at.most(60);
      }
    });
  });

  describe('service', () => {
    it('runs a Container Insights cluster with FARGATE and FARGATE_SPOT', () => {
      const p = resource(template, 'Cluster').Properties;
      expect(p.CapacityProviders).to.deep.equal(['FARGATE', 'FARGATE_SPOT']);
      expect(p.ClusterSettings).to.deep.equal([{ Name: 'containerInsights', Value: 'enabled' }]);
    });

    it('sizes the Fargate task from the TaskSize mapping and starts from the initial image', () => {
      const p = resource(template, 'TaskDefinition').Properties;
      expect(p.Cpu).to.deep.equal({ 'Fn::FindInMap': ['TaskSizes', { Ref: 'TaskSize' }, 'Cpu'] });
      expect(p.ContainerDefinitions[0].Image).to.deep.equal({ Ref: 'InitialImage' });
      const sizes =
        (template['Mappings'] as Record<string, Record<string, { Cpu: string; Memory: string }>>)['TaskSizes'] ?? {};
      // Fargate: 256 CPU → 512-2048 MiB, 512 → 1024-4096, 1024 → 2048-8192.
      for (const { Cpu, Memory } of Object.values(sizes)) expect(Number(Memory) / Number(Cpu)).to.be.within(2, 8);
    });

    it('logs through awslogs to a KMS log group kept 7 days', () => {
      const options = resource(template, 'TaskDefinition').Properties.ContainerDefinitions[0].LogConfiguration.Options;
      const group = resource(template, options['awslogs-group'].Ref as string);
      expect(group.Properties).to.deep.include({
        RetentionInDays: 7,
        KmsKeyId: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
      });
    });

    it('is controlled by CodeDeploy, runs the desired count with public IPs in both subnets', () => {
      const p = resource(template, 'Service').Properties;
      expect(p.DeploymentController).to.deep.equal({ Type: 'CODE_DEPLOY' });
      expect(p.DesiredCount).to.deep.equal({ Ref: 'DesiredCount' });
      expect(p.NetworkConfiguration.AwsvpcConfiguration).to.deep.include({
        AssignPublicIp: 'ENABLED',
        Subnets: [{ Ref: 'PublicSubnetA' }, { Ref: 'PublicSubnetB' }],
      });
      // The Spot share is the cluster's default strategy, which the service follows.
      expect(p.CapacityProviderStrategy).to.equal(undefined);
      const cluster = resource(template, 'Cluster').Properties;
      expect(cluster.DefaultCapacityProviderStrategy.map((s: { Weight: unknown }) => s.Weight)).to.deep.equal([
        { 'Fn::FindInMap': ['SpotShares', { Ref: 'FargateSpotShare' }, 'Fargate'] },
        { 'Fn::FindInMap': ['SpotShares', { Ref: 'FargateSpotShare' }, 'Spot'] },
      ]);
    });

    it('keeps a routine update (count, alarm threshold, strategy, spot share, wait) away from the task definition', () => {
      const routine = [
        'DesiredCount',
        'Http5xxAlarmThreshold',
        'DeploymentStrategy',
        'BlueTerminationWaitMinutes',
        'FargateSpotShare',
        'NotificationEmail',
      ];
      const behind = parametersBehind(template, 'TaskDefinition');
      expect(behind.size, 'the check follows references').to.be.greaterThan(2);
      expect([...behind].filter((p) => routine.includes(p))).to.deep.equal([]);
      // The service names the family, so no stack update ever sends it a new task definition.
      expect(resource(template, 'Service').Properties.TaskDefinition).to.deep.equal({
        'Fn::Sub': 'cicd-app-${EnvironmentSuffix}',
      });
      expect(resource(template, 'Service').DependsOn).to.include('TaskDefinition');
    });
  });

  describe('CodeDeploy', () => {
    const group = resource(template, 'DeploymentGroup').Properties;

    it('deploys BLUE_GREEN with traffic control to the ECS service', () => {
      expect(resource(template, 'CodeDeployApplication').Properties.ComputePlatform).to.equal('ECS');
      expect(group.DeploymentStyle).to.deep.equal({
        DeploymentType: 'BLUE_GREEN',
        DeploymentOption: 'WITH_TRAFFIC_CONTROL',
      });
      expect(group.ECSServices).to.deep.equal([
        { ClusterName: { Ref: 'Cluster' }, ServiceName: { 'Fn::GetAtt': ['Service', 'Name'] } },
      ]);
    });

    it('pairs the target groups with the production and test routes', () => {
      const [pair] = group.LoadBalancerInfo.TargetGroupPairInfoList;
      expect(pair.ProdTrafficRoute).to.deep.equal({ ListenerArns: [{ Ref: 'ProductionListener' }] });
      expect(pair.TestTrafficRoute).to.deep.equal({ ListenerArns: [{ Ref: 'TestListener' }] });
      expect(pair.TargetGroups).to.have.length(2);
    });

    it('maps every DeploymentStrategy to a CodeDeployDefault.ECS configuration', () => {
      expect(group.DeploymentConfigName).to.deep.equal({
        'Fn::FindInMap': ['DeploymentConfigs', { Ref: 'DeploymentStrategy' }, 'Name'],
      });
      const mapping =
        (template['Mappings'] as Record<string, Record<string, { Name: string }>>)['DeploymentConfigs'] ?? {};
      expect(Object.keys(mapping)).to.deep.equal(Object.keys(DEPLOYMENT_CONFIGS));
      for (const { Name } of Object.values(mapping))
        expect(Name).to.match(
          /^CodeDeployDefault\.ECS(AllAtOnce|Canary10Percent(5|15)Minutes|Linear10PercentEvery(1|3)Minutes)$/,
        );
    });

    it('rolls back on failure and on alarms over both target groups’ 5xx and unhealthy hosts', () => {
      expect(group.AutoRollbackConfiguration).to.deep.equal({
        Enabled: true,
        Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
      });
      const alarms = (group.AlarmConfiguration.Alarms as { Name: { Ref: string } }[]).map((a) =>
        resource(template, a.Name.Ref),
      );
      expect(alarms.map((a) => a.Properties.MetricName).sort()).to.deep.equal([
        'HTTPCode_Target_5XX_Count',
        'HTTPCode_Target_5XX_Count',
        'UnHealthyHostCount',
        'UnHealthyHostCount',
      ]);
      const targetGroups = alarms.map(
        (a) =>
          (a.Properties.Dimensions as { Name: string; Value: { 'Fn::GetAtt': string[] } }[]).find(
            (d) => d.Name === 'TargetGroup',
          )?.Value['Fn::GetAtt'][0],
      );
      expect(new Set(targetGroups)).to.deep.equal(new Set(['BlueTargetGroup', 'GreenTargetGroup']));
    });

    it('keeps the old tasks for the BlueTerminationWaitMinutes parameter', () => {
      expect(group.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess).to.deep.equal({
        Action: 'TERMINATE',
        TerminationWaitTimeInMinutes: { Ref: 'BlueTerminationWaitMinutes' },
      });
    });
  });

  describe('IAM', () => {
    const statements = (id: string) =>
      (resource(template, id).Properties.Policies?.[0]?.PolicyDocument.Statement ?? []) as {
        Sid: string;
        Action: string[];
        Resource: unknown;
        Condition?: unknown;
      }[];
    const TABLE: Record<string, Record<string, [string[], unknown]>> = {
      CodeDeployRole: {
        ManageThisService: [['ecs:DescribeServices', 'ecs:UpdateServicePrimaryTaskSet'], [{ Ref: 'Service' }]],
        CreateTaskSetsOfThisService: [['ecs:CreateTaskSet'], '*'],
        DeleteTaskSetsOfThisService: [
          ['ecs:DeleteTaskSet'],
          [
            {
              'Fn::Sub':
                'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-set/cicd-cluster-${EnvironmentSuffix}/cicd-service-${EnvironmentSuffix}/*',
            },
          ],
        ],
        ShiftListenerTraffic: [
          ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule'],
          [
            { Ref: 'ProductionListener' },
            { Ref: 'TestListener' },
            {
              'Fn::Sub':
                'arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:listener-rule/app/cicd-alb-${EnvironmentSuffix}/*',
            },
          ],
        ],
        DescribeLoadBalancing: [
          [
            'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeRules',
            'elasticloadbalancing:DescribeTargetGroups',
          ],
          '*',
        ],
        ReadRollbackAlarms: [
          ['cloudwatch:DescribeAlarms'],
          [
            { 'Fn::GetAtt': ['BlueTargetGroup5xxAlarm', 'Arn'] },
            { 'Fn::GetAtt': ['GreenTargetGroup5xxAlarm', 'Arn'] },
            { 'Fn::GetAtt': ['BlueTargetGroupUnhealthyHostsAlarm', 'Arn'] },
            { 'Fn::GetAtt': ['GreenTargetGroupUnhealthyHostsAlarm', 'Arn'] },
          ],
        ],
        PassTaskRoles: [
          ['iam:PassRole'],
          [{ 'Fn::GetAtt': ['TaskExecutionRole', 'Arn'] }, { 'Fn::GetAtt': ['TaskRole', 'Arn'] }],
        ],
      },
      TaskExecutionRole: {
        PullImage: [
          ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          [{ 'Fn::GetAtt': ['ImageRepository', 'Arn'] }],
        ],
        RegistryLogin: [['ecr:GetAuthorizationToken'], '*'],
        WriteLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::Sub': '${ServiceLogGroup.Arn}' }]],
      },
      TaskRole: {},
    };
    for (const [roleId, expected] of Object.entries(TABLE)) {
      it(`${roleId} grants exactly the statements in the table`, () => {
        expect(Object.fromEntries(statements(roleId).map((s) => [s.Sid, [s.Action, s.Resource]]))).to.deep.equal(
          expected,
        );
      });
    }

    it('lets CodeDeploy create task sets only for this service', () => {
      const create = statements('CodeDeployRole').find((s) => s.Sid === 'CreateTaskSetsOfThisService');
      expect(create?.Condition).to.deep.equal({ ArnEquals: { 'ecs:service': { Ref: 'Service' } } });
    });

    it('uses no AWS managed policy', () => {
      for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role'))
        expect(role.Properties.ManagedPolicyArns, id).to.equal(undefined);
    });
  });

  it('outputs production and test URLs, cluster and service names', () => {
    expect(template['Outputs']).to.include.keys('ProductionUrl', 'TestUrl', 'ClusterName', 'ServiceName');
  });
});
