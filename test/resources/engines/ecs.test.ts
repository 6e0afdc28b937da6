// The ECS engine (the default): the routes ECS moves, the service's deployment configuration by
// parameter, the smoke-test and pause hooks, the Deploy stage's grants, and the command an approver
// runs. The AWS rules behind them are in test/aws-rules.test.ts (section 8).
import { expect } from 'chai';
import { DEPLOYMENT_STRATEGIES, ECS_STRATEGIES } from '../../../src/parameters/engines.js';
import { TEST_TRAFFIC_HEADER } from '../../../src/resources/scripts/smoke-test.js';
import { ECS_CONTINUE_DEPLOYMENT } from '../../../src/iam/actions.js';
import type { FakeStep } from '../../fake-tool.js';
import { renderedPipeline, resource, resourcesOfType, subText } from '../../helpers.js';
import { runWithFakeAws } from '../buildspec-run.js';
import { parametersBehind } from '../references.js';

const template = renderedPipeline();
const service = resource(template, 'Service');
const statements = (id: string) =>
  resource(template, id).Properties.Policies[0].PolicyDocument.Statement as {
    Sid: string;
    Action: string[];
    Resource: unknown;
    Condition?: unknown;
  }[];

describe('ECS engine', () => {
  describe('routes', () => {
    it('opens only the production port to clients; the test route is a header on the same listener', () => {
      const ingress = resource(template, 'LoadBalancerSecurityGroup').Properties.SecurityGroupIngress as Record<
        string,
        unknown
      >[];
      // With a certificate, LoadBalancerHttpsIngress adds 443 (test/resources/listeners.test.ts).
      expect(ingress.map((r) => [r['FromPort'], r['CidrIp']])).to.deep.equal([
        [{ Ref: 'ProductionPort' }, { Ref: 'AllowedIngressCidr' }],
      ]);
      expect(resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::Listener').map(([id]) => id)).to.deep.equal([
        'ProductionListener',
        'ProductionHttpsListener',
        'HttpsRedirectListener',
      ]);
      expect(template.Parameters).to.not.have.any.keys('TestPort', 'TestTrafficCidr');
    });

    it('answers 404 from the listener itself only when no rule matches', () => {
      expect(resource(template, 'ProductionListener').Properties.DefaultActions).to.deep.equal([
        { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } },
      ]);
    });

    it('sends requests carrying the generated token to the test route first, everything else to production', () => {
      const test = resource(template, 'TestListenerRule').Properties;
      const production = resource(template, 'ProductionListenerRule').Properties;
      expect(test.Priority).to.be.lessThan(production.Priority);
      expect(test.Conditions).to.deep.equal([
        {
          Field: 'http-header',
          HttpHeaderConfig: {
            HttpHeaderName: TEST_TRAFFIC_HEADER,
            Values: [{ 'Fn::Sub': '{{resolve:secretsmanager:${TestTrafficToken}:SecretString:token}}' }],
          },
        },
      ]);
      expect(production.Conditions).to.deep.equal([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }]);
      const token = resource(template, 'TestTrafficToken').Properties;
      expect(token.KmsKeyId).to.deep.equal({ 'Fn::GetAtt': ['PipelineKey', 'Arn'] });
      expect(token.GenerateSecretString).to.deep.include({ GenerateStringKey: 'token', ExcludePunctuation: true });
    });
  });

  describe('service', () => {
    it('starts from the Image parameter, tags the release it runs, and waits for the listener through its rules', () => {
      expect(resource(template, 'TaskDefinition').Properties.ContainerDefinitions[0].Image).to.deep.equal({
        Ref: 'Image',
      });
      expect(service.Properties.Tags).to.deep.include({ Key: 'Release', Value: { Ref: 'ReleaseId' } });
      expect(service.DependsOn).to.equal(undefined);
      const advanced = service.Properties.LoadBalancers[0].AdvancedConfiguration;
      expect([advanced.ProductionListenerRule, advanced.TestListenerRule]).to.deep.equal([
        { Ref: 'ProductionListenerRule' },
        { Ref: 'TestListenerRule' },
      ]);
      for (const rule of ['ProductionListenerRule', 'TestListenerRule']) {
        expect(resource(template, rule).Properties.ListenerArn, rule).to.deep.equal({
          'Fn::If': ['ServesHttps', { Ref: 'ProductionHttpsListener' }, { Ref: 'ProductionListener' }],
        });
      }
    });

    it('keeps a routine update (count, alarms, strategy, Spot share, bake, hooks) away from the task definition', () => {
      const routine = [
        'DesiredCount',
        'Http5xxAlarmThreshold',
        'DeploymentStrategy',
        'BlueTerminationWaitMinutes',
        'FargateSpotShare',
        'NotificationEmail',
        'SmokeTest',
        'SmokeTestPath',
        'PauseBeforeProduction',
        'ReleaseId',
      ];
      const behind = parametersBehind(template, 'TaskDefinition');
      expect([...behind]).to.include.members(['Image', 'TaskSize']);
      expect([...behind].filter((p) => routine.includes(p))).to.deep.equal([]);
    });

    it('maps every DeploymentStrategy onto an ECS strategy, with canary or linear settings only for their kind', () => {
      const config = service.Properties.DeploymentConfiguration;
      expect(config.Strategy).to.deep.equal({
        'Fn::FindInMap': ['EcsStrategies', { Ref: 'DeploymentStrategy' }, 'Strategy'],
      });
      expect(Object.keys(template.Mappings.EcsStrategies)).to.deep.equal([...DEPLOYMENT_STRATEGIES]);
      expect(config.CanaryConfiguration['Fn::If'][0]).to.equal('IsCanaryDeployment');
      expect(config.LinearConfiguration['Fn::If'][0]).to.equal('IsLinearDeployment');
      const kinds = (condition: string) =>
        (template.Conditions[condition]['Fn::Or'] as { 'Fn::Equals': [unknown, string] }[]).map(
          (e) => ECS_STRATEGIES[e['Fn::Equals'][1] as keyof typeof ECS_STRATEGIES].Strategy,
        );
      expect(new Set(kinds('IsCanaryDeployment'))).to.deep.equal(new Set(['CANARY']));
      expect(new Set(kinds('IsLinearDeployment'))).to.deep.equal(new Set(['LINEAR']));
      expect(config.BakeTimeInMinutes).to.deep.equal({ Ref: 'BlueTerminationWaitMinutes' });
    });

    it('rolls back on the circuit breaker and on any of the four alarms', () => {
      const config = service.Properties.DeploymentConfiguration;
      expect(config.DeploymentCircuitBreaker).to.deep.equal({ Enable: true, Rollback: true });
      expect(config.Alarms.Enable).to.equal(true);
      expect(config.Alarms.Rollback).to.equal(true);
      const named = (config.Alarms.AlarmNames as { Ref: string }[]).map((a) => a.Ref).sort();
      // The load balancer's alarms; the delivery-metrics errors alarm only notifies.
      expect(named).to.deep.equal(
        resourcesOfType(template, 'AWS::CloudWatch::Alarm')
          .filter(([, a]) => a.Properties.Namespace === 'AWS/ApplicationELB')
          .map(([id]) => id)
          .sort(),
      );
      expect(named).to.have.length(4);
    });

    it('runs the smoke test with SmokeTest enabled and pauses with PauseBeforeProduction true, in all four combinations', () => {
      const hooks = service.Properties.DeploymentConfiguration.LifecycleHooks;
      const [smokeCondition, withSmoke, withoutSmoke] = hooks['Fn::If'];
      expect(smokeCondition).to.equal('HasSmokeTest');
      const stages = (branch: unknown) =>
        (branch as { LifecycleStages: string[]; TargetType: string }[]).map(
          (h) => `${h.TargetType}@${h.LifecycleStages.join()}`,
        );
      expect(withSmoke['Fn::If'][0]).to.equal('PauseBeforeProduction');
      expect(stages(withSmoke['Fn::If'][1])).to.deep.equal([
        'AWS_LAMBDA@POST_TEST_TRAFFIC_SHIFT',
        'PAUSE@PRE_PRODUCTION_TRAFFIC_SHIFT',
      ]);
      expect(stages(withSmoke['Fn::If'][2])).to.deep.equal(['AWS_LAMBDA@POST_TEST_TRAFFIC_SHIFT']);
      expect(stages(withoutSmoke['Fn::If'][1])).to.deep.equal(['PAUSE@PRE_PRODUCTION_TRAFFIC_SHIFT']);
      expect(withoutSmoke['Fn::If'][2]).to.deep.equal({ Ref: 'AWS::NoValue' });
      expect(template.Conditions.HasSmokeTest).to.deep.equal({ 'Fn::Equals': [{ Ref: 'SmokeTest' }, 'enabled'] });
      expect(template.Conditions.PauseBeforeProduction).to.deep.equal({
        'Fn::Equals': [{ Ref: 'PauseBeforeProduction' }, 'true'],
      });
    });

    it('creates the smoke test’s function, roles and log group only with SmokeTest enabled', () => {
      for (const id of ['SmokeTestFunction', 'SmokeTestRole', 'SmokeTestLogGroup', 'LifecycleHookRole'])
        expect(resource(template, id).Condition, id).to.equal('HasSmokeTest');
    });
  });

  describe('smoke-test function', () => {
    const fn = resource(template, 'SmokeTestFunction').Properties;

    it('runs on Python with reserved concurrency, a KMS-encrypted environment and its own 7-day KMS log group', () => {
      expect(fn.Runtime).to.match(/^python3\.1[3-9]$/);
      expect(fn.ReservedConcurrentExecutions).to.be.within(1, 5);
      expect(fn.KmsKeyArn).to.deep.equal({ 'Fn::GetAtt': ['PipelineKey', 'Arn'] });
      expect(fn.LoggingConfig.LogGroup).to.deep.equal({ Ref: 'SmokeTestLogGroup' });
      expect(resource(template, 'SmokeTestLogGroup').Properties).to.deep.include({
        RetentionInDays: 7,
        KmsKeyId: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
      });
    });

    it('requests the production listener with the health-check and smoke paths and the token secret', () => {
      expect(fn.Environment.Variables).to.deep.equal({
        TEST_URL: {
          'Fn::If': [
            'ServesHttps',
            { 'Fn::Sub': 'https://${DomainName}' },
            { 'Fn::Sub': 'http://${LoadBalancer.DNSName}:${ProductionPort}' },
          ],
        },
        HEALTH_CHECK_PATH: { Ref: 'HealthCheckPath' },
        SMOKE_TEST_PATH: { Ref: 'SmokeTestPath' },
        TOKEN_SECRET_ARN: { Ref: 'TestTrafficToken' },
      });
    });

    it('may read the token and write its logs, nothing else', () => {
      expect(Object.fromEntries(statements('SmokeTestRole').map((s) => [s.Sid, [s.Action, s.Resource]]))).to.deep.equal(
        {
          WriteOwnLogs: [
            ['logs:CreateLogStream', 'logs:PutLogEvents'],
            [{ 'Fn::GetAtt': ['SmokeTestLogGroup', 'Arn'] }],
          ],
          ReadTheTestTrafficToken: [['secretsmanager:GetSecretValue'], [{ Ref: 'TestTrafficToken' }]],
          DecryptTheToken: [['kms:Decrypt', 'kms:DescribeKey'], [{ 'Fn::GetAtt': ['PipelineKey', 'Arn'] }]],
        },
      );
    });
  });

  describe('Deploy stage', () => {
    const pipelineStatements = () =>
      Object.fromEntries(
        statements('PipelineRole')
          .filter((s) => s.Sid !== undefined)
          .map((s) => [s.Sid, s]),
      );

    it('lets the pipeline replace the task definition and update this service only, passing only its own roles', () => {
      const s = pipelineStatements();
      expect(s['RegisterRevisionsOfTheTaskFamily']?.Resource).to.deep.equal([
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/cicd-app-${EnvironmentSuffix}:*',
        },
      ]);
      expect(s['UpdateThisService']?.Resource).to.deep.equal([
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/cicd-cluster-${EnvironmentSuffix}/cicd-service-${EnvironmentSuffix}',
        },
      ]);
      expect(s['ExecuteTheReleaseChangeSet']?.Resource).to.deep.equal([{ Ref: 'AWS::StackId' }]);
      expect(s['PassOnlyTheTaskRoles']?.Condition).to.deep.equal({
        StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      });
      expect(s['PassOnlyTheDeploymentRoles']?.Resource).to.deep.equal([
        { 'Fn::GetAtt': ['LoadBalancerInfrastructureRole', 'Arn'] },
        { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cicd-hook-role-${EnvironmentSuffix}' },
      ]);
      expect(subText(resource(template, 'LifecycleHookRole').Properties.RoleName)).to.equal(
        'cicd-hook-role-${EnvironmentSuffix}',
      );
    });
  });

  describe('pause and continue', () => {
    const outputs = template.Outputs;

    it('names the IAM actions an approver needs, on this service and its deployments', () => {
      const text = subText(outputs.ApproverPermissions.Value);
      for (const action of ECS_CONTINUE_DEPLOYMENT) expect(text).to.include(action);
      expect(text).to.include(
        'service-deployment/cicd-cluster-${EnvironmentSuffix}/cicd-service-${EnvironmentSuffix}/*',
      );
    });

    it('prints a command that finds the paused deployment, its waiting hook, and continues it', () => {
      const command = subText(outputs.ContinueDeploymentCommand.Value).replaceAll('${EnvironmentSuffix}', 'dev');
      const deployment = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/cicd-cluster-dev/cicd-service-dev/abc';
      const plan: FakeStep[] = [{ stdout: `${deployment}\n` }, { stdout: 'ecs-pause-123\n' }, { stdout: '{}' }];
      const run = runWithFakeAws([command], plan, {});
      expect(run.code, run.output).to.equal(0);
      expect(run.calls[0]).to.include.members([
        'list-service-deployments',
        'cicd-cluster-dev',
        'cicd-service-dev',
        'IN_PROGRESS',
      ]);
      expect(run.calls[1]).to.include.members(['describe-service-deployments', deployment]);
      expect(run.calls[1]?.join(' ')).to.include("lifecycleHookDetails[?status=='AWAITING_ACTION'].hookId");
      expect(run.calls[2]).to.deep.equal([
        'ecs',
        'continue-service-deployment',
        '--service-deployment-arn',
        deployment,
        '--hook-id',
        'ecs-pause-123',
        '--action',
        'CONTINUE',
      ]);
    });

    it('stops before continuing when no deployment can be found', () => {
      const command = subText(outputs.ContinueDeploymentCommand.Value).replaceAll('${EnvironmentSuffix}', 'dev');
      const run = runWithFakeAws([command], [{ stderr: 'An error occurred (AccessDeniedException)\n', exit: 254 }], {});
      expect(run.code).to.not.equal(0);
      expect(run.calls).to.have.length(1);
    });
  });
});
