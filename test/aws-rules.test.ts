// AWS behaviour no local tool checks: what an API refuses, what a key policy must allow, what a
// service does on update. Each test names the rule and the AWS document it comes from; each failed
// on the template before the fix it guards.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { JsonObject } from '../src/model/json.js';
import { ECS_STRATEGIES, ECS_MAX_BAKE_MINUTES } from '../src/parameters/engines.js';
import { PAUSE_TIMEOUT_MINUTES, SMOKE_TEST_TIMEOUT_MINUTES } from '../src/resources/engines/ecs.js';
import { taskDefinitionJson } from '../src/resources/engines/codedeploy.js';
import { DEFAULT_CONTAINER_USER, SCRATCH_VOLUME } from '../src/parameters/containers.js';
import { PACKAGE_ROOT } from '../src/tools/locate.js';
import { venvPython } from './venv.js';
import { resolveConfiguration } from './configurations.js';
import type { CfnTemplate } from './helpers.js';
import { parseConfig } from '../src/config.js';
import {
  CODEDEPLOY_CONFIG,
  OWN_VPC_CONFIG,
  committedTemplate,
  emittedTemplates,
  renderedPipeline,
  resource,
  resourcesOfType,
  subText,
  walk,
} from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deployed copies reach into arbitrary property trees
type Loose = any;

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, unknown>;
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

/** The default template (ECS engine) and the CodeDeploy engine's. */
const template = renderedPipeline();
const codedeploy = renderedPipeline(CODEDEPLOY_CONFIG);
const keyStatements = (): Statement[] =>
  resource(template, 'PipelineKey').Properties.KeyPolicy.Statement as Statement[];
const fixedAfterCreate = (t: CfnTemplate = template): Record<string, string> => t.Metadata['cfn-cicd'].FixedAfterCreate;
/** A project's buildspec text: plain, or the text of its `!Sub`. */
const buildspec = (id: string, t: CfnTemplate = template): string => {
  const value = resource(t, id).Properties.Source.BuildSpec;
  return typeof value === 'string' ? value : subText(value);
};

