// Build once, promote through environments: the pipeline template and the environment template
// `npm run build` writes for configs/environments.json (beta, gamma, prod with approval), read
// together. The pipeline names every resource of an environment it acts on by name; each test
// resolves both templates for one pipeline suffix and holds those names to what the environment
// template creates at `<suffix>-<environment>`.
import { expect } from 'chai';
import type { Json, JsonObject } from '../src/model/json.js';
import { approverPolicyId, Ids, MAX_SUFFIX_LENGTH, Params } from '../src/naming.js';
import { DEPLOY_ENVIRONMENTS_KEY, DEPLOY_METADATA_KEY } from '../src/parameters/spec.js';
import { BAKE_ALARMS } from '../src/environments.js';
import { resolveConfiguration } from './configurations.js';
import type { CfnTemplate } from './helpers.js';
import { ENVIRONMENTS_CONFIG, renderedEnvironment, renderedPipeline } from './helpers.js';

const PIPELINE_SUFFIX = 'shop';
const ENVIRONMENTS = (ENVIRONMENTS_CONFIG.environments ?? []).map((e) => e.name);

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resolved = (template: CfnTemplate, values: Record<string, string>): Loose =>
  resolveConfiguration(template as unknown as JsonObject, values) as Loose;

const pipelineTemplate = renderedPipeline(ENVIRONMENTS_CONFIG);
const environmentTemplate = renderedEnvironment();
const pipeline = resolved(pipelineTemplate, { EnvironmentSuffix: PIPELINE_SUFFIX });
const environment = (name: string) =>
  resolved(environmentTemplate, { EnvironmentSuffix: `${PIPELINE_SUFFIX}-${name}`, PipelineSuffix: PIPELINE_SUFFIX });

const stages = (): Loose[] => pipeline['Resources'][Ids.Pipeline].Properties.Stages as Loose[];
const stage = (name: string): Loose => stages().find((s) => s.Name === name) as Loose;
const action = (stageName: string, actionName: string): Loose =>
  (stage(stageName).Actions as Loose[]).find((a) => a.Name === actionName) as Loose;
const capital = (name: string) => `${name[0]?.toUpperCase()}${name.slice(1)}`;
/** Statements of the pipeline role, by Sid. */
const pipelineGrant = (sid: string): Loose =>
  (pipeline['Resources'][Ids.PipelineRole].Properties.Policies as Loose[])
    .flatMap((p) => p.PolicyDocument.Statement as Loose[])
    .find((s) => s.Sid === sid) as Loose;
const variables = (a: Loose): Record<string, string> =>
  Object.fromEntries(
    (JSON.parse(a.Configuration.EnvironmentVariables as string) as { name: string; value: string }[]).map((v) => [
      v.name,
      v.value,
    ]),
  );
/** `!Sub` texts left with pseudo parameters, as the resolver keeps them. */
const text = (v: Json): string => (typeof v === 'string' ? v : ((v as Loose)['Fn::Sub'] as string));

