// The target-account bootstrap on moto, across accounts: moto keeps a separate world per account and
// hands out credentials in another account through sts assume-role into arn:aws:iam::<account>:role/<any>
// (moto's multi-account support). The real aws CLI deploys the committed bootstrap into 222222222222,
// creates the environment's stack there with the execution role as --role-arn, releases into it as the
// deploy role (assumed from the tools account, 111111111111), then validates the StackSet template and
// creates its StackSets from the tools account: gamma's self-managed with its stack instance, prod's
// service-managed.
// What moto cannot show: IAM evaluation (it runs no trust or permission policy: assume-role succeeds
// for any ARN, so the aws:PrincipalArn trust and the deploy role's permissions are held by
// test/bootstrap.test.ts, parliament and the IAM audit); the stack instances of a service-managed
// StackSet (moto resolves its targets through its own Organizations model, whose member accounts get
// generated IDs, never 333333333333); AutoDeployment and ManagedExecution (moto keeps neither;
// test/bootstrap.test.ts holds them); the AWS::CloudFormation::StackSet resource type (moto does not
// model it, so the StackSets are created with the CLI from the template's own properties); and the
// 51,200-byte limit of a --template-body request (moto takes the StackSet template inline; AWS needs
// it from S3). The environment stack is a stand-in of one resource (the environment template's own
// deploy on moto is test/deploy/moto-environments.test.ts): what is shown here is its service role and
// who releases into it.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGET_ROLE_PATH } from '../../src/accounts.js';
import { BOOTSTRAP_STACKSET_TEMPLATE_FILE, TARGET_BOOTSTRAP_TEMPLATE_FILE } from '../../src/naming.js';
import { RELEASE_CHANGE_SET } from '../../src/resources/engines/ecs.js';
import { awsJson } from '../../src/tools/aws.js';
import type { CfnResource } from '../helpers.js';
import { committedPath, committedTemplate } from '../helpers.js';
import type { Moto } from '../moto.js';
import { MOTO_ENV, startMoto } from '../moto.js';

const TOOLS = '111111111111';
const BETA_ACCOUNT = '222222222222';
const PROD_ACCOUNT = '333333333333';
const SUFFIX = 'shop';
const BOOTSTRAP = `accounts/${TARGET_BOOTSTRAP_TEMPLATE_FILE}`;
const STACKSETS = `accounts/${BOOTSTRAP_STACKSET_TEMPLATE_FILE}`;

interface Credentials {
  Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
}
interface Stack {
  StackStatus: string;
  RoleARN?: string;
  Outputs?: { OutputKey: string; OutputValue: string }[];
  Parameters?: { ParameterKey: string; ParameterValue: string }[];
}
type Env = Readonly<Record<string, string>>;

/** A stand-in for the environment stack: one resource moto models, and the parameter a release sets. */
const ENVIRONMENT_STAND_IN = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { ReleaseId: { Type: 'String', Default: 'none' } },
  Resources: {
    Topic: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: `cicd-topic-${SUFFIX}-beta`, DisplayName: { Ref: 'ReleaseId' } },
    },
  },
});

