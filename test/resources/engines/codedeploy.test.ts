// The CodeDeploy engine (configs/codedeploy.json): CodeDeploy owns the task definition revision and
// moves two listeners between the target groups; the build writes taskdef.json and appspec.yaml.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { CODEDEPLOY_CONFIGS } from '../../../src/parameters/engines.js';
import type { CfnResource } from '../../helpers.js';
import { CODEDEPLOY_CONFIG, renderedPipeline, resource, subText } from '../../helpers.js';
import { parametersBehind } from '../references.js';

const template = renderedPipeline(CODEDEPLOY_CONFIG);

/** Example values for every `${…}` a buildspec or taskdef uses. */
const EXAMPLE: Record<string, string> = {
  EnvironmentSuffix: 'dev',
  'AWS::Region': 'eu-west-1',
  'TaskExecutionRole.Arn': 'arn:aws:iam::123456789012:role/cicd-task-execution-role-dev',
  'TaskRole.Arn': 'arn:aws:iam::123456789012:role/cicd-task-role-dev',
  ServiceLogGroup: 'cicd-service-logs-dev',
  ContainerName: 'app',
  ContainerPort: '8080',
  Cpu: '256',
  Memory: '512',
  ContainerMemory: '512',
  ContainerUser: '65534',
  ReadOnlyRootFilesystem: 'true',
};
const resolveSub = (text: string) =>
  text.replace(/\$\{([^}!]+)\}/g, (_, n: string) => EXAMPLE[n] ?? `<unresolved ${n}>`);

