// The target-account side of configs/accounts.json (beta and gamma in 222222222222, prod in
// 333333333333; the tools account 111111111111): the bootstrap each target account deploys once per
// environment, and the StackSets that deploy it, read back from the YAML the build writes.
import { expect } from 'chai';
import {
  placements,
  remoteEnvironments,
  remoteRegions,
  TARGET_ROLE_PATH,
  targetRoleArnText,
  TargetRoles,
} from '../src/accounts.js';
import { arnText } from '../src/intrinsics.js';
import {
  BOOTSTRAP_OPERATION_PREFERENCES,
  bootstrapStackSetTemplate,
  executionStatements,
  targetBootstrapTemplate,
} from '../src/bootstrap.js';
import { RESOURCE_TYPES } from '../src/cfn/types.js';
import type { BuildConfig } from '../src/config.js';
import { parseConfig } from '../src/config.js';
import { BAKE_ALARMS } from '../src/environments.js';
import type { Json } from '../src/model/json.js';
import { BOOTSTRAP_STACKSET_TEMPLATE_FILE, TARGET_BOOTSTRAP_TEMPLATE_FILE } from '../src/naming.js';
import { renderYaml } from '../src/render/yaml.js';
import { templatesFor } from '../src/template.js';
import type { CfnResource, CfnTemplate } from './helpers.js';
import {
  ACCOUNTS_CONFIG,
  ENVIRONMENTS_CONFIG,
  loadTemplate,
  renderedEnvironment,
  resource,
  resourcesOfType,
  subText,
  walk,
} from './helpers.js';