describe('AWS rules the templates keep', () => {
  // SNS Developer Guide, "Managing Amazon SNS encryption keys and costs" (compatibility with AWS
  // services): "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy
  // is not supported for EventBridge-to-encrypted topics" — with them every delivery fails.
  it('1. the key lets EventBridge encrypt for the topic with no aws:Source* condition; the topic policy pins the rule', () => {
    const events = keyStatements().filter((s) => JSON.stringify(s.Principal) === '{"Service":"events.amazonaws.com"}');
    expect(events).to.have.length(1);
    expect(JSON.stringify(events[0]?.Condition ?? {})).to.not.match(/aws:Source(Account|Arn|OrgID)/);
    const topicPolicy = resource(template, 'NotificationTopicPolicy').Properties.PolicyDocument
      .Statement as Statement[];
    const publish = topicPolicy.find((s) => JSON.stringify(s.Principal).includes('events.amazonaws.com'));
    expect(publish?.Condition?.['ArnEquals']?.['aws:SourceArn']).to.deep.equal({
      'Fn::GetAtt': ['PipelineEventsRule', 'Arn'],
    });
  });

  describe('2. a CODE_DEPLOY service never receives a change ECS refuses through UpdateService', () => {
    // ECS API Reference, UpdateService: "For services using the blue/green (CODE_DEPLOY) deployment
    // controller, only the desired count, deployment configuration, health check grace period, task
    // placement constraints and strategies, enable ECS managed tags option, and propagate tags can be
    // updated using this API. If the network configuration, platform version, task definition, or load
    // balancer need to be updated, create a new CodeDeploy deployment."
    const service = resource(codedeploy, 'Service');
    const refusedProperties = [
      'TaskDefinition',
      'NetworkConfiguration',
      'PlatformVersion',
      'LoadBalancers',
      'CapacityProviderStrategy',
    ];

    it('the service names the task definition family, never a revision, so TaskSize or the image never reach it', () => {
      expect(service.Properties.DeploymentController).to.deep.equal({ Type: 'CODE_DEPLOY' });
      expect(service.Properties.TaskDefinition).to.deep.equal({ 'Fn::Sub': 'cicd-app-${EnvironmentSuffix}' });
      expect(resource(codedeploy, 'TaskDefinition').Properties.Family).to.deep.equal(service.Properties.TaskDefinition);
    });

    it('every parameter a refused property depends on is fixed after creation, with what to do instead', () => {
      const behind = new Set(refusedProperties.flatMap((p) => parametersIn(codedeploy, service.Properties[p])));
      expect([...behind], 'the check follows parameters').to.include.members([
        'ContainerName',
        'ContainerPort',
        'TaskSubnets',
      ]);
      const fixed = fixedAfterCreate(codedeploy);
      expect([...behind].filter((p) => !(p in fixed))).to.deep.equal([]);
      for (const [name, why] of Object.entries(fixed)) expect(why, name).to.match(/; (deploy|push) /);
    });
  });

  // CloudFormation template reference, "Name type": "You can't perform an update that causes a
  // custom-named resource to be replaced." The target groups are named; Port and the VPC replace them.
  it('2. a parameter that replaces a named target group is fixed after creation (both engines)', () => {
    for (const t of [template, codedeploy]) {
      for (const [id, group] of resourcesOfType(t, 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
        expect(group.Properties.Name, id).to.not.equal(undefined);
        const replacing = ['Port', 'Protocol', 'VpcId', 'TargetType'].flatMap((p) =>
          parametersIn(t, group.Properties[p]),
        );
        expect(
          replacing.filter((p) => !(p in fixedAfterCreate(t))),
          id,
        ).to.deep.equal([]);
      }
    }
  });

  describe('3. CodeDeploy moves the listeners between the target groups', () => {
    // CodeDeploy User Guide, "Blue/green deployments for Amazon ECS": traffic is rerouted by changing
    // the listeners' target group, so after an odd number of deployments production is on green.
    it('an update that would re-send a listener (its port) is refused before any change set', () => {
      expect(fixedAfterCreate(codedeploy)).to.include.keys('ProductionPort', 'TestPort');
    });

    it('both listeners depend on both groups, so a stack delete removes them before either group', () => {
      for (const id of ['ProductionListener', 'TestListener', 'ProductionHttpsListener', 'TestHttpsListener']) {
        const listener = resource(codedeploy, id);
        expect(JSON.stringify(listener.Properties)).to.include('BlueTargetGroup');
        expect(listener.DependsOn, id).to.include('GreenTargetGroup');
      }
    });
  });

  // ECR API Reference, ImageScanStatus: COMPLETE | ACTIVE (enhanced scanning) | FAILED |
  // UNSUPPORTED_IMAGE | …; `aws ecr wait image-scan-complete` succeeds only on COMPLETE (botocore's ECR
  // waiter), so with enhanced scanning it times out. test/resources/scan-gate.test.ts runs the gate.
  it('4. the scan gate polls ECR itself instead of the waiter that knows only COMPLETE', () => {
    const commands = buildspec('SecurityScanProject');
    expect(commands).to.not.include('wait image-scan-complete');
    expect(commands).to.include('DONE = ["COMPLETE","ACTIVE"]');
  });

  // CodeDeploy User Guide, "AppSpec 'resources' section (Amazon ECS …)": CapacityProviderStrategy
  // "A list of Amazon ECS capacity providers you want to use for your deployment"; without it the
  // replacement task set does not follow the service's share.
  it('5. the AppSpec and the cluster default carry the Fargate Spot share', () => {
    const spec = yaml.load(buildspec('BuildProject', codedeploy)) as { phases: { post_build: { commands: string[] } } };
    const writer = spec.phases.post_build.commands.find((c) => c.startsWith('cat > appspec.yaml')) ?? '';
    const written = /<<'APPSPEC'\n([^]*?)\nAPPSPEC/.exec(writer)?.[1] ?? '';
    const appspec = yaml.load(written.replace(/\$\{(\w+)\}/g, '1')) as {
      Resources: { TargetService: { Properties: { CapacityProviderStrategy: { CapacityProvider: string }[] } } }[];
    };
    expect(
      appspec.Resources[0]?.TargetService.Properties.CapacityProviderStrategy.map((s) => s.CapacityProvider),
    ).to.deep.equal(['FARGATE', 'FARGATE_SPOT']);
    const vars = resource(codedeploy, 'BuildProject').Properties.Source.BuildSpec['Fn::Sub'][1];
    expect(vars.SpotWeight).to.deep.equal({ 'Fn::FindInMap': ['SpotShares', { Ref: 'FargateSpotShare' }, 'Spot'] });
    const cluster = resource(codedeploy, 'Cluster').Properties;
    expect(cluster.DefaultCapacityProviderStrategy[1]).to.deep.include({
      CapacityProvider: 'FARGATE_SPOT',
      Weight: vars.SpotWeight,
    });
    expect(fixedAfterCreate(codedeploy)).to.not.have.property('FargateSpotShare');
  });

  describe('6. the Service Catalog launch role cannot be pointed at what the pipeline does not own', () => {
    const product = emittedTemplates().find((t) => t.file === 'service-catalog-product.yaml')?.template;
    const launchStatements = (): Statement[] =>
      resourcesOfType(product as never, 'AWS::IAM::ManagedPolicy').flatMap(
        ([, p]) => p.Properties.PolicyDocument.Statement as Statement[],
      );

    // Secrets Manager User Guide, "Control access to secrets using tags" (aws:ResourceTag on GetSecretValue).
    it('reads only GitHub token secrets the platform team tagged cfn-cicd:source-token=true', () => {
      const reads = launchStatements().filter((s) => s.Action.includes('secretsmanager:GetSecretValue'));
      const anySecret = reads.filter((s) => JSON.stringify(s.Resource).includes('secret:*'));
      expect(anySecret).to.have.length(1);
      expect(anySecret[0]?.Condition).to.deep.equal({
        StringEquals: { 'aws:ResourceTag/cfn-cicd:source-token': 'true' },
      });
    });

    // KMS Developer Guide, "ABAC for AWS KMS": aws:ResourceTag on key operations.
    it('manages and uses only keys tagged with the pipeline’s Project', () => {
      const onKeys = launchStatements().filter((s) => JSON.stringify(s.Resource).includes(':key/*'));
      expect(onKeys.map((s) => s.Sid)).to.deep.equal(['KmsKeysOfThisProject']);
      expect(onKeys[0]?.Condition).to.deep.equal({ StringEquals: { 'aws:ResourceTag/Project': 'cfn-cicd' } });
      expect(onKeys[0]?.Action).to.include.members(['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:Decrypt']);
    });
  });

  describe('7. smaller rules', () => {
    // CloudFormation template reference, AWS::EC2::SecurityGroup SecurityGroupEgress: "When you specify
    // a VPC security group, Amazon EC2 creates a default egress rule that allows egress traffic on all
    // ports and IP protocols to any location. The default rule is removed only when you specify one or
    // more egress rules."
    it('the load balancer group lists its own egress, so EC2 drops the default allow-all', () => {
      const egress = resource(template, 'LoadBalancerSecurityGroup').Properties.SecurityGroupEgress;
      expect(egress).to.deep.equal([
        {
          IpProtocol: 'icmp',
          FromPort: 252,
          ToPort: 86,
          CidrIp: '255.255.255.255/32',
          Description: 'no traffic: removes the default allow-all egress',
        },
      ]);
      const toService = resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress').map(([, r]) => r.Properties);
      expect(toService).to.deep.equal([
        {
          GroupId: { Ref: 'LoadBalancerSecurityGroup' },
          IpProtocol: 'tcp',
          FromPort: { Ref: 'ContainerPort' },
          ToPort: { Ref: 'ContainerPort' },
          DestinationSecurityGroupId: { Ref: 'ServiceSecurityGroup' },
          Description: 'to the service tasks on the container port',
        },
      ]);
    });

    // Elastic Load Balancing, CreateListener: a second listener on a port fails (DuplicateListener).
    it('a Rule refuses equal ProductionPort and TestPort before CloudFormation changes anything', () => {
      expect(codedeploy.Rules.DistinctListenerPorts.Assertions[0].Assert).to.deep.equal({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ProductionPort' }, { Ref: 'TestPort' }] }],
      });
    });

    it('the GitHub token secret is required only without a CodeConnections connection', () => {
      expect(template.Parameters.GitHubTokenSecretArn.Default).to.equal('');
      expect(template.Rules.GitHubTokenWithoutConnection).to.deep.equal({
        RuleCondition: { 'Fn::Equals': [{ Ref: 'CodeConnectionArn' }, ''] },
        Assertions: [
          {
            Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'GitHubTokenSecretArn' }, ''] }] },
            AssertDescription:
              'GitHubTokenSecretArn is required when CodeConnectionArn is empty (the GitHub token source)',
          },
        ],
      });
    });

    // KMS Developer Guide, kms:ViaService: the value is the service's endpoint name, whose domain is
    // amazonaws.com.cn in the China Regions; CloudWatch Logs' regional principal follows the same domain.
    // Global service principals (codebuild.amazonaws.com …) are the same in every partition.
    it('regional endpoint names follow the partition; only global service principals say amazonaws.com', () => {
      const regional = [...walk(template as never)].filter(
        (n) => typeof n === 'string' && /\$\{AWS::Region\}\.amazonaws\.com/.test(n),
      );
      expect(regional).to.deep.equal([]);
      const principals = new Set<string>();
      for (const node of walk(template as never)) {
        const service = (node as { Principal?: { Service?: unknown } } | null)?.Principal?.Service;
        if (typeof service === 'string') principals.add(service);
      }
      // Dotted names are global too (ELB guide: logdelivery.elasticloadbalancing.amazonaws.com for access logs).
      for (const p of principals) expect(p, 'a global principal').to.match(/^[a-z-]+(\.[a-z-]+)*\.amazonaws\.com$/);
    });

    // ECR User Guide, "Lifecycle policy properties": "A rule with a tagStatus value of any must have the
    // highest value for rulePriority" and counts every image; untagged images must not push out tagged ones.
    it('the image lifecycle expires untagged images on their own and counts only tagged ones', () => {
      const rules = JSON.parse(resource(template, 'ImageRepository').Properties.LifecyclePolicy.LifecyclePolicyText)
        .rules as { selection: { tagStatus: string } }[];
      expect(rules.map((r) => r.selection.tagStatus)).to.deep.equal(['untagged', 'tagged']);
    });

    it('no IAM or key-policy pattern of the form cicd-*-<suffix> (it matches another environment ending in -<suffix>)', () => {
      const wide = [...walk(template as never)].filter(
        (n) => typeof n === 'string' && n.includes('cicd-*-${EnvironmentSuffix}'),
      );
      expect(wide).to.deep.equal([]);
    });

    // CodeBuild User Guide, "Test report permissions": CreateReport, UpdateReport, BatchPutTestCases
    // and BatchPutCodeCoverages on the report group; without them a buildspec with `reports:` fails.
    it('each test project publishes to its own two report groups, exported KMS-encrypted, and only to them', () => {
      for (const stem of ['UnitTest', 'IntegrationTest']) {
        const groups = [`${stem}Reports`, `${stem}CoverageReports`].map((id) => resource(template, id));
        for (const group of groups) {
          expect(group.Properties.ExportConfig.S3Destination).to.deep.include({
            EncryptionKey: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
            EncryptionDisabled: false,
          });
        }
        const project = subText(resource(template, `${stem}Project`).Properties.Name);
        expect(groups.map((g) => subText(g.Properties.Name))).to.deep.equal([
          `${project}-tests`,
          `${project}-coverage`,
        ]);
        const statements = resource(template, `${stem}Role`).Properties.Policies[0].PolicyDocument
          .Statement as Statement[];
        const publish = statements.filter((s) => s.Action.some((a) => a.startsWith('codebuild:')));
        expect(publish.map((s) => s.Resource)).to.deep.equal([
          [{ Ref: `${stem}Reports` }, { Ref: `${stem}CoverageReports` }],
        ]);
        expect(publish[0]?.Action).to.not.include('codebuild:CreateReportGroup');
      }
    });

    it('the test listener admits TestTrafficCidr (the VPC by default), not the production clients', () => {
      const ingress = resource(codedeploy, 'LoadBalancerSecurityGroup').Properties.SecurityGroupIngress as JsonObject[];
      expect(ingress.find((r) => JSON.stringify(r['FromPort']) === '{"Ref":"TestPort"}')?.['CidrIp']).to.deep.equal({
        Ref: 'TestTrafficCidr',
      });
      expect(codedeploy.Parameters.TestTrafficCidr.Default).to.equal(resource(codedeploy, 'Vpc').Properties.CidrBlock);
    });
  });

  describe('8. Amazon ECS blue/green (the default engine)', () => {
    const service = resource(template, 'Service').Properties;
    const advanced = service.LoadBalancers[0].AdvancedConfiguration;
    const rules = [advanced.ProductionListenerRule.Ref, advanced.TestListenerRule.Ref] as string[];
    /** Every hook in every branch of the LifecycleHooks `!If`s. */
    const hooks = (): JsonObject[] =>
      [...walk(service.DeploymentConfiguration.LifecycleHooks)].filter(
        (n): n is JsonObject => n !== null && typeof n === 'object' && !Array.isArray(n) && 'LifecycleStages' in n,
      );

    // AWS::ECS::Service AdvancedConfiguration: ProductionListenerRule is "the ARN ... of the production
    // listener rule (in the case of an Application Load Balancer) or listener (in the case for an
    // Network Load Balancer)"; the same for TestListenerRule.
    it('names listener rules (not listeners) of the Application Load Balancer, and the other group as alternate', () => {
      for (const id of rules)
        expect(resource(template, id).Type, id).to.equal('AWS::ElasticLoadBalancingV2::ListenerRule');
      expect(service.LoadBalancers[0].TargetGroupArn).to.deep.equal({ Ref: 'BlueTargetGroup' });
      expect(advanced.AlternateTargetGroupArn).to.deep.equal({ Ref: 'GreenTargetGroup' });
    });

    // ECS Developer Guide, "Migrating from a CodeDeploy blue/green to an Amazon ECS blue/green service
    // deployment": otherwise "Both targetGroup and alternateTargetGroup must be associated with the
    // productionListenerRule or testListenerRule" and the deployment rolls back; and "Application Load
    // Balancer resources for blue/green ...": rules that mix forward with other actions are not supported.
    it('each rule forwards, and only forwards, to both target groups (blue weighted 1, green 0 at creation)', () => {
      for (const id of rules) {
        expect(resource(template, id).Properties.Actions, id).to.deep.equal([
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: { Ref: 'BlueTargetGroup' }, Weight: 1 },
                { TargetGroupArn: { Ref: 'GreenTargetGroup' }, Weight: 0 },
              ],
            },
          },
        ]);
      }
    });

    // AWS::ECS::Service DeploymentLifecycleHook: "PAUSE hooks cannot be configured at
    // TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages. These stages are only valid for AWS_LAMBDA hooks."
    it('pauses only at a stage that admits PAUSE, and names a function and a role for the Lambda hook', () => {
      const all = hooks();
      expect(all.map((h) => h['TargetType'])).to.include.members(['PAUSE', 'AWS_LAMBDA']);
      for (const hook of all) {
        if (hook['TargetType'] === 'PAUSE') {
          expect(hook['LifecycleStages']).to.not.include.members(['TEST_TRAFFIC_SHIFT']);
          expect(hook['LifecycleStages']).to.not.include.members(['PRODUCTION_TRAFFIC_SHIFT']);
          expect(hook).to.not.have.any.keys('HookTargetArn', 'RoleArn');
        } else {
          expect(hook['HookTargetArn']).to.deep.equal({ 'Fn::GetAtt': ['SmokeTestFunction', 'Arn'] });
          expect(hook['RoleArn']).to.deep.equal({ 'Fn::GetAtt': ['LifecycleHookRole', 'Arn'] });
        }
      }
    });

    // AWS::ECS::Service DeploymentConfiguration: BakeTimeInMinutes 0-1440; CanaryPercent 0.1-100;
    // StepPercent 3-100; CloudFormation rejects a LINEAR deployment whose bake time plus step bake time
    // times steps exceeds 33 hours, and a CANARY one whose bake and canary bake times do; hook timeouts
    // count toward the same limit.
    it('keeps every strategy within ECS’s ranges and the longest deployment within CloudFormation’s 33 hours', () => {
      const bake = template.Parameters.BlueTerminationWaitMinutes;
      expect(bake.MaxValue).to.equal(ECS_MAX_BAKE_MINUTES);
      expect(ECS_MAX_BAKE_MINUTES).to.be.at.most(1440);
      const mapping = template.Mappings.EcsStrategies as Record<
        string,
        { Strategy: string; Percent: number; StepMinutes: number }
      >;
      expect(mapping).to.deep.equal(ECS_STRATEGIES);
      const limit = 33 * 60;
      for (const [name, { Strategy, Percent, StepMinutes }] of Object.entries(mapping)) {
        let steps = 0;
        if (Strategy === 'CANARY') {
          expect(Percent, name).to.be.within(0.1, 100);
          steps = StepMinutes;
        } else if (Strategy === 'LINEAR') {
          expect(Percent, name).to.be.within(3, 100);
          const count = 100 % Percent === 0 ? 100 / Percent - 1 : Math.floor(100 / Percent);
          steps = StepMinutes * count;
        } else expect(Strategy, name).to.equal('BLUE_GREEN');
        expect(StepMinutes, name).to.be.within(0, 1440);
        const longest = ECS_MAX_BAKE_MINUTES + steps + SMOKE_TEST_TIMEOUT_MINUTES + PAUSE_TIMEOUT_MINUTES;
        expect(longest, name).to.be.at.most(limit);
      }
      const timeouts = hooks().map((h) => (h['TimeoutConfiguration'] as { TimeoutInMinutes: number }).TimeoutInMinutes);
      expect(Math.max(...timeouts)).to.equal(PAUSE_TIMEOUT_MINUTES);
    });

    // ECS Developer Guide, "Amazon ECS infrastructure IAM role for load balancers": the role trusts
    // ecs.amazonaws.com and the caller needs iam:PassRole with iam:PassedToService ecs.amazonaws.com;
    // AmazonECSInfrastructureRolePolicyForLoadBalancers grants ModifyRule, ModifyListener,
    // Register/DeregisterTargets and the Describe calls. Here each on this stack's own resources.
    it('gives ECS an infrastructure role scoped to these rules, this listener and these groups, passed to ECS only', () => {
      const role = resource(template, 'LoadBalancerInfrastructureRole').Properties;
      expect(role.AssumeRolePolicyDocument.Statement[0].Principal).to.deep.equal({ Service: 'ecs.amazonaws.com' });
      const statements = role.Policies[0].PolicyDocument.Statement as Statement[];
      const on = (action: string) => statements.find((st) => st.Action.includes(action))?.Resource;
      expect(on('elasticloadbalancing:ModifyRule')).to.deep.equal(rules.map((id) => ({ Ref: id })));
      expect(on('elasticloadbalancing:ModifyListener')).to.deep.equal([
        { 'Fn::If': ['ServesHttps', { Ref: 'ProductionHttpsListener' }, { Ref: 'ProductionListener' }] },
      ]);
      expect(on('elasticloadbalancing:RegisterTargets')).to.deep.equal([
        { Ref: 'BlueTargetGroup' },
        { Ref: 'GreenTargetGroup' },
      ]);
      expect(on('elasticloadbalancing:DescribeTargetHealth')).to.equal('*');
      const pipelinePasses = (
        resource(template, 'PipelineRole').Properties.Policies[0].PolicyDocument.Statement as Statement[]
      ).filter((st) => JSON.stringify(st).includes('LoadBalancerInfrastructureRole'));
      expect(pipelinePasses.map((st) => st.Condition)).to.deep.equal([
        { StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' } },
      ]);
    });

    // ECS Developer Guide, "Permissions required for Lambda functions in Amazon ECS blue/green
    // deployments": the hook's role trusts ecs.amazonaws.com and allows lambda:InvokeFunction.
    it('lets ECS invoke the smoke-test function, and nothing else, through the hook role', () => {
      const role = resource(template, 'LifecycleHookRole').Properties;
      expect(role.AssumeRolePolicyDocument.Statement[0].Principal).to.deep.equal({ Service: 'ecs.amazonaws.com' });
      expect(role.Policies[0].PolicyDocument.Statement).to.deep.equal([
        {
          Sid: 'InvokeTheSmokeTest',
          Effect: 'Allow',
          Action: ['lambda:InvokeFunction'],
          Resource: [{ 'Fn::GetAtt': ['SmokeTestFunction', 'Arn'] }],
        },
      ]);
    });

    // AWS::Lambda::Function (resource schema handlers): with KmsKeyArn, creating the function calls
    // kms:Encrypt, kms:CreateGrant, kms:GenerateDataKey and kms:Decrypt with the caller's rights.
    it('lets Lambda use the key for the function’s environment, through Lambda only', () => {
      const lambda = keyStatements().find((st) => st.Sid === 'AllowLambdaEnvironmentEncryption');
      expect(lambda?.Action).to.include.members([
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'kms:CreateGrant',
      ]);
      expect(lambda?.Condition?.['StringEquals']?.['kms:ViaService']).to.deep.equal({
        'Fn::Sub': 'lambda.${AWS::Region}.${AWS::URLSuffix}',
      });
      expect(resource(template, 'SmokeTestFunction').Properties.KmsKeyArn).to.deep.equal({
        'Fn::GetAtt': ['PipelineKey', 'Arn'],
      });
      expect(keyStatements().map((st) => st.Sid)).to.include('AllowLambdaEnvironmentEncryption');
      // The CodeDeploy engine has no smoke test, but the delivery-metrics function is in both engines.
      const codedeployKey = resource(codedeploy, 'PipelineKey').Properties.KeyPolicy.Statement as Statement[];
      expect(codedeployKey.map((st) => st.Sid)).to.include('AllowLambdaEnvironmentEncryption');
      for (const t of [template, codedeploy]) {
        expect(resource(t, 'DeliveryMetricsFunction').Properties.KmsKeyArn).to.deep.equal({
          'Fn::GetAtt': ['PipelineKey', 'Arn'],
        });
      }
    });

    // ECS API Reference, UpdateService: "For services using the rolling update (ECS) you can update ...
    // load balancers, ... and task definition"; only a CODE_DEPLOY service refuses them. A changed
    // TaskSize or Image is a new revision of the stack's own task definition and a blue/green deployment.
    it('owns the task definition revision, so an update that changes TaskSize or the image is accepted', () => {
      expect(service.DeploymentController).to.deep.equal({ Type: 'ECS' });
      expect(service.TaskDefinition).to.deep.equal({ Ref: 'TaskDefinition' });
      const task = resource(template, 'TaskDefinition').Properties;
      expect(task.ContainerDefinitions[0].Image).to.deep.equal({ Ref: 'Image' });
      expect(parametersIn(template, task)).to.include.members(['Image', 'TaskSize', 'ContainerName']);
      expect(fixedAfterCreate()).to.not.have.any.keys('Image', 'TaskSize', 'ContainerName', 'ProductionPort');
      // Architecture: the released image was built for one CPU; tasks of the other could not start it.
      expect(Object.keys(fixedAfterCreate())).to.deep.equal([
        'EnvironmentSuffix',
        'Architecture',
        'ContainerPort',
        'CertificateArn',
      ]);
    });

    // CodePipeline User Guide, "CloudFormation deploy action reference", and CloudFormation API
    // Reference, Parameter: a parameter an update leaves out takes the template default, and the
    // action cannot ask for UsePreviousValue (roadmap issue #1789). So the pipeline never runs
    // CREATE_UPDATE on its own stack; it executes a change set the release step prepared with every
    // other parameter's previous value (test/resources/release.test.ts runs that step).
    it('deploys with a prepared change set, never CREATE_UPDATE, which would reset the other parameters', () => {
      const actions = [...walk(resource(template, 'Pipeline').Properties.Stages)].filter(
        (n): n is JsonObject => n !== null && typeof n === 'object' && !Array.isArray(n) && 'ActionTypeId' in n,
      );
      const cloudformation = actions.filter((a) => (a['ActionTypeId'] as JsonObject)['Provider'] === 'CloudFormation');
      expect(cloudformation.map((a) => (a['Configuration'] as JsonObject)['ActionMode'])).to.deep.equal([
        'CHANGE_SET_EXECUTE',
      ]);
      expect(JSON.stringify(actions)).to.not.include('ParameterOverrides');
    });
  });

  describe('9. the hardened container runs on Fargate as ECS takes it (both engines)', () => {
    const engines = { ecs: template, codedeploy } as const;
    /** The CodeDeploy engine's taskdef.json with its variables filled, as the build writes it. */
    const taskdefFile = (values: Readonly<Record<string, string>>): JsonObject => {
      const { text } = taskDefinitionJson();
      const all: Record<string, string> = { ContainerPort: '8080', ...values };
      // Quoted placeholders keep their quotes; any other is a name to show as a string.
      return JSON.parse(text.replace(/\$\{([^}!]+)\}/g, (_, n: string) => all[n] ?? n)) as JsonObject;
    };

    // ECS Developer Guide, "Choosing Fargate task sizes": "The resource limits must be greater than
    // or equal to any reservations that you declared"; a container memory above the task's is refused.
    // The container's hard limit is the task's memory itself, for every TaskSize the template offers.
    for (const [engine, t] of Object.entries(engines)) {
      it(`${engine}: caps the container at the task's memory for every TaskSize, as a number`, () => {
        const sizes = (t.Parameters['TaskSize'] as { AllowedValues: string[] }).AllowedValues;
        expect(sizes.length).to.be.greaterThan(1);
        for (const size of sizes) {
          const deployed = resolveConfiguration(t as unknown as JsonObject, { TaskSize: size });
          const task = (deployed['Resources'] as Record<string, { Properties: Loose }>)['TaskDefinition']?.Properties;
          const [container] = task.ContainerDefinitions;
          expect(container.Memory, size).to.be.a('number');
          expect(container.Memory, size).to.equal(Number(task.Memory));
          expect(String(task.Memory), size).to.equal(size.split('-')[1]);
        }
      });
    }

    it('codedeploy: writes the same limit, user and read-only flag into taskdef.json in the types RegisterTaskDefinition takes', () => {
      const vars = taskDefinitionJson().vars as Record<string, unknown>;
      expect(JSON.parse(JSON.stringify(vars['ContainerMemory']))).to.deep.equal({
        'Fn::FindInMap': ['TaskSizes', { Ref: 'TaskSize' }, 'Memory'],
      });
      const file = taskdefFile({
        ContainerMemory: '1024',
        ContainerUser: '1000:1000',
        ReadOnlyRootFilesystem: 'false',
      });
      const [container] = (file as Loose).containerDefinitions;
      expect(container).to.deep.include({ memory: 1024, user: '1000:1000', readonlyRootFilesystem: false });
    });

    // ECS API Reference, Volume: "If an empty volume configuration is specified, by default Amazon
    // ECS uses a host volume" (a bind mount), and "Docker volumes aren't supported by tasks run on AWS
    // Fargate". The one writable path is such a mount, declared by name only, mounted read-write.
    it('gives the read-only container one writable path, a bind mount Fargate supports, in both engines', () => {
      const file = taskdefFile({ ContainerMemory: '512', ContainerUser: '65534', ReadOnlyRootFilesystem: 'true' });
      const shapes = [
        ...Object.values(engines).map((t) => {
          const task = resource(t, 'TaskDefinition').Properties;
          return { volumes: task.Volumes, mounts: task.ContainerDefinitions[0].MountPoints };
        }),
        {
          volumes: ((file as Loose).volumes as Loose[]).map((v) => ({ Name: v.name })),
          mounts: ((file as Loose).containerDefinitions[0].mountPoints as Loose[]).map((m) => ({
            SourceVolume: m.sourceVolume,
            ContainerPath: m.containerPath,
            ReadOnly: m.readOnly,
          })),
        },
      ];
      for (const { volumes, mounts } of shapes) {
        expect(volumes).to.deep.equal([{ Name: SCRATCH_VOLUME.name }]);
        expect(mounts).to.deep.equal([
          { SourceVolume: SCRATCH_VOLUME.name, ContainerPath: SCRATCH_VOLUME.containerPath, ReadOnly: false },
        ]);
      }
    });

    // ECS Developer Guide, "Bind mount examples": "By default, the volume permissions are set to 0755
    // and the owner as root. These permissions can be customized in the Dockerfile" — the image's
    // directory is copied to the mount only when the Dockerfile declares it a VOLUME. A non-root user
    // can write to the mount only then, so the README tells the image to do it, for the path mounted.
    it('tells the image to declare the writable path a VOLUME its user may write, since ECS mounts it root-owned', () => {
      const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('\n## Containers\n'), readme.indexOf('\n## Supply-chain checks\n'));
      expect(section).to.include(`VOLUME ["${SCRATCH_VOLUME.containerPath}"]`);
      expect(section).to.include(`RUN chmod 1777 ${SCRATCH_VOLUME.containerPath}`);
      expect(section).to.include(`USER ${DEFAULT_CONTAINER_USER}`);
    });

    // ECS Developer Guide, task definition parameters, user: "If specifying a UID or GID, you must
    // specify it as a positive integer"; the formats are user, user:group, uid, uid:gid. The template
    // takes only the numeric forms (a name resolves inside the image, which may not have it).
    it('runs as a numeric user, nobody by default, and listens where that user may bind', () => {
      for (const t of Object.values(engines)) {
        const user = t.Parameters['ContainerUser'] as { Default: string; AllowedPattern: string };
        expect(user.Default).to.equal(DEFAULT_CONTAINER_USER);
        expect(new RegExp(user.AllowedPattern).test('nobody')).to.equal(false);
        expect(resource(t, 'TaskDefinition').Properties.ContainerDefinitions[0].User).to.deep.equal({
          Ref: 'ContainerUser',
        });
        expect(Number((t.Parameters['ContainerPort'] as { Default: number }).Default)).to.be.greaterThan(1023);
        expect(t.Parameters['ReadOnlyRootFilesystem']).to.deep.include({ Default: 'true' });
      }
    });
  });

  describe('10. service autoscaling and blue/green (both engines)', () => {
    for (const [label, t] of [
      ['ECS engine', template],
      ['CodeDeploy engine', codedeploy],
    ] as const) {
      // AWS::ECS::Service, DesiredCount (CloudFormation Template Reference): "For existing services, if
      // a desired count is not specified, it is omitted from the operation." Any value would reset the
      // scaler's count on every stack update (each ECS-engine release is one).
      it(`${label}: the service names no DesiredCount while a scalable target owns it`, () => {
        const count = resource(t, 'Service').Properties.DesiredCount as { 'Fn::If': [string, unknown, unknown] };
        const [condition, whenScaling] = count['Fn::If'];
        expect(condition).to.equal(resource(t, 'ServiceScalableTarget').Condition);
        expect(whenScaling).to.deep.equal({ Ref: 'AWS::NoValue' });
      });

      // ECS Developer Guide, "Use a target metric to scale Amazon ECS services": the
      // ALBRequestCountPerTarget metric "isn't supported for the blue/green deployment type" (its
      // ResourceLabel pins one target group). "Troubleshooting service auto scaling": Application Auto
      // Scaling turns off scale-in while an ECS deployment is in progress and scale-out continues
      // unless suspended, so nothing is suspended here.
      it(`${label}: no ALBRequestCountPerTarget, no ResourceLabel, no suspended scaling`, () => {
        const text = JSON.stringify(
          [...resourcesOfType(t, 'AWS::ApplicationAutoScaling::ScalingPolicy')].map(([, r]) => r.Properties),
        );
        expect(text).to.not.include('ALBRequestCountPerTarget');
        expect(text).to.not.include('ResourceLabel');
        expect(resource(t, 'ServiceScalableTarget').Properties).to.not.have.property('SuspendedState');
      });
    }
  });

  // Elastic Load Balancing API Reference, LoadBalancerAttribute: "deletion_protection.enabled -
  // Indicates whether deletion protection is enabled. The value is true or false." The attribute
  // value is text; the parameter offers exactly those two words and the load balancer takes them.
  it('10. the load balancer takes DeletionProtection as the true or false ELB accepts, in both engines', () => {
    for (const t of [template, codedeploy]) {
      expect(t.Parameters['DeletionProtection']).to.deep.include({ Type: 'String', AllowedValues: ['true', 'false'] });
      const attributes = resource(t, 'LoadBalancer').Properties.LoadBalancerAttributes as {
        Key: string;
        Value: unknown;
      }[];
      expect(attributes.filter((a) => a.Key === 'deletion_protection.enabled')).to.deep.equal([
        { Key: 'deletion_protection.enabled', Value: { 'Fn::If': ['IsDeletionProtected', 'true', 'false'] } },
      ]);
      expect((t as Loose).Conditions.IsDeletionProtected).to.deep.equal({
        'Fn::Equals': [{ Ref: 'DeletionProtection' }, 'true'],
      });
    }
  });

  // SNS Developer Guide, "Managing Amazon SNS encryption keys and costs" (compatibility with AWS
  // services): a service that publishes to an encrypted topic needs kms:GenerateDataKey* and
  // kms:Decrypt in the key policy; SNS decrypts before it delivers, so a subscriber (Chatbot's HTTPS
  // endpoint) needs nothing on the key. Chatbot guide, "Identity-based IAM policies for AWS Chatbot":
  // Chatbot subscribes with its own service-linked role, an identity policy of this account, so the
  // topic policy (no cross-account grant) needs no statement for it.
  it('11. the encrypted topic reaches Chatbot: every publisher may use the key, no Deny stands in Chatbot’s way', () => {
    for (const t of [template, codedeploy]) {
      const key = resource(t, 'PipelineKey').Properties.KeyPolicy.Statement as Statement[];
      const topicPolicy = resource(t, 'NotificationTopicPolicy').Properties.PolicyDocument.Statement as Statement[];
      const publishers = topicPolicy
        .filter((s) => s.Effect === 'Allow' && s.Action.includes('sns:Publish'))
        .map((s) => (s.Principal as { Service: string }).Service);
      expect(publishers).to.have.members(['events.amazonaws.com', 'cloudwatch.amazonaws.com']);
      for (const service of publishers) {
        const grant = key.find((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: service }));
        expect(grant?.Action, service).to.have.members(['kms:Decrypt', 'kms:GenerateDataKey']);
      }
      // The only Deny is the TLS guard on Publish: Subscribe, Receive and delivery are untouched.
      const denies = topicPolicy.filter((s) => s.Effect === 'Deny');
      expect(denies.map((s) => [s.Action, s.Condition])).to.deep.equal([
        [['sns:Publish'], { Bool: { 'aws:SecureTransport': 'false' } }],
      ]);
      for (const id of ['SlackChannelConfiguration', 'TeamsChannelConfiguration']) {
        expect(resource(t, id).Properties.SnsTopicArns).to.deep.equal([{ Ref: 'NotificationTopic' }]);
      }
    }
  });

  // CodePipeline User Guide, "Add trigger with code push or pull request event types": a pull-request
  // trigger starts a pipeline execution, which runs every stage. CodeBuild User Guide, "GitHub App
  // connections" (step 2): a project whose GitHub source uses a connection needs
  // codeconnections:GetConnectionToken and GetConnection on it in its service role; "GitHub webhook
  // events": ReportBuildStatus posts the build's state to the commit. So the checks are projects with
  // their own webhook, the pipeline gets no PullRequest filter, and each check's role may read the token.
  it('12. pull requests start webhook projects that report on the commit, never the pipeline (both engines)', () => {
    for (const t of [template, codedeploy]) {
      expect(JSON.stringify(resource(t, 'Pipeline').Properties.Triggers)).to.not.include('PullRequest');
      for (const stem of ['PullRequestBuild', 'PullRequestTests']) {
        const project = resource(t, `${stem}Project`).Properties as Loose;
        expect(project.Source).to.deep.include({
          Type: 'GITHUB',
          Auth: { Type: 'CODECONNECTIONS', Resource: { Ref: 'CodeConnectionArn' } },
          ReportBuildStatus: true,
        });
        const statements = resource(t, `${stem}Role`).Properties.Policies[0].PolicyDocument.Statement as Statement[];
        const token = statements.find((s) => s.Action.includes('codeconnections:GetConnectionToken'));
        expect(token?.Action).to.include('codeconnections:GetConnection');
        expect(token?.Resource).to.deep.equal([{ Ref: 'CodeConnectionArn' }]);
      }
    }
  });

  // CodeBuild User Guide, "Build environment compute modes and types": ARM_CONTAINER offers
  // BUILD_GENERAL1_SMALL (2 vCPUs, 4 GB). "Available runtimes": Amazon Linux 2023 x86_64 standard:5.0
  // and AArch64 standard:3.0 are the curated images. ECS API Reference, CapacityProviderStrategyItem:
  // "FARGATE_SPOT supports Linux tasks with the ARM64 architecture on platform version 1.4.0 or later"
  // (older copies of the Developer Guide say x86_64 only); the service runs LATEST (1.4.0), so arm64
  // takes FargateSpotShare like x86_64 and no Rule refuses the pair.
  it('13. arm64 builds on a small ARM_CONTAINER with the AL2023 aarch64 image, and keeps Fargate Spot (both engines)', () => {
    for (const t of [template, codedeploy]) {
      const build = resource(t, 'BuildProject').Properties.Environment as Loose;
      expect(build.ComputeType).to.equal('BUILD_GENERAL1_SMALL');
      expect(build.Type).to.deep.equal({ 'Fn::If': ['IsArm64', 'ARM_CONTAINER', 'LINUX_CONTAINER'] });
      expect(build.Image).to.deep.equal({
        'Fn::If': [
          'IsArm64',
          'aws/codebuild/amazonlinux2-aarch64-standard:3.0',
          'aws/codebuild/amazonlinux2-x86_64-standard:5.0',
        ],
      });
      expect(resource(t, 'Service').Properties.PlatformVersion).to.equal('LATEST');
      expect(JSON.stringify((t as Loose).Rules)).to.not.include('Architecture');
    }
  });

  // Application Load Balancers Guide, "Security policies for your Application Load Balancer": an
  // HTTPS listener created through CloudFormation without SslPolicy gets ELBSecurityPolicy-2016-08
  // (TLS 1.0 up); the console's default, which AWS recommends, is ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09.
  // CloudFormation template reference, AWS::ElasticLoadBalancingV2::ListenerRule: ListenerArn
  // "Update requires: Replacement", so the HTTP/HTTPS switch replaces listeners and rules, and a new
  // one forwards to blue, which a deployment may have left idle: CertificateArn is fixed after creation.
  it('14. HTTPS names the recommended TLS 1.3 policy, and switching to it is refused after creation (both engines)', () => {
    for (const t of [template, codedeploy]) {
      const https = resourcesOfType(t, 'AWS::ElasticLoadBalancingV2::Listener').filter(
        ([, l]) => l.Properties.Protocol === 'HTTPS',
      );
      expect(https.length).to.be.greaterThan(0);
      for (const [id, l] of https) {
        expect(l.Properties.SslPolicy, id).to.equal('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09');
        expect(l.Condition, id).to.equal('ServesHttps');
      }
      expect(fixedAfterCreate(t)['CertificateArn']).to.match(/; deploy a new stack/);
    }
  });

  // Application Load Balancers Guide, "Enable access logs for your Application Load Balancer": the
  // bucket is in the load balancer's Region and "The only server-side encryption option that's
  // supported is Amazon S3-managed keys (SSE-S3)"; the prefix "must not include AWSLogs"; the policy
  // grants s3:PutObject on bucket/prefix/AWSLogs/<account>/* to logdelivery.elasticloadbalancing.amazonaws.com
  // (Regions available as of August 2022 or later) or to the Region's ELB account (those before).
  it('15. access logs go where ELB can write them: an SSE-S3 bucket, a prefix without AWSLogs, both principals (both engines)', () => {
    for (const t of [template, codedeploy]) {
      const bucket = resource(t, 'AccessLogBucket').Properties;
      expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).to.deep.equal([
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ]);
      const attributes = resource(t, 'LoadBalancer').Properties.LoadBalancerAttributes as Record<string, unknown>[];
      const prefix = attributes
        .map((a) => (a['Fn::If'] as [string, { Key: string; Value: string }] | undefined)?.[1])
        .find((a) => a?.Key === 'access_logs.s3.prefix')?.Value;
      expect(prefix)
        .to.be.a('string')
        .and.not.match(/AWSLogs/i);
      const statements = resource(t, 'AccessLogBucketPolicy').Properties.PolicyDocument.Statement as Statement[];
      const written = `\${AccessLogBucket.Arn}/${prefix as string}/AWSLogs/\${AWS::AccountId}/*`;
      expect(statements[1]?.Principal).to.deep.equal({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
      expect(statements[1]?.Resource).to.deep.equal([{ 'Fn::Sub': written }]);
      expect(JSON.stringify(statements[2])).to.include('ElbAccountRegion').and.include('ElbLogAccounts');
      expect(t.Mappings['ElbLogAccounts']?.['us-east-1']).to.deep.equal({ Account: '127311923021' });
      expect(t.Mappings['ElbLogAccounts']).to.not.have.property('eu-central-2');
    }
  });

  describe('16. private tasks reach what Fargate needs through VPC endpoints, and no further (TaskSubnets Private)', () => {
    const resolved = (t: CfnTemplate) =>
      resolveConfiguration(t as unknown as JsonObject, { TaskSubnets: 'Private' })['Resources'] as Record<
        string,
        Loose
      >;
    const privately = resolved(template);
    const endpoints = Object.entries(privately).filter(([, r]) => r.Type === 'AWS::EC2::VPCEndpoint');
    const serviceName = (r: Loose): string =>
      subText(r.Properties.ServiceName).replace('com.amazonaws.${AWS::Region}.', '');
    const byService = (name: string) => endpoints.find(([, r]) => serviceName(r) === name)?.[1];

    // ECS Developer Guide, "Migrating to Linux platform version 1.4.0": with interface endpoints, images
    // in Amazon ECR need "com.amazonaws.region.ecr.dkr", "com.amazonaws.region.ecr.api" and "Amazon S3
    // gateway endpoint"; ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)" adds the
    // CloudWatch Logs endpoint for the awslogs driver. Secrets Manager and KMS serve the application.
    it('creates the ECR, logs, Secrets Manager and KMS interface endpoints and the S3 gateway endpoint, only with Private', () => {
      expect(endpoints.map(([, r]) => `${r.Properties.VpcEndpointType} ${serviceName(r)}`).sort()).to.deep.equal([
        'Gateway s3',
        'Interface ecr.api',
        'Interface ecr.dkr',
        'Interface kms',
        'Interface logs',
        'Interface secretsmanager',
      ]);
      const publicly = resolveConfiguration(template as unknown as JsonObject)['Resources'] as Record<string, Loose>;
      expect(Object.values(publicly).filter((r) => r.Type === 'AWS::EC2::VPCEndpoint')).to.deep.equal([]);
    });

    // ECR User Guide, same page: "The security group attached to the VPC endpoint must allow incoming
    // connections on port 443 from the private subnet of the VPC"; and "VPC endpoints currently only
    // support AWS provided DNS through Amazon Route 53", so the VPC resolves the private DNS names.
    it('admits 443 from the tasks to the interface endpoints, in the tasks’ subnets, with private DNS in a VPC that resolves it', () => {
      const ingress = Object.values(privately).filter(
        (r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties.GroupId.Ref === 'EndpointSecurityGroup',
      );
      expect(
        ingress.map((r) => [r.Properties.FromPort, r.Properties.ToPort, r.Properties.SourceSecurityGroupId]),
      ).to.deep.equal([[443, 443, { Ref: 'ServiceSecurityGroup' }]]);
      const tasks = privately['Service'].Properties.NetworkConfiguration.AwsvpcConfiguration;
      expect(tasks.AssignPublicIp).to.equal('DISABLED');
      for (const [id, r] of endpoints.filter(([, e]) => e.Properties.VpcEndpointType === 'Interface')) {
        expect(r.Properties.PrivateDnsEnabled, id).to.equal(true);
        expect(r.Properties.SubnetIds, id).to.deep.equal(tasks.Subnets);
        expect(r.Properties.SecurityGroupIds, id).to.deep.equal([{ Ref: 'EndpointSecurityGroup' }]);
      }
      expect(privately['Vpc'].Properties).to.include({ EnableDnsHostnames: true, EnableDnsSupport: true });
    });

    // ECR User Guide, "Minimum Amazon S3 bucket permissions for Amazon ECR": the gateway endpoint policy
    // allows s3:GetObject on arn:aws:s3:::prod-region-starport-layer-bucket/*, where ECR keeps layers.
    it('the S3 gateway endpoint sits on the private route table and admits only the Region’s ECR layer bucket', () => {
      const s3 = byService('s3');
      expect(s3.Properties.RouteTableIds).to.deep.equal([{ Ref: 'PrivateRouteTable' }]);
      expect(s3.Properties.PolicyDocument.Statement).to.deep.equal([
        {
          Sid: 'EcrImageLayers',
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject'],
          Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*' }],
        },
      ]);
      const routes = Object.values(privately).filter(
        (r) => r.Type === 'AWS::EC2::Route' && r.Properties.RouteTableId.Ref === 'PrivateRouteTable',
      );
      expect(routes, 'no route from the private subnets to the internet gateway').to.deep.equal([]);
    });

    // ECR API Reference, GetAuthorizationToken: the action takes no resource (Resource "*"); the pull
    // actions take the repository ARN. Endpoint policies admit this stack's resources and nothing else.
    it('each interface endpoint admits this account only, on this stack’s repository, log group, key and secrets', () => {
      const resources = (name: string) =>
        (byService(name).Properties.PolicyDocument.Statement as Statement[]).map((s) => [s.Action, s.Resource]);
      for (const ecr of ['ecr.api', 'ecr.dkr']) {
        expect(resources(ecr), ecr).to.deep.equal([
          [
            ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            [{ 'Fn::GetAtt': ['ImageRepository', 'Arn'] }],
          ],
          [['ecr:GetAuthorizationToken'], '*'],
        ]);
      }
      expect(resources('logs')).to.deep.equal([
        [['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::Sub': '${ServiceLogGroup.Arn}' }]],
      ]);
      expect(resources('kms')[0]?.[1]).to.deep.equal([{ 'Fn::GetAtt': ['PipelineKey', 'Arn'] }]);
      expect(resources('secretsmanager')[0]?.[1]).to.deep.equal([
        {
          'Fn::Sub':
            // The example suffix (dev), resolved: the application's own namespace, nothing after the suffix but /.
            'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:cicd-app-dev/*',
        },
      ]);
      for (const [id, r] of endpoints.filter(([, e]) => e.Properties.VpcEndpointType === 'Interface')) {
        for (const s of r.Properties.PolicyDocument.Statement as Statement[]) {
          expect(s.Condition, id).to.deep.equal({
            StringEquals: { 'aws:PrincipalAccount': { 'Fn::Sub': '${AWS::AccountId}' } },
          });
        }
      }
    });

    // CloudFormation template reference, AWS::EC2::VPCEndpoint return values (cfn-lint's schema, read
    // here): CreationTimestamp, DnsEntries, Id, NetworkInterfaceIds — no prefix-list ID, and the S3 prefix
    // list's ID differs by Region. So the tasks' HTTPS egress to S3 stays 0.0.0.0/0, which the private
    // route table confines to the VPC and the S3 gateway endpoint.
    it('the tasks’ egress names the endpoint group, and S3 by CIDR because the endpoint returns no prefix-list ID', () => {
      const attributes = venvPython<string[]>(
        [
          'import json, os, cfnlint',
          "base = os.path.join(os.path.dirname(cfnlint.__file__), 'data', 'schemas')",
          "providers = json.load(open(os.path.join(base, 'providers', 'us-east-1.json')))",
          "schema = json.load(open(os.path.join(base, 'resources', providers['AWS::EC2::VPCEndpoint'] + '.json')))",
          "print(json.dumps(sorted(p.split('/')[-1] for p in schema['readOnlyProperties'])))",
        ].join('\n'),
      );
      expect(attributes.filter((a) => /prefix/i.test(a))).to.deep.equal([]);
      const egress = privately['ServiceSecurityGroup'].Properties.SecurityGroupEgress as Loose[];
      expect(egress.map((e) => e.DestinationSecurityGroupId ?? e.CidrIp)).to.deep.equal([
        { Ref: 'EndpointSecurityGroup' },
        '0.0.0.0/0',
      ]);
      expect(egress.every((e) => e.FromPort === 443 && e.ToPort === 443)).to.equal(true);
    });

    // ECS API Reference, UpdateService (rule 2 above): a CODE_DEPLOY service takes no new network
    // configuration from a stack update, so the CodeDeploy engine fixes TaskSubnets after creation.
    it('TaskSubnets may change on an ECS-engine stack and is fixed after creation on a CodeDeploy one', () => {
      expect(fixedAfterCreate(template)).to.not.have.property('TaskSubnets');
      expect(fixedAfterCreate(codedeploy)['TaskSubnets']).to.match(/CODE_DEPLOY/);
      // The same in the team's own VPC: the tasks' subnets are PrivateSubnetIds there.
      const ownVpc = renderedPipeline(parseConfig({ network: 'existing', deployment: { engine: 'codedeploy' } }));
      const network = resource(ownVpc, 'Service').Properties.NetworkConfiguration;
      expect(parametersIn(ownVpc, network)).to.include('PrivateSubnetIds');
      expect(fixedAfterCreate(ownVpc)['PrivateSubnetIds']).to.match(/CODE_DEPLOY/);
      expect(fixedAfterCreate(renderedPipeline(OWN_VPC_CONFIG))).to.not.have.property('PrivateSubnetIds');
    });
  });

  it('the committed templates are the ones these rules were checked on', () => {
    expect(committedTemplate()).to.deep.equal(template);
    expect(committedTemplate('codedeploy/cicd-pipeline.yaml')).to.deep.equal(codedeploy);
  });
});

/** Template parameters a property value names (`!Ref P`, `${P}` in `!Sub`, and through an `!If`'s condition). */
function parametersIn(t: CfnTemplate, value: unknown): string[] {
  const parameters = new Set(Object.keys(t.Parameters));
  const found = new Set<string>();
  for (const node of walk(value as never)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const branch = (node as { 'Fn::If'?: unknown[] })['Fn::If'];
    const condition = (node as { Condition?: unknown }).Condition;
    const named = Array.isArray(branch) ? branch[0] : condition;
    if (typeof named === 'string' && t.Conditions?.[named] !== undefined) {
      for (const p of parametersIn(t, t.Conditions[named])) found.add(p);
    }
    const ref = (node as { Ref?: unknown }).Ref;
    if (typeof ref === 'string' && parameters.has(ref)) found.add(ref);
    const sub = (node as { 'Fn::Sub'?: unknown })['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') {
      for (const m of text.matchAll(/\$\{(\w+)\}/g)) if (parameters.has(m[1] as string)) found.add(m[1] as string);
    }
  }
  return [...found];
}