describe('CodeDeploy engine', () => {
  it('admits production clients on ProductionPort and test clients on TestPort', () => {
    const lb = resource(template, 'LoadBalancerSecurityGroup').Properties.SecurityGroupIngress as Record<
      string,
      unknown
    >[];
    expect(lb.map((r) => [r['FromPort'], r['CidrIp']])).to.deep.equal([
      [{ Ref: 'ProductionPort' }, { Ref: 'AllowedIngressCidr' }],
      [{ Ref: 'TestPort' }, { Ref: 'TestTrafficCidr' }],
    ]);
  });

  it('has production and test listeners both forwarding to blue at creation', () => {
    for (const [id, port] of [
      ['ProductionListener', 'ProductionPort'],
      ['TestListener', 'TestPort'],
    ] as const) {
      const p = resource(template, id).Properties;
      expect(p.Port).to.deep.equal({ Ref: port });
      expect(p.DefaultActions).to.deep.equal([{ Type: 'forward', TargetGroupArn: { Ref: 'BlueTargetGroup' } }]);
    }
  });

  it('starts the service from InitialImage under the CODE_DEPLOY controller', () => {
    expect(resource(template, 'TaskDefinition').Properties.ContainerDefinitions[0].Image).to.deep.equal({
      Ref: 'InitialImage',
    });
    expect(resource(template, 'Service').Properties.DeploymentController).to.deep.equal({ Type: 'CODE_DEPLOY' });
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

  describe('deployment group', () => {
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
      const either = (https: string, http: string) => ({ 'Fn::If': ['ServesHttps', { Ref: https }, { Ref: http }] });
      expect(pair.ProdTrafficRoute).to.deep.equal({
        ListenerArns: [either('ProductionHttpsListener', 'ProductionListener')],
      });
      expect(pair.TestTrafficRoute).to.deep.equal({ ListenerArns: [either('TestHttpsListener', 'TestListener')] });
      expect(pair.TargetGroups).to.have.length(2);
    });

    it('maps every DeploymentStrategy to a CodeDeployDefault.ECS configuration', () => {
      expect(group.DeploymentConfigName).to.deep.equal({
        'Fn::FindInMap': ['DeploymentConfigs', { Ref: 'DeploymentStrategy' }, 'Name'],
      });
      const mapping =
        (template['Mappings'] as Record<string, Record<string, { Name: string }>>)['DeploymentConfigs'] ?? {};
      expect(Object.keys(mapping)).to.deep.equal(Object.keys(CODEDEPLOY_CONFIGS));
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
            { 'Fn::If': ['ServesHttps', { Ref: 'ProductionHttpsListener' }, { Ref: 'ProductionListener' }] },
            { 'Fn::If': ['ServesHttps', { Ref: 'TestHttpsListener' }, { Ref: 'TestListener' }] },
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
  });

  it('deploys the build output with CodeDeployToECS', () => {
    const stages = resource(template, 'Pipeline').Properties.Stages as {
      Name: string;
      Actions: CfnResource['Properties'][];
    }[];
    const deploy = stages.find((s) => s.Name === 'Deploy')?.Actions ?? [];
    expect(deploy).to.have.length(1);
    expect(deploy[0]?.['ActionTypeId'].Provider).to.equal('CodeDeployToECS');
    expect(deploy[0]?.['Configuration']).to.deep.include({
      ApplicationName: { Ref: 'CodeDeployApplication' },
      DeploymentGroupName: { Ref: 'DeploymentGroup' },
      TaskDefinitionTemplateArtifact: 'BuildOutput',
      AppSpecTemplateArtifact: 'BuildOutput',
      Image1ArtifactName: 'BuildOutput',
      Image1ContainerName: 'IMAGE1_NAME',
    });
  });

  describe('build-and-push buildspec', () => {
    const spec = yaml.load(resolveSub(subText(resource(template, 'BuildProject').Properties.Source.BuildSpec))) as {
      artifacts: { files: string[] };
      phases: Record<string, { commands: string[] }>;
    };

    it('declares the three files the Deploy action reads', () => {
      expect(spec.artifacts.files).to.have.members(['imageDetail.json', 'taskdef.json', 'appspec.yaml']);
    });

    it('writes taskdef.json and appspec.yaml that match the task definition resource', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-buildspec-'));
      const writers = (spec.phases['post_build']?.commands ?? []).filter((c) => c.startsWith('cat > '));
      expect(writers).to.have.length(2);
      for (const command of writers) execFileSync('bash', ['-euc', command], { cwd: dir });
      const taskdef = JSON.parse(readFileSync(join(dir, 'taskdef.json'), 'utf8'));
      const resourceProps = resource(template, 'TaskDefinition').Properties;
      const container = resourceProps.ContainerDefinitions[0];
      expect(taskdef.family).to.equal(resolveSub(subText(resourceProps.Family)));
      expect(taskdef.executionRoleArn).to.equal(EXAMPLE['TaskExecutionRole.Arn']);
      expect(resourceProps.ExecutionRoleArn).to.deep.equal({ 'Fn::GetAtt': ['TaskExecutionRole', 'Arn'] });
      expect(taskdef.taskRoleArn).to.equal(EXAMPLE['TaskRole.Arn']);
      expect(resourceProps.TaskRoleArn).to.deep.equal({ 'Fn::GetAtt': ['TaskRole', 'Arn'] });
      expect(taskdef.networkMode).to.equal(resourceProps.NetworkMode);
      expect(taskdef.requiresCompatibilities).to.deep.equal(resourceProps.RequiresCompatibilities);
      const [c] = taskdef.containerDefinitions;
      expect(c.name).to.equal(EXAMPLE[container.Name.Ref as string]);
      expect(c.image).to.equal('<IMAGE1_NAME>');
      expect(c.portMappings).to.deep.equal([{ containerPort: 8080, protocol: 'tcp' }]);
      // The hardening the resource has, in the types RegisterTaskDefinition takes; the starter's command it has not.
      expect(c).to.deep.include({ user: '65534', readonlyRootFilesystem: true, memory: 512 });
      expect(container.User).to.deep.equal({ Ref: 'ContainerUser' });
      expect(c.command).to.equal(undefined);
      expect(c.mountPoints).to.deep.equal([{ sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false }]);
      expect(taskdef.volumes).to.deep.equal([{ name: 'scratch' }]);
      expect(container.PortMappings[0].ContainerPort).to.deep.equal({ Ref: 'ContainerPort' });
      expect(c.logConfiguration.options['awslogs-group']).to.equal(
        EXAMPLE[container.LogConfiguration.Options['awslogs-group'].Ref as string],
      );
      const appspec = yaml.load(readFileSync(join(dir, 'appspec.yaml'), 'utf8')) as {
        Resources: Record<string, { Properties: { LoadBalancerInfo: unknown } }>[];
      };
      expect(appspec.Resources[0]?.['TargetService']?.Properties.LoadBalancerInfo).to.deep.equal({
        ContainerName: 'app',
        ContainerPort: 8080,
      });
      expect(resource(template, 'Service').Properties.LoadBalancers[0]).to.deep.include({
        ContainerName: container.Name,
        ContainerPort: container.PortMappings[0].ContainerPort,
      });
    });
  });

  it('lets the pipeline deploy to this group and register revisions of this family only', () => {
    const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
    const statements = resource(template, 'PipelineRole').Properties.Policies[0].PolicyDocument.Statement as {
      Sid?: string;
      Action: string[];
      Resource: unknown;
    }[];
    const expected: Record<string, [string[], unknown]> = {
      DeployToThisGroup: [
        ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
        [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${CodeDeployApplication}/${DeploymentGroup}',
          },
        ],
      ],
      RegisterRevisionsOfThisApplication: [
        ['codedeploy:GetApplication', 'codedeploy:GetApplicationRevision', 'codedeploy:RegisterApplicationRevision'],
        [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:application:${CodeDeployApplication}',
          },
        ],
      ],
      ReadTheChosenDeploymentConfig: [
        ['codedeploy:GetDeploymentConfig'],
        [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:CodeDeployDefault.ECS*',
          },
        ],
      ],
      RegisterRevisionsOfTheTaskFamily: [
        ['ecs:RegisterTaskDefinition'],
        [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/cicd-app-${EnvironmentSuffix}:*',
          },
        ],
      ],
      DescribeTaskDefinitions: [['ecs:DescribeTaskDefinition'], '*'],
      PassOnlyTheTaskRoles: [['iam:PassRole'], [arn('TaskExecutionRole'), arn('TaskRole')]],
    };
    const actual = Object.fromEntries(
      statements.filter((s) => s.Sid !== undefined && s.Sid in expected).map((s) => [s.Sid, [s.Action, s.Resource]]),
    );
    expect(actual).to.deep.equal(expected);
  });

  it('outputs the test URL', () => {
    expect(template['Outputs']).to.include.keys('TestUrl', 'CodeDeployApplicationName', 'DeploymentGroupName');
  });
});