describe('environments: build once, promote through environments', () => {
  it('runs Source, Build, Test and SecurityScan once, then one stage per environment in promotion order', () => {
    expect(stages().map((s) => s.Name)).to.deep.equal([
      'Source',
      'Build',
      'Test',
      'SecurityScan',
      ...ENVIRONMENTS.map(capital),
    ]);
  });

  it('builds the image once: one action writes BuildOutput, and every release reads that artifact', () => {
    const all = stages().flatMap((s) => (s.Actions as Loose[]).map((a) => ({ stage: s.Name as string, a })));
    const writers = all.filter(({ a }) => (a.OutputArtifacts ?? []).some((o: Loose) => o.Name === 'BuildOutput'));
    expect(writers.map(({ stage: s, a }) => `${s}/${a.Name}`)).to.deep.equal(['Build/Build']);
    for (const name of ENVIRONMENTS) {
      expect(action(capital(name), 'PrepareRelease').InputArtifacts).to.deep.equal([{ Name: 'BuildOutput' }]);
    }
    // No environment stage runs the image build, and no project it runs may push an image.
    const projectsAfterScan = all
      .filter(({ stage: s }) => ENVIRONMENTS.map(capital).includes(s))
      .flatMap(({ a }) => (a.Configuration.ProjectName === undefined ? [] : [a.Configuration.ProjectName as Loose]))
      .map((p) => (p as { Ref: string }).Ref);
    expect(projectsAfterScan).to.not.include('BuildProject');
    for (const id of new Set(projectsAfterScan)) {
      const role = pipeline['Resources'][id.replace(/Project$/, 'Role')];
      const actions = JSON.stringify(role.Properties.Policies);
      expect(actions, id).to.not.match(/ecr:PutImage|ecr:InitiateLayerUpload/);
    }
  });

  it('releases the digest the build wrote: the release reads imageDetail.json and never builds, the approval names it', () => {
    const release = JSON.stringify(pipeline['Resources']['ReleaseProject'].Properties.Source.BuildSpec);
    expect(release).to.include('imageDetail.json');
    expect(release).to.not.match(/docker (build|push)|buildx/);
    expect(pipeline['Resources']['ReleaseProject'].Properties.Environment.PrivilegedMode).to.not.equal(true);
    expect(text(action('Prod', 'Approve').Configuration.CustomData)).to.match(/@#\{BuildVariables\.IMAGE_DIGEST\}/);
    expect(action('Build', 'Build').Namespace).to.equal('BuildVariables');
  });

  it('asks a person before exactly the environments marked approval, first in their stage', () => {
    for (const e of ENVIRONMENTS_CONFIG.environments ?? []) {
      const actions = stage(capital(e.name)).Actions as Loose[];
      const approvals = actions.filter((a) => a.ActionTypeId.Category === 'Approval');
      expect(approvals.length, e.name).to.equal(e.approval ? 1 : 0);
      if (!e.approval) continue;
      expect(approvals[0]?.RunOrder).to.equal(1);
      expect(Math.min(...actions.filter((a) => a !== approvals[0]).map((a) => a.RunOrder as number))).to.equal(2);
      expect(approvals[0]?.Configuration.NotificationArn).to.deep.equal({ Ref: Ids.NotificationTopic });
      expect(approvals[0]?.Configuration.ExternalEntityLink).to.match(
        /^https:\/\/github\.com\/example-org\/example-app\/commit\/#\{BuildVariables\.IMAGE_TAG\}$/,
      );
    }
  });

  it('gives the approvers of an environment a policy for that approval action alone, as an output', () => {
    const id = approverPolicyId('prod');
    const statements = pipeline['Resources'][id].Properties.PolicyDocument.Statement as Loose[];
    const approve = statements.find((s) => (s.Action as string[]).includes('codepipeline:PutApprovalResult'));
    expect(approve?.Action).to.deep.equal(['codepipeline:PutApprovalResult']);
    expect((approve?.Resource as Json[]).map(text)).to.deep.equal([
      `arn:\${AWS::Partition}:codepipeline:\${AWS::Region}:\${AWS::AccountId}:cicd-pipeline-${PIPELINE_SUFFIX}/Prod/Approve`,
    ]);
    expect(
      statements.flatMap((s) => s.Action as string[]).filter((a) => a === 'codepipeline:PutApprovalResult'),
    ).to.have.length(1);
    expect(pipeline['Outputs']['ProdApproversPolicyArn'].Value).to.deep.equal({ Ref: id });
    for (const name of ['beta', 'gamma']) expect(pipeline['Resources'][approverPolicyId(name)]).to.equal(undefined);
  });

  // Stage conditions and rollback are V2-pipeline features (CodePipeline User Guide, "Stage
  // conditions" and "How do stage conditions work?"): OnFailure ROLLBACK re-runs the stage with the
  // last successful execution's artifacts; an OnSuccess CloudWatchAlarm rule fails the stage while
  // its alarm is in ALARM after WaitTime minutes.
  it('rolls a failed environment stage back, and succeeds a stage only after its alarms stay quiet for the bake time', () => {
    expect(pipeline['Resources'][Ids.Pipeline].Properties.PipelineType).to.equal('V2');
    for (const name of ENVIRONMENTS) {
      const s = stage(capital(name));
      expect(s.OnFailure).to.deep.equal({ Result: 'ROLLBACK' });
      const [condition] = s.OnSuccess.Conditions as Loose[];
      expect(condition?.Result).to.equal('FAIL');
      const rules = condition?.Rules as Loose[];
      expect(rules.map((r) => r.RuleTypeId)).to.deep.equal(
        BAKE_ALARMS.map(() => ({ Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' })),
      );
      // CodePipeline takes at most five rules in a condition (API Condition: rules, 1-5 items).
      expect(rules.length).to.be.within(1, 5);
      expect(rules.map((r) => r.Configuration.WaitTime)).to.deep.equal(BAKE_ALARMS.map(() => 10));
      // Each rule names an alarm the environment creates; the four a deployment rolls back on.
      const created = Object.values(environment(name)['Resources'] as Loose)
        .filter((r: Loose) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmActions !== undefined)
        .map((r: Loose) => r.Properties.AlarmName as string);
      const named = rules.map((r) => r.Configuration.AlarmName as string);
      expect(created).to.include.members(named);
      const rollbackAlarms = (
        environment(name)['Resources'][Ids.Service].Properties.DeploymentConfiguration.Alarms.AlarmNames as Loose[]
      ).map((a) => environment(name)['Resources'][a.Ref].Properties.AlarmName);
      expect(named.sort()).to.deep.equal([...rollbackAlarms].sort());
    }
    // The pipeline role reads exactly those alarms (the rules run with it).
    const read = (pipelineGrant('ReadTheBakeAlarms').Resource as Json[]).map(text).sort();
    const expected = ENVIRONMENTS.flatMap((name) =>
      BAKE_ALARMS.map(
        (type) =>
          `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:cicd-${type}-${PIPELINE_SUFFIX}-${name}`,
      ),
    ).sort();
    expect(read).to.deep.equal(expected);
  });

  it("updates each environment's own stack, and the names it passes and updates are the environment's", () => {
    for (const name of ENVIRONMENTS) {
      const env = environment(name)['Resources'] as Loose;
      const stackName = `cicd-environment-${PIPELINE_SUFFIX}-${name}`;
      expect(variables(action(capital(name), 'PrepareRelease')).STACK_NAME).to.equal(stackName);
      expect(action(capital(name), 'Deploy').Configuration.StackName).to.equal(stackName);
      expect(action(capital(name), 'Deploy').Configuration.ActionMode).to.equal('CHANGE_SET_EXECUTE');
      const passed = (pipelineGrant('PassOnlyTheTaskRoles').Resource as Json[]).map(text);
      for (const role of [Ids.TaskExecutionRole, Ids.TaskRole]) {
        expect(passed).to.include(
          `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${text(env[role].Properties.RoleName as Json)}`,
        );
      }
      const deploymentRoles = (pipelineGrant('PassOnlyTheDeploymentRoles').Resource as Json[]).map(text);
      expect(deploymentRoles).to.include(
        `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${text(env[Ids.LoadBalancerInfrastructureRole].Properties.RoleName as Json)}`,
      );
      const family = env[Ids.TaskDefinition].Properties.Family as string;
      expect((pipelineGrant('RegisterRevisionsOfTheTaskFamily').Resource as Json[]).map(text)).to.include(
        `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/${family}:*`,
      );
      const service = `${env[Ids.Cluster].Properties.ClusterName as string}/${env[Ids.Service].Properties.ServiceName as string}`;
      expect((pipelineGrant('UpdateThisService').Resource as Json[]).map(text)).to.include(
        `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/${service}`,
      );
      const prepare = pipeline['Resources']['ReleaseRole'].Properties.Policies as Loose[];
      const stacks = prepare
        .flatMap((p) => p.PolicyDocument.Statement as Loose[])
        .find((s) => s.Sid === 'PrepareTheReleaseChangeSet')?.Resource as Json[];
      expect(stacks.map(text)).to.include(
        `arn:\${AWS::Partition}:cloudformation:\${AWS::Region}:\${AWS::AccountId}:stack/${stackName}/*`,
      );
    }
  });

  it('tests each environment after its release, against the URL its stack outputs', () => {
    expect(environmentTemplate.Outputs?.['ProductionUrl']).to.not.equal(undefined);
    for (const name of ENVIRONMENTS) {
      const deploy = action(capital(name), 'Deploy');
      expect(deploy.Namespace).to.equal(`${capital(name)}Release`);
      for (const tests of ['IntegrationTests', 'AcceptanceTests']) {
        const a = action(capital(name), tests);
        expect(variables(a).SERVICE_URL).to.equal(`#{${`${capital(name)}Release`}.ProductionUrl}`);
        expect(a.RunOrder).to.be.greaterThan(deploy.RunOrder as number);
        expect(a.InputArtifacts).to.deep.equal([{ Name: 'SourceOutput' }]);
      }
    }
    expect(pipelineTemplate.Parameters?.[Params.AcceptanceTestBuildspec]).to.not.equal(undefined);
  });

  it("lets each environment's tasks pull from the pipeline's repository and no other", () => {
    const repository = pipeline['Resources'][Ids.ImageRepository].Properties.RepositoryName as string;
    for (const name of ENVIRONMENTS) {
      const role = environment(name)['Resources'][Ids.TaskExecutionRole].Properties.Policies as Loose[];
      const pull = role.flatMap((p) => p.PolicyDocument.Statement as Loose[]).find((s) => s.Sid === 'PullImage');
      expect((pull?.Resource as Json[]).map(text)).to.deep.equal([
        `arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${repository}`,
      ]);
    }
  });

  it('keeps each environment suffix within every physical name limit: the pipeline suffix leaves room for the longest name', () => {
    const longest = Math.max(...ENVIRONMENTS.map((n) => n.length));
    const pipelineMax = pipelineTemplate.Parameters?.[Params.EnvironmentSuffix].MaxLength as number;
    expect(pipelineMax).to.equal(MAX_SUFFIX_LENGTH - 1 - longest);
    expect(environmentTemplate.Parameters?.[Params.EnvironmentSuffix].MaxLength).to.equal(MAX_SUFFIX_LENGTH);
    expect(pipelineMax + 1 + longest).to.equal(MAX_SUFFIX_LENGTH);
  });

  it('splits the parameters: the pipeline has no service settings, the environment no source or build settings', () => {
    const pipelineParameters = Object.keys(pipelineTemplate.Parameters ?? {});
    const environmentParameters = Object.keys(environmentTemplate.Parameters ?? {});
    for (const p of [Params.Image, Params.TaskSize, Params.ContainerPort, Params.DeploymentStrategy]) {
      expect(pipelineParameters).to.not.include(p);
      expect(environmentParameters).to.include(p);
    }
    for (const p of [Params.GitHubOwner, Params.CodeConnectionArn, Params.UnitTestBuildspec, Params.BakeMinutes]) {
      expect(environmentParameters).to.not.include(p);
      expect(pipelineParameters).to.include(p);
    }
  });

  it('tells `cfn-cicd deploy` the environments, in order, in both templates', () => {
    for (const t of [pipelineTemplate, environmentTemplate]) {
      expect(t.Metadata?.[DEPLOY_METADATA_KEY][DEPLOY_ENVIRONMENTS_KEY]).to.deep.equal(
        ENVIRONMENTS_CONFIG.environments,
      );
    }
  });
});