const TOOLS = '111111111111';
const TARGETS = ['222222222222', '333333333333'];
const bootstrapYaml = renderYaml(targetBootstrapTemplate(ACCOUNTS_CONFIG));
const bootstrap = loadTemplate(bootstrapYaml, TARGET_BOOTSTRAP_TEMPLATE_FILE);
const stackSets = loadTemplate(
  renderYaml(bootstrapStackSetTemplate(ACCOUNTS_CONFIG)),
  BOOTSTRAP_STACKSET_TEMPLATE_FILE,
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- statements are navigated loosely
type Loose = any;
const inlineStatements = (role: CfnResource): Loose[] => role.Properties.Policies[0].PolicyDocument.Statement;
const statement = (role: CfnResource, sid: string): Loose => {
  const found = inlineStatements(role).find((s: Loose) => s.Sid === sid);
  expect(found, sid).to.not.equal(undefined);
  return found;
};
/** Every string of a subtree, `!Sub` bodies included, with the path to it. */
function* strings(node: Json | undefined, path = ''): Generator<[string, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (Array.isArray(node)) for (const [i, item] of node.entries()) yield* strings(item, `${path}/${i}`);
  else if (node !== null && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) yield* strings(value, `${path}/${key}`);
}

describe('bootstrap: the target-account side (configs/accounts.json)', () => {
  describe('templatesFor', () => {
    it('writes the bootstrap and its StackSets only when an environment runs in another account', () => {
      expect(Object.keys(templatesFor(ACCOUNTS_CONFIG))).to.include.members([
        TARGET_BOOTSTRAP_TEMPLATE_FILE,
        BOOTSTRAP_STACKSET_TEMPLATE_FILE,
      ]);
      expect(Object.keys(templatesFor(ENVIRONMENTS_CONFIG))).to.not.include.members([TARGET_BOOTSTRAP_TEMPLATE_FILE]);
      expect(Object.keys(templatesFor(ENVIRONMENTS_CONFIG))).to.not.include.members([BOOTSTRAP_STACKSET_TEMPLATE_FILE]);
    });

    it('refuses to build a bootstrap for a config with no environment in another account', () => {
      expect(() => targetBootstrapTemplate(ENVIRONMENTS_CONFIG)).to.throw(/needs config.pipeline/);
      const home: BuildConfig = parseConfig({
        pipeline: { account: TOOLS, region: 'us-east-1' },
        environments: [{ name: 'beta', account: TOOLS }],
      });
      expect(remoteEnvironments(home)).to.deep.equal([]);
      expect(() => targetBootstrapTemplate(home)).to.throw(/needs an environment in another account/);
    });
  });

  describe('accounts.ts: where configs/accounts.json places each environment', () => {
    it('places beta and gamma in 222222222222 and prod in 333333333333, prod in two Regions one after another', () => {
      expect(
        placements(ACCOUNTS_CONFIG).map((p) => [p.stageName, p.account, p.region ?? 'home', p.namespace]),
      ).to.deep.equal([
        ['Beta', '222222222222', 'home', 'BetaRelease'],
        ['Gamma', '222222222222', 'us-west-2', 'GammaRelease'],
        ['Prod', '333333333333', 'home', 'ProdRelease'],
        ['Prod-eu-west-1', '333333333333', 'eu-west-1', 'ProdEuWest1Release'],
      ]);
      expect(remoteEnvironments(ACCOUNTS_CONFIG)).to.deep.equal([
        { name: 'beta', account: '222222222222' },
        { name: 'gamma', account: '222222222222' },
        { name: 'prod', account: '333333333333' },
      ]);
      expect(remoteRegions(ACCOUNTS_CONFIG)).to.deep.equal(['us-west-2', 'eu-west-1']);
      expect(remoteRegions(ENVIRONMENTS_CONFIG)).to.deep.equal([]);
    });

    it('writes ARNs in another account and Region, global services without a Region', () => {
      expect(arnText('s3', 'b/*', { account: TOOLS })).to.equal('arn:${AWS::Partition}:s3:::b/*');
      expect(arnText('kms', 'key/*', { account: TOOLS, region: 'eu-west-1' })).to.equal(
        `arn:\${AWS::Partition}:kms:eu-west-1:${TOOLS}:key/*`,
      );
      expect(arnText('sns', 't', {})).to.equal('arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:t');
    });
  });

  describe('the deploy role', () => {
    const deploy = resource(bootstrap, 'DeployRole');

    it('is named cicd-deploy-role-<pipeline suffix>-<environment> under the path the pipeline names it by', () => {
      expect(deploy.Properties.RoleName).to.deep.equal({
        'Fn::Sub': 'cicd-deploy-role-${PipelineSuffix}-${EnvironmentName}',
      });
      expect(deploy.Properties.Path).to.equal(TARGET_ROLE_PATH);
      // The pipeline's side of the contract: the ARN it assumes names this path and name.
      expect(targetRoleArnText(TargetRoles.Deploy, 'prod', TARGETS[1] as string)).to.equal(
        `arn:\${AWS::Partition}:iam::${TARGETS[1]}:role${TARGET_ROLE_PATH}cicd-deploy-role-\${EnvironmentSuffix}-prod`,
      );
    });

    it('trusts the tools account, and of it exactly the pipeline role and the release role, nothing else', () => {
      const trust = deploy.Properties.AssumeRolePolicyDocument.Statement as Loose[];
      expect(trust).to.deep.equal([
        {
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${TOOLS}:root` } },
          Action: ['sts:AssumeRole'],
          Condition: {
            ArnEquals: {
              'aws:PrincipalArn': [
                { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${TOOLS}:role/cicd-pipeline-role-\${PipelineSuffix}` },
                { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${TOOLS}:role/cicd-release-role-\${PipelineSuffix}` },
              ],
            },
          },
        },
      ]);
    });

    it('prepares only the release change set, and executes and follows only the environment stack, in its Regions', () => {
      const stack = `arn:\${AWS::Partition}:cloudformation:*:\${AWS::AccountId}:stack/cicd-environment-\${PipelineSuffix}-\${EnvironmentName}/*`;
      const regions = { 'Fn::Split': [',', { Ref: 'Regions' }] };
      const prepare = statement(deploy, 'PrepareTheReleaseChangeSet');
      expect(prepare.Resource.map(subText)).to.deep.equal([stack]);
      expect(prepare.Condition).to.deep.equal({
        StringEquals: { 'aws:RequestedRegion': regions, 'cloudformation:ChangeSetName': 'cicd-release' },
      });
      expect(prepare.Action).to.include('cloudformation:CreateChangeSet');
      const execute = statement(deploy, 'ExecuteTheReleaseAndFollowTheStack');
      expect(execute.Resource.map(subText)).to.deep.equal([stack]);
      expect(execute.Condition).to.deep.equal({ StringEquals: { 'aws:RequestedRegion': regions } });
      expect(execute.Action).to.deep.equal([
        'cloudformation:DescribeChangeSet',
        'cloudformation:DescribeStacks',
        'cloudformation:ExecuteChangeSet',
        // scripts/release.ts lists change sets to find one an earlier run left behind.
        'cloudformation:ListChangeSets',
      ]);
      const others = inlineStatements(deploy).filter(
        (s: Loose) => !['PrepareTheReleaseChangeSet', 'ExecuteTheReleaseAndFollowTheStack'].includes(s.Sid),
      );
      expect(
        others.flatMap((s: Loose) => s.Action).filter((a: string) => a.startsWith('cloudformation:')),
      ).to.deep.equal([]);
    });

    it('passes the execution role only, and only to CloudFormation', () => {
      const passing = inlineStatements(deploy).filter((s: Loose) => s.Action.includes('iam:PassRole'));
      expect(passing).to.deep.equal([
        {
          Sid: 'PassOnlyTheExecutionRole',
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: [{ 'Fn::GetAtt': ['ExecutionRole', 'Arn'] }],
          Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
        },
      ]);
    });

    it('reads exactly the bake alarms the stage waits on, by name, in any Region of this account', () => {
      expect(statement(deploy, 'ReadTheBakeAlarms').Resource.map(subText)).to.deep.equal(
        BAKE_ALARMS.map(
          (type) =>
            `arn:\${AWS::Partition}:cloudwatch:*:\${AWS::AccountId}:alarm:cicd-${type}-\${PipelineSuffix}-\${EnvironmentName}`,
        ),
      );
      expect(statement(deploy, 'ReadTheBakeAlarms').Action).to.deep.equal([
        'cloudwatch:DescribeAlarmHistory',
        'cloudwatch:DescribeAlarms',
      ]);
    });

    it("reads the pipeline's artifacts in the tools account: its stores' objects and their keys, by alias", () => {
      const objects = statement(deploy, 'ReadThePipelineArtifacts');
      expect(objects.Action).to.deep.equal(['s3:GetObject', 's3:GetObjectVersion']);
      expect(objects.Resource.map(subText)).to.deep.equal([
        `arn:\${AWS::Partition}:s3:::cicd-artifacts-\${PipelineSuffix}-${TOOLS}-*/*`,
      ]);
      const keys = statement(deploy, 'DecryptThePipelineArtifacts');
      expect(keys.Action).to.deep.equal(['kms:Decrypt', 'kms:DescribeKey']);
      expect(keys.Resource.map(subText)).to.deep.equal([`arn:\${AWS::Partition}:kms:*:${TOOLS}:key/*`]);
      expect(keys.Condition).to.deep.equal({
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': { 'Fn::Sub': 'alias/cicd-key-${PipelineSuffix}' } },
      });
    });
  });

  describe('the execution role', () => {
    const execution = resource(bootstrap, 'ExecutionRole');
    const policies = resourcesOfType(bootstrap, 'AWS::IAM::ManagedPolicy');
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Loose[]);

    it('is assumed by CloudFormation alone, for this account when it says so', () => {
      expect(execution.Properties.RoleName).to.deep.equal({
        'Fn::Sub': 'cicd-cfn-exec-role-${PipelineSuffix}-${EnvironmentName}',
      });
      expect(execution.Properties.AssumeRolePolicyDocument.Statement).to.deep.equal([
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudformation.amazonaws.com' },
          Action: ['sts:AssumeRole'],
          Condition: { StringEqualsIfExists: { 'aws:SourceAccount': { 'Fn::Sub': '${AWS::AccountId}' } } },
        },
      ]);
    });

    it('holds exactly the managed policies of this template, under the bootstrap path', () => {
      expect(policies.length).to.be.greaterThan(0);
      expect(execution.Properties.ManagedPolicyArns).to.deep.equal(policies.map(([id]) => ({ Ref: id })));
      expect(execution.Properties.Policies).to.equal(undefined);
      for (const [, p] of policies) expect(p.Properties.Path).to.equal(TARGET_ROLE_PATH);
    });

    it('covers every resource type of the environment template, with the grants of its row', () => {
      const types = [...new Set(Object.values(renderedEnvironment(ACCOUNTS_CONFIG).Resources).map((r) => r.Type))];
      expect(types.length).to.be.greaterThan(10);
      const granted = new Set(statements.flatMap((s) => s.Action as string[]));
      for (const type of types) {
        const row = RESOURCE_TYPES[type]?.provisioning;
        expect(row, `${type} has a provisioning row`).to.not.equal(undefined);
        const missing = (row ?? []).flatMap((g) => g.actions).filter((a) => !granted.has(a));
        expect(missing, type).to.deep.equal([]);
      }
    });

    it('is derived from the environment template, not written by hand: it is what provisioningStatements gives', () => {
      const packed = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Loose[]);
      expect(packed.map((s) => s.Sid)).to.deep.equal(executionStatements(ACCOUNTS_CONFIG).map((s) => s.Sid));
    });

    it("reaches every Region of this account (the environment's stacks run in each), never the bootstrap's alone", () => {
      const texts = [...strings(statements as Json)].map(([, text]) => text);
      expect(texts.filter((t) => t.includes('${AWS::Region}'))).to.deep.equal([]);
      expect(texts.some((t) => t.includes(':*:${AWS::AccountId}:'))).to.equal(true);
    });

    it('manages roles and policies only by cicd-* names, which the bootstrap path keeps its own roles out of', () => {
      const iamArns = statements
        .filter((s) => s.Action.some((a: string) => /^iam:(Put|Attach|Update|Delete|Create)(Role|Policy)/.test(a)))
        .flatMap((s) => s.Resource.map(subText) as string[]);
      expect(iamArns.length).to.be.greaterThan(0);
      for (const arn of iamArns) {
        expect(arn).to.match(/:(role|policy)\/cicd-/);
        const pattern = new RegExp(`^${arn.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*|\*/g, '.*')}$`);
        const own = `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role${TARGET_ROLE_PATH}cicd-deploy-role-x-prod`;
        expect(pattern.test(own), arn).to.equal(false);
      }
    });
  });

  describe('the StackSets', () => {
    const sets = resourcesOfType(stackSets, 'AWS::CloudFormation::StackSet');
    const remote = remoteEnvironments(ACCOUNTS_CONFIG);

    it('declares one StackSet per environment in another account, named cicd-bootstrap-<pipeline suffix>-<environment>', () => {
      expect(sets.map(([id]) => id)).to.deep.equal([
        'BootstrapStackSetBeta',
        'BootstrapStackSetGamma',
        'BootstrapStackSetProd',
      ]);
      expect(sets.map(([, s]) => subText(s.Properties.StackSetName))).to.deep.equal(
        remote.map((e) => `cicd-bootstrap-\${PipelineSuffix}-${e.name}`),
      );
    });

    it('carries the bootstrap template as it is committed, within the 51,200-byte TemplateBody limit', () => {
      for (const [id, s] of sets) {
        expect(s.Properties.TemplateBody, id).to.equal(bootstrapYaml);
        // CreateStackSet API Reference: TemplateBody, maximum length of 51,200 bytes.
        expect(Buffer.byteLength(s.Properties.TemplateBody as string), id).to.be.at.most(51_200);
      }
    });

    it("gives each the environment's name and Regions, and deploys it once, in the environment's first Region", () => {
      const expected: Record<string, [string, string]> = {
        beta: ['us-east-1', 'us-east-1'],
        gamma: ['us-west-2', 'us-west-2'],
        prod: ['us-east-1,eu-west-1', 'us-east-1'],
      };
      for (const [i, [id, s]] of sets.entries()) {
        const name = remote[i]?.name as string;
        const [regions, first] = expected[name] as [string, string];
        expect(s.Properties.Parameters, id).to.deep.equal([
          { ParameterKey: 'PipelineSuffix', ParameterValue: { Ref: 'PipelineSuffix' } },
          { ParameterKey: 'EnvironmentName', ParameterValue: name },
          { ParameterKey: 'Regions', ParameterValue: regions },
        ]);
        expect(s.Properties.StackInstancesGroup, id).to.have.length(1);
        expect(s.Properties.StackInstancesGroup[0].Regions, id).to.deep.equal([first]);
        expect(s.Properties.Capabilities, id).to.deep.equal(['CAPABILITY_NAMED_IAM']);
      }
    });

    it('targets the account within the OUs (service-managed, INTERSECTION) or the account itself (self-managed)', () => {
      for (const [i, [id, s]] of sets.entries()) {
        const account = remote[i]?.account as string;
        expect(s.Properties.StackInstancesGroup[0].DeploymentTargets, id).to.deep.equal({
          'Fn::If': [
            'IsServiceManaged',
            {
              OrganizationalUnitIds: { 'Fn::Split': [',', { Ref: 'OrganizationalUnitIds' }] },
              Accounts: [account],
              AccountFilterType: 'INTERSECTION',
            },
            { Accounts: [account] },
          ],
        });
      }
    });

    it('sets the permission model, auto-deployment, CallAs and the self-managed roles by the model', () => {
      const noValue = { Ref: 'AWS::NoValue' };
      for (const [id, s] of sets) {
        expect(s.Properties, id).to.deep.include({
          PermissionModel: { Ref: 'PermissionModel' },
          AutoDeployment: { 'Fn::If': ['IsServiceManaged', { Enabled: false }, noValue] },
          CallAs: { 'Fn::If': ['IsServiceManaged', { Ref: 'CallAs' }, noValue] },
          AdministrationRoleARN: {
            'Fn::If': [
              'IsServiceManaged',
              noValue,
              { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AdministrationRoleName}' },
            ],
          },
          ExecutionRoleName: { 'Fn::If': ['IsServiceManaged', noValue, { Ref: 'ExecutionRoleName' }] },
          ManagedExecution: { Active: true },
        });
      }
      const parameters = stackSets.Parameters as Record<string, Loose>;
      expect(parameters.PermissionModel).to.deep.include({
        Default: 'SERVICE_MANAGED',
        AllowedValues: ['SERVICE_MANAGED', 'SELF_MANAGED'],
      });
      expect(parameters.CallAs).to.deep.include({ Default: 'SELF', AllowedValues: ['SELF', 'DELEGATED_ADMIN'] });
      // AWS's documented names (CloudFormation User Guide, "Grant self-managed permissions").
      expect(parameters.AdministrationRoleName.Default).to.equal('AWSCloudFormationStackSetAdministrationRole');
      expect(parameters.ExecutionRoleName.Default).to.equal('AWSCloudFormationStackSetExecutionRole');
      expect(stackSets.Conditions).to.deep.equal({
        IsServiceManaged: { 'Fn::Equals': [{ Ref: 'PermissionModel' }, 'SERVICE_MANAGED'] },
      });
    });

    it('goes one account at a time, Regions in sequence, and stops at the first failure', () => {
      for (const [id, s] of sets) {
        expect(s.Properties.OperationPreferences, id).to.deep.equal({
          FailureToleranceCount: 0,
          MaxConcurrentCount: 1,
          RegionConcurrencyType: 'SEQUENTIAL',
        });
      }
      expect(BOOTSTRAP_OPERATION_PREFERENCES.FailureToleranceCount).to.equal(0);
    });

    it('requires the OUs for service-managed StackSets (a Rule), and takes OU and root IDs only', () => {
      expect(stackSets.Rules).to.deep.equal({
        ServiceManagedNamesOrganizationalUnits: {
          RuleCondition: { 'Fn::Equals': [{ Ref: 'PermissionModel' }, 'SERVICE_MANAGED'] },
          Assertions: [
            {
              Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OrganizationalUnitIds' }, ''] }] },
              AssertDescription:
                'SERVICE_MANAGED StackSets deploy to accounts within organizational units: give OrganizationalUnitIds',
            },
          ],
        },
      });
      const pattern = new RegExp((stackSets.Parameters as Loose).OrganizationalUnitIds.AllowedPattern as string);
      for (const [value, ok] of [
        ['ou-ab12-cdef3456', true],
        ['ou-ab12-cdef3456,r-ab12', true],
        ['', true],
        ['ou-ab12-cdef3456, r-ab12', false],
        ['123456789012', false],
        ['ou-AB12-cdef3456', false],
      ] as const) {
        expect(pattern.test(value), value).to.equal(ok);
      }
    });
  });

  describe('where each account appears', () => {
    it('names each target account only in its StackSet’s deployment targets', () => {
      for (const account of TARGETS) {
        const where = [...strings(stackSets as unknown as Json)].filter(([, t]) => t.includes(account)).map(([p]) => p);
        const expected = resourcesOfType(stackSets, 'AWS::CloudFormation::StackSet')
          .filter(([, s]) => JSON.stringify(s.Properties.StackInstancesGroup).includes(account))
          .flatMap(([id]) => [
            `/Resources/${id}/Properties/StackInstancesGroup/0/DeploymentTargets/Fn::If/1/Accounts/0`,
            `/Resources/${id}/Properties/StackInstancesGroup/0/DeploymentTargets/Fn::If/2/Accounts/0`,
          ]);
        expect(expected.length, account).to.be.greaterThan(0);
        expect(where, account).to.deep.equal(expected);
        expect(bootstrapYaml, account).to.not.include(account);
      }
    });

    it('names the tools account in the bootstrap only in the trust and the artifact statements', () => {
      const where = [...strings(bootstrap as unknown as Json)].filter(([, t]) => t.includes(TOOLS)).map(([p]) => p);
      const deployPolicy = '/Resources/DeployRole/Properties/Policies/0/PolicyDocument/Statement';
      const sids = inlineStatements(resource(bootstrap, 'DeployRole')).map((s: Loose) => s.Sid as string);
      const at = (sid: string) => `${deployPolicy}/${sids.indexOf(sid)}/Resource/0/Fn::Sub`;
      expect(where).to.deep.equal([
        '/Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0/Principal/AWS/Fn::Sub',
        '/Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0/Condition/ArnEquals/aws:PrincipalArn/0/Fn::Sub',
        '/Resources/DeployRole/Properties/AssumeRolePolicyDocument/Statement/0/Condition/ArnEquals/aws:PrincipalArn/1/Fn::Sub',
        at('ReadThePipelineArtifacts'),
        at('DecryptThePipelineArtifacts'),
      ]);
    });
  });

  describe('principals', () => {
    for (const [name, template] of [
      [TARGET_BOOTSTRAP_TEMPLATE_FILE, bootstrap],
      [
        BOOTSTRAP_STACKSET_TEMPLATE_FILE,
        loadTemplate(stackSets.Resources['BootstrapStackSetProd']?.Properties.TemplateBody),
      ],
    ] as [string, CfnTemplate][]) {
      it(`${name}: names no \`*\` principal anywhere`, () => {
        const principals = [...walk(template as unknown as Json)].flatMap((node) =>
          node !== null && typeof node === 'object' && !Array.isArray(node) && 'Principal' in node
            ? [node['Principal'] as Json]
            : [],
        );
        expect(principals.length).to.be.greaterThan(1);
        for (const principal of principals) {
          expect(principal).to.not.equal('*');
          for (const [, text] of strings(principal)) expect(text).to.not.equal('*');
        }
      });
    }
  });
});