describe('bootstrap on moto (the target account 222222222222, the tools account 111111111111)', function () {
  this.timeout(600_000);
  let moto: Moto;
  let dir: string;
  before(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-bootstrap-'));
  });
  after(() => moto?.stop());

  const call = <T>(env: Env, args: string[], region = moto.connection.region) =>
    awsJson<T>(args, { ...moto.connection, region }, { env });
  /** Credentials in `account`: assume-role into any role there, from the default (or given) credentials. */
  const as = async (account: string, roleArn = `arn:aws:iam::${account}:role/cfn-cicd-test`, from: Env = {}) => {
    const answer = await call<Credentials>(from, [
      'sts',
      'assume-role',
      '--role-arn',
      roleArn,
      '--role-session-name',
      'cfn-cicd-test',
    ]);
    return {
      AWS_ACCESS_KEY_ID: answer.Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: answer.Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: answer.Credentials.SessionToken,
    };
  };
  const stack = async (env: Env, name: string, region?: string) =>
    (await call<{ Stacks: Stack[] }>(env, ['cloudformation', 'describe-stacks', '--stack-name', name], region))
      .Stacks[0] as Stack;
  const output = (s: Stack, key: string) => s.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
  const roles = async (env: Env) =>
    (await call<{ Roles: { Arn: string }[] }>(env, ['iam', 'list-roles'])).Roles.map((r) => r.Arn).sort();
  const bootstrapRoles = (account: string, environment: string) =>
    ['cfn-exec-role', 'deploy-role'].map(
      (type) => `arn:aws:iam::${account}:role${TARGET_ROLE_PATH}cicd-${type}-${SUFFIX}-${environment}`,
    );

  let beta: Env;
  let executionRoleArn: string;

  it('moto answers in another account for credentials assumed into it', async () => {
    beta = await as(BETA_ACCOUNT);
    const identity = await call<{ Account: string }>(beta, ['sts', 'get-caller-identity']);
    expect(identity.Account).to.equal(BETA_ACCOUNT);
    expect(MOTO_ENV.AWS_ACCESS_KEY_ID).to.not.equal(beta['AWS_ACCESS_KEY_ID']);
  });

  it('deploys the bootstrap into 222222222222 with the aws CLI: both roles, under the bootstrap path', async () => {
    await call(beta, [
      'cloudformation',
      'create-stack',
      '--stack-name',
      `cicd-bootstrap-${SUFFIX}-beta`,
      '--template-body',
      `file://${committedPath(BOOTSTRAP)}`,
      '--parameters',
      `ParameterKey=PipelineSuffix,ParameterValue=${SUFFIX}`,
      'ParameterKey=EnvironmentName,ParameterValue=beta',
      'ParameterKey=Regions,ParameterValue=us-east-1',
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
    ]);
    await call(beta, [
      'cloudformation',
      'wait',
      'stack-create-complete',
      '--stack-name',
      `cicd-bootstrap-${SUFFIX}-beta`,
    ]);
    const created = await stack(beta, `cicd-bootstrap-${SUFFIX}-beta`);
    expect(created.StackStatus).to.equal('CREATE_COMPLETE');
    const [execution, deploy] = bootstrapRoles(BETA_ACCOUNT, 'beta') as [string, string];
    expect(output(created, 'DeployRoleArn')).to.equal(deploy);
    expect(output(created, 'ExecutionRoleArn')).to.equal(execution);
    executionRoleArn = execution;
    expect(await roles(beta)).to.deep.equal([execution, deploy].sort());
    // The other accounts hold nothing of it.
    expect((await roles(await as(TOOLS))).filter((r) => r.includes('cicd-'))).to.deep.equal([]);
    const policies = await call<{ Policies: { Arn: string }[] }>(beta, ['iam', 'list-policies', '--scope', 'Local']);
    expect(policies.Policies.map((p) => p.Arn)).to.include(
      `arn:aws:iam::${BETA_ACCOUNT}:policy${TARGET_ROLE_PATH}cicd-cfn-exec-1-${SUFFIX}-beta`,
    );
  });

  it('creates the environment stack there with the execution role as --role-arn', async () => {
    // From S3, as `cfn-cicd deploy` uploads a template: moto serves --use-previous-template only for those.
    const bucket = `cicd-templates-${BETA_ACCOUNT}`;
    const template = join(dir, 'environment.json');
    await writeFile(template, ENVIRONMENT_STAND_IN);
    await call(beta, ['s3api', 'create-bucket', '--bucket', bucket]);
    await call(beta, ['s3api', 'put-object', '--bucket', bucket, '--key', 'environment.json', '--body', template]);
    const local = new URL(moto.connection.endpointUrl);
    local.hostname = 'localhost';
    await call(beta, [
      'cloudformation',
      'create-stack',
      '--stack-name',
      `cicd-environment-${SUFFIX}-beta`,
      '--template-url',
      `${local.origin}/${bucket}/environment.json`,
      '--role-arn',
      executionRoleArn,
    ]);
    await call(beta, [
      'cloudformation',
      'wait',
      'stack-create-complete',
      '--stack-name',
      `cicd-environment-${SUFFIX}-beta`,
    ]);
    const created = await stack(beta, `cicd-environment-${SUFFIX}-beta`);
    expect(created.StackStatus).to.equal('CREATE_COMPLETE');
    expect(created.RoleARN).to.equal(executionRoleArn);
  });

  it('releases into it as the deploy role, assumed from the tools account; the stack keeps its execution role', async () => {
    const tools = await as(TOOLS);
    const [, deployRoleArn] = bootstrapRoles(BETA_ACCOUNT, 'beta') as [string, string];
    const deploy = await as(BETA_ACCOUNT, deployRoleArn, tools);
    const target = ['--stack-name', `cicd-environment-${SUFFIX}-beta`, '--change-set-name', RELEASE_CHANGE_SET];
    await call(deploy, [
      'cloudformation',
      'create-change-set',
      ...target,
      // As scripts/release.ts asks for it: the stack's own template, new parameter values.
      '--change-set-type',
      'UPDATE',
      '--use-previous-template',
      '--parameters',
      'ParameterKey=ReleaseId,ParameterValue=r1',
    ]);
    await call(deploy, ['cloudformation', 'wait', 'change-set-create-complete', ...target]);
    await call(deploy, ['cloudformation', 'execute-change-set', ...target]);
    await call(deploy, [
      'cloudformation',
      'wait',
      'stack-update-complete',
      '--stack-name',
      `cicd-environment-${SUFFIX}-beta`,
    ]);
    const released = await stack(beta, `cicd-environment-${SUFFIX}-beta`);
    expect(released.Parameters).to.deep.equal([{ ParameterKey: 'ReleaseId', ParameterValue: 'r1' }]);
    expect(released.RoleARN).to.equal(executionRoleArn);
  });

  describe('the StackSet template, from the tools account', () => {
    const template = committedTemplate(STACKSETS);
    const sets = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudFormation::StackSet');
    /** A StackSet's properties as CloudFormation resolves them for PipelineSuffix and the permission model. */
    const resolved = (set: CfnResource, serviceManaged: boolean) => {
      const branch = (node: { 'Fn::If': [string, unknown, unknown] }) => node['Fn::If'][serviceManaged ? 1 : 2];
      const p = set.Properties;
      const group = p.StackInstancesGroup[0];
      return {
        name: String(p.StackSetName['Fn::Sub']).replace('${PipelineSuffix}', SUFFIX),
        body: p.TemplateBody as string,
        // As JSON: the shorthand would split a Regions value at its commas.
        parameters: JSON.stringify(
          (p.Parameters as { ParameterKey: string; ParameterValue: unknown }[]).map((q) => ({
            ParameterKey: q.ParameterKey,
            ParameterValue: typeof q.ParameterValue === 'string' ? q.ParameterValue : SUFFIX,
          })),
        ),
        regions: group.Regions as string[],
        targets: branch(group.DeploymentTargets) as { Accounts: string[]; AccountFilterType?: string },
        preferences: Object.entries(p.OperationPreferences as Record<string, unknown>)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(','),
        managedExecution: `Active=${String(p.ManagedExecution.Active)}`,
      };
    };
    let tools: Env;
    before(async () => {
      tools = await as(TOOLS);
    });

    it('validates (aws cloudformation validate-template)', async () => {
      const answer = await call<{ Description: string }>(tools, [
        'cloudformation',
        'validate-template',
        '--template-body',
        `file://${committedPath(STACKSETS)}`,
      ]);
      expect(answer.Description).to.equal(template.Description);
      expect(sets).to.have.length(3);
    });

    it('creates gamma’s StackSet self-managed and its instance: the bootstrap lands in 222222222222, us-west-2', async () => {
      const gamma = resolved((sets[1] as [string, CfnResource])[1], false);
      expect(gamma.targets).to.deep.equal({ Accounts: [BETA_ACCOUNT] });
      const body = join(dir, 'gamma.yaml');
      await writeFile(body, gamma.body);
      expect(gamma.body).to.equal(readFileSync(committedPath(BOOTSTRAP), 'utf8'));
      await call(tools, [
        'cloudformation',
        'create-stack-set',
        '--stack-set-name',
        gamma.name,
        '--template-body',
        `file://${body}`,
        '--parameters',
        gamma.parameters,
        '--capabilities',
        'CAPABILITY_NAMED_IAM',
        '--permission-model',
        'SELF_MANAGED',
        '--managed-execution',
        gamma.managedExecution,
      ]);
      await call(tools, [
        'cloudformation',
        'create-stack-instances',
        '--stack-set-name',
        gamma.name,
        '--accounts',
        ...gamma.targets.Accounts,
        '--regions',
        ...gamma.regions,
        '--operation-preferences',
        gamma.preferences,
      ]);
      const instances = await call<{ Summaries: { Account: string; Region: string; Status: string }[] }>(tools, [
        'cloudformation',
        'list-stack-instances',
        '--stack-set-name',
        gamma.name,
      ]);
      expect(instances.Summaries.map((s) => [s.Account, s.Region, s.Status])).to.deep.equal([
        [BETA_ACCOUNT, 'us-west-2', 'CURRENT'],
      ]);
      expect(await roles(beta)).to.include.members(bootstrapRoles(BETA_ACCOUNT, 'gamma'));
    });

    it('creates prod’s StackSet service-managed, with its parameters', async () => {
      const prod = resolved((sets[2] as [string, CfnResource])[1], true);
      expect(prod.targets).to.deep.equal({
        OrganizationalUnitIds: { 'Fn::Split': [',', { Ref: 'OrganizationalUnitIds' }] },
        Accounts: [PROD_ACCOUNT],
        AccountFilterType: 'INTERSECTION',
      });
      const body = join(dir, 'prod.yaml');
      await writeFile(body, prod.body);
      await call(tools, [
        'cloudformation',
        'create-stack-set',
        '--stack-set-name',
        prod.name,
        '--template-body',
        `file://${body}`,
        '--parameters',
        prod.parameters,
        '--capabilities',
        'CAPABILITY_NAMED_IAM',
        '--permission-model',
        'SERVICE_MANAGED',
        '--auto-deployment',
        'Enabled=false',
        '--call-as',
        'SELF',
        '--managed-execution',
        prod.managedExecution,
      ]);
      // Its instances are not created here: moto finds a service-managed StackSet's accounts through
      // its Organizations model, whose member accounts get generated IDs, never 333333333333.
      const described = await call<{
        StackSet: {
          PermissionModel: string;
          Parameters: { ParameterKey: string; ParameterValue: string }[];
        };
      }>(tools, ['cloudformation', 'describe-stack-set', '--stack-set-name', prod.name, '--call-as', 'SELF']);
      expect(described.StackSet.PermissionModel).to.equal('SERVICE_MANAGED');
      expect(described.StackSet.Parameters).to.deep.include({
        ParameterKey: 'Regions',
        ParameterValue: 'us-east-1,eu-west-1',
      });
    });
  });
});
