// AWS behaviour no local tool checks: what an API refuses, what a key policy must allow, what a
// service does on update. Each test names the rule and the AWS document it comes from; each failed
// on the template before the fix it guards.
import { expect } from 'chai';
import yaml from 'js-yaml';
import type { JsonObject } from '../src/model/json.js';
import {
  committedTemplate,
  emittedTemplates,
  renderedPipeline,
  resource,
  resourcesOfType,
  subText,
  walk,
} from './helpers.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, unknown>;
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const template = renderedPipeline();
const keyStatements = (): Statement[] =>
  resource(template, 'PipelineKey').Properties.KeyPolicy.Statement as Statement[];
const fixedAfterCreate = (): Record<string, string> => template.Metadata['cfn-cicd'].FixedAfterCreate;
/** A project's buildspec text: plain, or the text of its `!Sub`. */
const buildspec = (id: string): string => {
  const value = resource(template, id).Properties.Source.BuildSpec;
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
    const service = resource(template, 'Service');
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
      expect(resource(template, 'TaskDefinition').Properties.Family).to.deep.equal(service.Properties.TaskDefinition);
    });

    it('every parameter a refused property depends on is fixed after creation, with what to do instead', () => {
      const behind = new Set(refusedProperties.flatMap((p) => parametersIn(service.Properties[p])));
      expect([...behind], 'the check follows parameters').to.include.members(['ContainerName', 'ContainerPort']);
      const fixed = fixedAfterCreate();
      expect([...behind].filter((p) => !(p in fixed))).to.deep.equal([]);
      for (const [name, why] of Object.entries(fixed)) expect(why, name).to.match(/; (deploy|push) /);
    });
  });

  // CloudFormation template reference, "Name type": "You can't perform an update that causes a
  // custom-named resource to be replaced." The target groups are named; Port and the VPC replace them.
  it('2. a parameter that replaces a named target group is fixed after creation', () => {
    for (const [id, group] of resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
      expect(group.Properties.Name, id).to.not.equal(undefined);
      const replacing = ['Port', 'Protocol', 'VpcId', 'TargetType'].flatMap((p) => parametersIn(group.Properties[p]));
      expect(
        replacing.filter((p) => !(p in fixedAfterCreate())),
        id,
      ).to.deep.equal([]);
    }
  });

  describe('3. CodeDeploy moves the listeners between the target groups', () => {
    // CodeDeploy User Guide, "Blue/green deployments for Amazon ECS": traffic is rerouted by changing
    // the listeners' target group, so after an odd number of deployments production is on green.
    it('an update that would re-send a listener (its port) is refused before any change set', () => {
      expect(fixedAfterCreate()).to.include.keys('ProductionPort', 'TestPort');
    });

    it('both listeners depend on both groups, so a stack delete removes them before either group', () => {
      for (const id of ['ProductionListener', 'TestListener']) {
        const listener = resource(template, id);
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
    const spec = yaml.load(buildspec('BuildProject')) as { phases: { post_build: { commands: string[] } } };
    const writer = spec.phases.post_build.commands.find((c) => c.startsWith('cat > appspec.yaml')) ?? '';
    const written = /<<'APPSPEC'\n([^]*?)\nAPPSPEC/.exec(writer)?.[1] ?? '';
    const appspec = yaml.load(written.replace(/\$\{(\w+)\}/g, '1')) as {
      Resources: { TargetService: { Properties: { CapacityProviderStrategy: { CapacityProvider: string }[] } } }[];
    };
    expect(
      appspec.Resources[0]?.TargetService.Properties.CapacityProviderStrategy.map((s) => s.CapacityProvider),
    ).to.deep.equal(['FARGATE', 'FARGATE_SPOT']);
    const vars = resource(template, 'BuildProject').Properties.Source.BuildSpec['Fn::Sub'][1];
    expect(vars.SpotWeight).to.deep.equal({ 'Fn::FindInMap': ['SpotShares', { Ref: 'FargateSpotShare' }, 'Spot'] });
    const cluster = resource(template, 'Cluster').Properties;
    expect(cluster.DefaultCapacityProviderStrategy[1]).to.deep.include({
      CapacityProvider: 'FARGATE_SPOT',
      Weight: vars.SpotWeight,
    });
    expect(fixedAfterCreate()).to.not.have.property('FargateSpotShare');
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
      expect(template.Rules.DistinctListenerPorts.Assertions[0].Assert).to.deep.equal({
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
      for (const p of principals) expect(p, 'a global principal').to.match(/^[a-z-]+\.amazonaws\.com$/);
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
      const ingress = resource(template, 'LoadBalancerSecurityGroup').Properties.SecurityGroupIngress as JsonObject[];
      expect(ingress.find((r) => JSON.stringify(r['FromPort']) === '{"Ref":"TestPort"}')?.['CidrIp']).to.deep.equal({
        Ref: 'TestTrafficCidr',
      });
      expect(template.Parameters.TestTrafficCidr.Default).to.equal(resource(template, 'Vpc').Properties.CidrBlock);
    });
  });

  it('the committed template is the one these rules were checked on', () => {
    expect(committedTemplate()).to.deep.equal(template);
  });
});

/** Template parameters a property value names directly (`!Ref P`, `${P}` in `!Sub`). */
function parametersIn(value: unknown): string[] {
  const parameters = new Set(Object.keys(template.Parameters));
  const found = new Set<string>();
  for (const node of walk(value as never)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
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
