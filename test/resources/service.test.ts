// What both deployment engines share: the network (created, or the team's own VPC), the load balancer's target groups, the
// cluster and the Fargate service (for a promoting pipeline, in its environment template). Engine specifics are in test/resources/engines/.
import { expect } from 'chai';
import { renderedServing, resource, resourcesOfType, SHIPPED_VARIANTS } from '../helpers.js';

for (const { label, config } of SHIPPED_VARIANTS) {
  const template = renderedServing(config);
  const own = config.network === 'existing';
  const tasks = () => resource(template, 'Service').Properties.NetworkConfiguration.AwsvpcConfiguration;

  describe(`deploy target (${label})`, () => {
    describe('network', () => {
      if (own) {
        it('creates no network: the VPC and both subnet lists are required typed parameters', () => {
          const network = ['VPC', 'Subnet', 'InternetGateway', 'RouteTable', 'Route', 'VPCEndpoint', 'NatGateway'];
          for (const type of network) expect(resourcesOfType(template, `AWS::EC2::${type}`), type).to.deep.equal([]);
          expect(template.Parameters.VpcId).to.include({ Type: 'AWS::EC2::VPC::Id' });
          expect(template.Parameters.PublicSubnetIds).to.include({ Type: 'List<AWS::EC2::Subnet::Id>' });
          expect(template.Parameters.PrivateSubnetIds).to.include({ Type: 'List<AWS::EC2::Subnet::Id>' });
          for (const p of ['VpcId', 'PublicSubnetIds', 'PrivateSubnetIds']) {
            expect(template.Parameters[p].Default, p).to.equal(undefined);
          }
          expect(template.Parameters.TaskSubnets).to.equal(undefined);
          expect(resource(template, 'LoadBalancer').Properties.Subnets).to.deep.equal({ Ref: 'PublicSubnetIds' });
          expect(resource(template, 'ServiceSecurityGroup').Properties.VpcId).to.deep.equal({ Ref: 'VpcId' });
          expect(resource(template, 'BlueTargetGroup').Properties.VpcId).to.deep.equal({ Ref: 'VpcId' });
        });
      } else {
        it('has two public subnets in two zones, an internet gateway route and no NAT gateway', () => {
          const subnets = resourcesOfType(template, 'AWS::EC2::Subnet')
            .filter(([, s]) => s.Condition === undefined)
            .map(([, s]) => s.Properties.AvailabilityZone);
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

        it('with TaskSubnets Private: two private subnets in the two zones, on their own route table with no route out, the rest of the VPC apart', () => {
          const conditional = resourcesOfType(template, 'AWS::EC2::Subnet').filter(
            ([, s]) => s.Condition !== undefined,
          );
          expect(
            conditional.map(([id, s]) => [id, s.Condition, s.Properties.AvailabilityZone, s.Properties.CidrBlock]),
          ).to.deep.equal([
            [
              'PrivateSubnetA',
              'TasksInPrivateSubnets',
              { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
              { 'Fn::Select': [2, { 'Fn::Cidr': ['10.40.0.0/16', 4, 8] }] },
            ],
            [
              'PrivateSubnetB',
              'TasksInPrivateSubnets',
              { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
              { 'Fn::Select': [3, { 'Fn::Cidr': ['10.40.0.0/16', 4, 8] }] },
            ],
          ]);
          const routes = resourcesOfType(template, 'AWS::EC2::Route').map(([, r]) => r.Properties.RouteTableId);
          expect(routes).to.deep.equal([{ Ref: 'PublicRouteTable' }]);
          expect(template.Conditions.TasksInPrivateSubnets).to.deep.equal({
            'Fn::Equals': [{ Ref: 'TaskSubnets' }, 'Private'],
          });
          expect(template.Parameters.TaskSubnets).to.include({ Default: 'Public' });
        });
      }

      it('lets the service be reached only from the load balancer, on the container port', () => {
        expect(resource(template, 'ServiceSecurityGroup').Properties.SecurityGroupIngress).to.equal(undefined);
        const ingress = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').filter(
          ([, r]) => JSON.stringify(r.Properties.GroupId) === '{"Ref":"ServiceSecurityGroup"}',
        );
        expect(ingress).to.have.length(1);
        expect(ingress[0]?.[1].Properties).to.deep.include({
          GroupId: { Ref: 'ServiceSecurityGroup' },
          SourceSecurityGroupId: { Ref: 'LoadBalancerSecurityGroup' },
          FromPort: { Ref: 'ContainerPort' },
        });
      });
    });

    describe('load balancer', () => {
      it('is internet-facing with two ip target groups on the health-check path and a short deregistration delay', () => {
        expect(resource(template, 'LoadBalancer').Properties.Scheme).to.equal('internet-facing');
        for (const id of ['BlueTargetGroup', 'GreenTargetGroup']) {
          const p = resource(template, id).Properties;
          expect(p).to.deep.include({ TargetType: 'ip', HealthCheckPath: { Ref: 'HealthCheckPath' } });
          const delay = (p.TargetGroupAttributes as { Key: string; Value: string }[]).find(
            (a) => a.Key === 'deregistration_delay.timeout_seconds',
          );
          expect(Number(delay?.Value)).to.be.at.most(60);
        }
      });

      it('alarms on 5xx and unhealthy hosts of both target groups', () => {
        const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
          .map(([, a]) => a.Properties)
          .filter((a) => a.Namespace === 'AWS/ApplicationELB');
        expect(alarms.map((a) => a.MetricName).sort()).to.deep.equal([
          'HTTPCode_Target_5XX_Count',
          'HTTPCode_Target_5XX_Count',
          'UnHealthyHostCount',
          'UnHealthyHostCount',
        ]);
        const targetGroups = alarms.map(
          (a) =>
            (a.Dimensions as { Name: string; Value: { 'Fn::GetAtt': string[] } }[]).find(
              (d) => d.Name === 'TargetGroup',
            )?.Value['Fn::GetAtt'][0],
        );
        expect(new Set(targetGroups)).to.deep.equal(new Set(['BlueTargetGroup', 'GreenTargetGroup']));
      });
    });

    describe('service', () => {
      it('runs a Container Insights cluster with FARGATE and FARGATE_SPOT', () => {
        const p = resource(template, 'Cluster').Properties;
        expect(p.CapacityProviders).to.deep.equal(['FARGATE', 'FARGATE_SPOT']);
        expect(p.ClusterSettings).to.deep.equal([{ Name: 'containerInsights', Value: 'enabled' }]);
      });

      it('sizes the Fargate task from the TaskSize mapping', () => {
        const p = resource(template, 'TaskDefinition').Properties;
        expect(p.Cpu).to.deep.equal({ 'Fn::FindInMap': ['TaskSizes', { Ref: 'TaskSize' }, 'Cpu'] });
        const sizes =
          (template['Mappings'] as Record<string, Record<string, { Cpu: string; Memory: string }>>)['TaskSizes'] ?? {};
        // Fargate: 256 CPU → 512-2048 MiB, 512 → 1024-4096, 1024 → 2048-8192.
        for (const { Cpu, Memory } of Object.values(sizes)) expect(Number(Memory) / Number(Cpu)).to.be.within(2, 8);
      });

      it('logs through awslogs to a KMS log group kept 7 days', () => {
        const options = resource(template, 'TaskDefinition').Properties.ContainerDefinitions[0].LogConfiguration
          .Options;
        const group = resource(template, options['awslogs-group'].Ref as string);
        expect(group.Properties).to.deep.include({
          RetentionInDays: 7,
          KmsKeyId: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
        });
      });

      it('runs the desired count in the task subnets, the Spot share from the cluster default', () => {
        const p = resource(template, 'Service').Properties;
        expect(p.DesiredCount).to.deep.equal({
          'Fn::If': ['HasAutoscaling', { Ref: 'AWS::NoValue' }, { Ref: 'DesiredCount' }],
        });
        expect(tasks()).to.deep.include(
          own
            ? { AssignPublicIp: 'DISABLED', Subnets: { Ref: 'PrivateSubnetIds' } }
            : {
                AssignPublicIp: { 'Fn::If': ['TasksInPrivateSubnets', 'DISABLED', 'ENABLED'] },
                Subnets: {
                  'Fn::If': [
                    'TasksInPrivateSubnets',
                    [{ Ref: 'PrivateSubnetA' }, { Ref: 'PrivateSubnetB' }],
                    [{ Ref: 'PublicSubnetA' }, { Ref: 'PublicSubnetB' }],
                  ],
                },
              },
        );
        expect(p.CapacityProviderStrategy).to.equal(undefined);
        const cluster = resource(template, 'Cluster').Properties;
        expect(cluster.DefaultCapacityProviderStrategy.map((s: { Weight: unknown }) => s.Weight)).to.deep.equal([
          { 'Fn::FindInMap': ['SpotShares', { Ref: 'FargateSpotShare' }, 'Fargate'] },
          { 'Fn::FindInMap': ['SpotShares', { Ref: 'FargateSpotShare' }, 'Spot'] },
        ]);
      });
    });

    describe('IAM', () => {
      const statements = (id: string) =>
        (resource(template, id).Properties.Policies?.[0]?.PolicyDocument.Statement ?? []) as {
          Sid: string;
          Action: string[];
          Resource: unknown;
        }[];

      it('gives the task execution role the image pull and its log group only, and the task role nothing', () => {
        expect(
          Object.fromEntries(statements('TaskExecutionRole').map((s) => [s.Sid, [s.Action, s.Resource]])),
        ).to.deep.equal({
          PullImage: [
            ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            // The stack's own repository, or the promoting pipeline's (or its replica here), by name: in the
            // tools account when the config names one.
            [
              config.environments === undefined
                ? { 'Fn::GetAtt': ['ImageRepository', 'Arn'] }
                : {
                    'Fn::Sub': `arn:\${AWS::Partition}:ecr:\${AWS::Region}:${config.pipeline?.account ?? '${AWS::AccountId}'}:repository/cicd-app-\${PipelineSuffix}`,
                  },
            ],
          ],
          RegistryLogin: [['ecr:GetAuthorizationToken'], '*'],
          WriteLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::Sub': '${ServiceLogGroup.Arn}' }]],
        });
        expect(statements('TaskRole')).to.deep.equal([]);
      });

      it('uses no AWS managed policy', () => {
        for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role'))
          expect(role.Properties.ManagedPolicyArns, id).to.equal(undefined);
      });
    });

    it('outputs the production URL, cluster and service names', () => {
      expect(template['Outputs']).to.include.keys('ProductionUrl', 'ClusterName', 'ServiceName');
    });
  });
}
