// The target-account side of a promoting pipeline whose environments run in other accounts: the
// bootstrap each such account deploys once per environment (a deploy role the tools account's
// pipeline assumes, and the CloudFormation execution role the environment stack runs with), and the
// StackSets that deploy it there from the Organization's management (or delegated administrator)
// account, or with self-managed roles. Names that cross the account boundary come from accounts.ts.
//
// The execution role's permissions are not written here: they are derived from the environment
// template, by the machinery that derives the Service Catalog launch role (provisioningStatements),
// so a resource the environment template gains is one the execution role may create.
import type { BuildConfig, EnvironmentConfig, PipelineHome } from './config.js';
import { MAX_REGIONS, REGION_CODE } from './config.js';
import type { Part, Template } from './cfn/template.js';
import { part, resources } from './cfn/template.js';
import { withTags } from './cfn/tagging.js';
import { ManagedPolicy, Role, StackSet } from './cfn/resources.js';
import {
  placementsOf,
  remoteEnvironments,
  TARGET_ROLE_PATH,
  TargetRoles,
  targetRoleName,
  TRUSTED_ROLE_TYPES,
} from './accounts.js';
import { BAKE_ALARMS, environmentTemplate } from './environments.js';
import {
  ALARMS_READ,
  ARTIFACT_READ,
  CFN_DESCRIBE_STACKS,
  CFN_EXECUTE_CHANGE_SET,
  CFN_LIST_CHANGE_SETS,
  CFN_PREPARE_CHANGE_SET,
  KMS_DECRYPT,
} from './iam/actions.js';
import type { Statement } from './iam/policy.js';
import { allow, passRole, policyDocument, trustPolicy } from './iam/policy.js';
import type { IntrinsicFunction } from './intrinsics.js';
import { equals, getAtt, ifCondition, noValue, not, ref, split, sub } from './intrinsics.js';
import { TemplateModel } from './model/template.js';
import { environmentSuffixText, NAME_PREFIX, Params, physicalNameText, standardTags } from './naming.js';
import type { Tag } from './naming.js';
import { ENVIRONMENT_PARAMETERS, promotingPipelineSuffix } from './parameters/environments.js';
import type { ParameterGroup, ParameterSpec } from './parameters/spec.js';
import { interfaceMetadata, parametersSection } from './parameters/spec.js';
import { renderYaml } from './render/yaml.js';
import { RELEASE_CHANGE_SET } from './resources/engines/ecs.js';
import { packStatements, pipelineFacts, provisioningStatements } from './resources/service-catalog.js';

/** Parameter names of the bootstrap and StackSet templates (PipelineSuffix is Params.PipelineSuffix). */
export const BootstrapParams = {
  EnvironmentName: 'EnvironmentName',
  Regions: 'Regions',
  PermissionModel: 'PermissionModel',
  OrganizationalUnitIds: 'OrganizationalUnitIds',
  CallAs: 'CallAs',
  AdministrationRoleName: 'AdministrationRoleName',
  ExecutionRoleName: 'ExecutionRoleName',
} as const;

/** Logical IDs of the bootstrap and StackSet templates. */
export const BootstrapIds = {
  DeployRole: 'DeployRole',
  ExecutionRole: 'ExecutionRole',
  /** Followed by 1, 2, …: the execution role's permissions split across managed policies. */
  ExecutionPolicyPrefix: 'ExecutionPolicy',
  /** Followed by the environment's stage name: `BootstrapStackSetBeta`. */
  StackSetPrefix: 'BootstrapStackSet',
  /** The StackSet template's condition: PermissionModel is SERVICE_MANAGED. */
  IsServiceManaged: 'IsServiceManaged',
  /** The StackSet template's rule: service-managed StackSets name the OUs their accounts are in. */
  ServiceManagedNamesOus: 'ServiceManagedNamesOrganizationalUnits',
} as const;

/** The suffix of the bootstrap's names: the environment's, `${PipelineSuffix}-${EnvironmentName}`. */
const TARGET_SUFFIX = environmentSuffixText(`\${${BootstrapParams.EnvironmentName}}`, `\${${Params.PipelineSuffix}}`);
/** The pipeline's suffix as a `!Sub` variable, for the names of the tools account's resources. */
const PIPELINE_SUFFIX = `\${${Params.PipelineSuffix}}`;

/** A Region code inside a parameter's pattern: config.ts's REGION_CODE, unanchored. */
const REGION_TEXT = REGION_CODE.source.replace(/^\^|\$$/g, '');
/** An organizational unit ID or the organization's root ID (Organizations API Reference, OrganizationalUnit and Root). */
const OU_TEXT = '(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})';

/** The StackSets' permission models (CloudFormation User Guide, "StackSets concepts": permission models). */
export const PERMISSION_MODELS = ['SERVICE_MANAGED', 'SELF_MANAGED'] as const;

/**
 * The StackSets' operation preferences (CloudFormation User Guide, "StackSet operation options"): one
 * account at a time, Regions one after another, and the first failure stops the operation, so a bad
 * bootstrap never reaches a second account.
 */
export const BOOTSTRAP_OPERATION_PREFERENCES = {
  FailureToleranceCount: 0,
  MaxConcurrentCount: 1,
  RegionConcurrencyType: 'SEQUENTIAL',
} as const;

/** The pipeline's home, required once an environment runs in another account (config.ts enforces it). */
function homeOf(config: BuildConfig): PipelineHome {
  if (config.pipeline === undefined) throw new Error('a target-account bootstrap needs config.pipeline');
  return config.pipeline;
}

/** The remote environments as the config lists them, in promotion order; throws when there are none. */
function remoteEnvironmentConfigs(config: BuildConfig): EnvironmentConfig[] {
  const names = new Set(remoteEnvironments(config).map((e) => e.name));
  const remote = (config.environments ?? []).filter((e) => names.has(e.name));
  if (remote.length === 0) throw new Error('a target-account bootstrap needs an environment in another account');
  return remote;
}

/** The PipelineSuffix parameter: the environment template's, no longer than the promoting pipeline's suffix. */
function pipelineSuffixParameter(environments: readonly EnvironmentConfig[]): ParameterSpec {
  const spec = ENVIRONMENT_PARAMETERS.parameters.find((p) => p.name === Params.PipelineSuffix) as ParameterSpec;
  const promoting = promotingPipelineSuffix(environments).definition;
  return {
    name: spec.name,
    label: spec.label,
    definition: {
      ...spec.definition,
      Description:
        "EnvironmentSuffix of the pipeline stack in the tools account that releases into this environment: only that pipeline's roles may assume the deploy role.",
      MaxLength: promoting.MaxLength as number,
      ConstraintDescription: promoting.ConstraintDescription as string,
    },
    fixedAfterCreate: "the roles' names and trust carry it; deploy another bootstrap for another pipeline",
  };
}

/** The bootstrap's parameters: which pipeline, which environment, and the environment's Regions. */
function bootstrapParameters(environments: readonly EnvironmentConfig[]): ParameterGroup {
  return {
    label: 'Target account bootstrap',
    parameters: [
      pipelineSuffixParameter(environments),
      {
        name: BootstrapParams.EnvironmentName,
        label: 'Environment',
        definition: {
          Type: 'String',
          Description:
            "The environment this account runs: its stack is cicd-environment-<PipelineSuffix>-<EnvironmentName> and the roles' names end the same way.",
          AllowedValues: environments.map((e) => e.name),
          ConstraintDescription: `one of ${environments.map((e) => e.name).join(', ')}`,
        },
        fixedAfterCreate: "the roles' names carry it; deploy another bootstrap for another environment",
      },
      {
        name: BootstrapParams.Regions,
        label: 'Regions',
        definition: {
          Type: 'String',
          Description:
            'The Regions the environment runs in, comma-separated (us-east-1,eu-west-1): the deploy role releases there and nowhere else.',
          AllowedPattern: `^${REGION_TEXT}(,${REGION_TEXT}){0,${MAX_REGIONS - 1}}$`,
          ConstraintDescription: `1-${MAX_REGIONS} Region codes such as us-east-1, separated by commas without spaces`,
        },
      },
    ],
  };
}

/** Tags of the bootstrap's and StackSets' resources: the standard set, Environment naming what they serve. */
function tagsWith(config: BuildConfig, environment: string): Tag[] {
  return standardTags(config.project, config.tags).map((t) =>
    t.Key === 'Environment' ? { Key: t.Key, Value: sub(environment) } : t,
  );
}

/** An ARN in the tools account (`!Sub` text): the pipeline's account, baked in from the config. */
const toolsArn = (home: PipelineHome, service: string, region: string, resource: string) =>
  `arn:\${AWS::Partition}:${service}:${region}:${home.account}:${resource}`;

/** The tools account's roles the deploy role trusts: the pipeline's role and its release project's role. */
export const trustedRoleArns = (home: PipelineHome): IntrinsicFunction[] =>
  TRUSTED_ROLE_TYPES.map((type) => sub(toolsArn(home, 'iam', '', `role/${physicalNameText(type, PIPELINE_SUFFIX)}`)));

/**
 * The deploy role's trust: the tools account, and of it only the two roles (aws:PrincipalArn). Naming
 * the roles as principals would do the same, but IAM refuses a trust policy whose principal does not
 * exist yet, and the bootstrap is deployed before the pipeline (IAM User Guide, "AWS JSON policy
 * elements: Principal", and "AWS global condition context keys": aws:PrincipalArn).
 * No sts:ExternalId: CodePipeline assumes an action's role with only its RoleArn (CodePipeline API
 * Reference, ActionDeclaration: there is no external ID to give), and an external ID guards a third
 * party acting for several customers, not one organization's own pipeline.
 */
function deployTrust(home: PipelineHome) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: sub(toolsArn(home, 'iam', '', 'root')) },
        Action: ['sts:AssumeRole'],
        Condition: { ArnEquals: { 'aws:PrincipalArn': trustedRoleArns(home) } },
      },
    ],
  };
}

/** What the deploy role may do: release into the environment's stack in its Regions, and what releasing reads. */
function deployStatements(home: PipelineHome): Statement[] {
  const stack = sub(
    `arn:\${AWS::Partition}:cloudformation:*:\${AWS::AccountId}:stack/${physicalNameText('environment', TARGET_SUFFIX)}/*`,
  );
  const regions = split(',', ref(BootstrapParams.Regions));
  const inRegions = { StringEquals: { 'aws:RequestedRegion': regions } };
  return [
    // The release project prepares the change set the stage names, nothing else.
    allow('PrepareTheReleaseChangeSet', CFN_PREPARE_CHANGE_SET, [stack], {
      StringEquals: {
        'aws:RequestedRegion': regions,
        'cloudformation:ChangeSetName': RELEASE_CHANGE_SET,
      },
    }),
    // The pipeline's CHANGE_SET_EXECUTE runs it and follows the stack; the release script looks for a leftover one.
    allow(
      'ExecuteTheReleaseAndFollowTheStack',
      [...new Set([...CFN_EXECUTE_CHANGE_SET, ...CFN_DESCRIBE_STACKS, ...CFN_LIST_CHANGE_SETS])].sort(),
      [stack],
      inRegions,
    ),
    // The stack runs with the execution role; a change set of it passes that role and no other.
    passRole('PassOnlyTheExecutionRole', [getAtt(BootstrapIds.ExecutionRole, 'Arn')], 'cloudformation.amazonaws.com'),
    // The stage's bake rules read the environment's alarms, in whichever of its Regions the stage runs.
    allow(
      'ReadTheBakeAlarms',
      ALARMS_READ,
      BAKE_ALARMS.map((type) =>
        sub(`arn:\${AWS::Partition}:cloudwatch:*:\${AWS::AccountId}:alarm:${physicalNameText(type, TARGET_SUFFIX)}`),
      ),
    ),
    // A cross-account action reads its input artifacts with its own role (CodePipeline User Guide,
    // "Create a pipeline in CodePipeline that uses resources from another AWS account"): the
    // pipeline's artifact stores in every Region, and their keys, named by alias since key IDs are generated.
    allow('ReadThePipelineArtifacts', ARTIFACT_READ, [
      sub(`arn:\${AWS::Partition}:s3:::${physicalNameText('artifacts', PIPELINE_SUFFIX)}-${home.account}-*/*`),
    ]),
    allow('DecryptThePipelineArtifacts', KMS_DECRYPT, [sub(toolsArn(home, 'kms', '*', 'key/*'))], {
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': sub(`alias/${physicalNameText('key', PIPELINE_SUFFIX)}`) },
    }),
  ];
}

/**
 * The execution role's statements: what the environment template's resources take, nothing
 * hand-written, in any Region of this account (`${AWS::Region}` would be the bootstrap's own, and
 * the environment's stacks run in each of its Regions; the deploy role holds releases to those).
 */
export function executionStatements(config: BuildConfig): Statement[] {
  const statements = provisioningStatements(pipelineFacts(TemplateModel.of(environmentTemplate(config))));
  // `*-${AWS::Region}` (a Region in a name the suffix's `*` already covers) first, then the ARNs' Region.
  const anyRegion = JSON.stringify(statements).replaceAll('*-${AWS::Region}', '*').replaceAll('${AWS::Region}', '*');
  return JSON.parse(anyRegion) as Statement[];
}

/** The target account's bootstrap for one environment: the deploy role and the CloudFormation execution role. */
export function targetBootstrapTemplate(config: BuildConfig): Template {
  const home = homeOf(config);
  const environments = remoteEnvironmentConfigs(config);
  const name = (type: string) => sub(targetRoleName(type, `\${${BootstrapParams.EnvironmentName}}`, PIPELINE_SUFFIX));
  const policies = packStatements(executionStatements(config)).map((statements, i) =>
    part(
      `${BootstrapIds.ExecutionPolicyPrefix}${i + 1}`,
      new ManagedPolicy({
        ManagedPolicyName: sub(physicalNameText(`cfn-exec-${i + 1}`, TARGET_SUFFIX)),
        Path: TARGET_ROLE_PATH,
        Description: sub(
          `Part ${i + 1} of what CloudFormation may do, as the execution role, to the resources of cicd-environment-${TARGET_SUFFIX}.`,
        ),
        PolicyDocument: policyDocument(statements),
      }),
    ),
  );
  const execution = part(
    BootstrapIds.ExecutionRole,
    new Role({
      RoleName: name(TargetRoles.Execution),
      Path: TARGET_ROLE_PATH,
      Description: sub(
        `CloudFormation runs the stack cicd-environment-${TARGET_SUFFIX} with this role: it creates, updates and deletes that template's resources.`,
      ),
      // The service-role page documents no confused-deputy keys for CloudFormation: IfExists, so they bind when sent.
      AssumeRolePolicyDocument: trustPolicy({
        service: 'cloudformation.amazonaws.com',
        confusedDeputyKeysOptional: true,
      }),
      ManagedPolicyArns: policies.map((p) => ref(p)),
    }),
  );
  const deploy = part(
    BootstrapIds.DeployRole,
    new Role({
      RoleName: name(TargetRoles.Deploy),
      Path: TARGET_ROLE_PATH,
      Description: sub(
        `Assumed by the pipeline cicd-pipeline-${PIPELINE_SUFFIX} and its release project in the tools account: releases into cicd-environment-${TARGET_SUFFIX}.`,
      ),
      AssumeRolePolicyDocument: deployTrust(home),
      Policies: [{ PolicyName: 'least-privilege', PolicyDocument: policyDocument(deployStatements(home)) }],
    }),
  );
  const groups = [bootstrapParameters(environments)];
  const parts: Part[] = [deploy, execution, ...policies];
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cfn-cicd: target-account bootstrap of one environment of a promoting pipeline - the deploy role its pipeline assumes from the tools account and the CloudFormation execution role its environment stack runs with. Deployed once per account and environment, in one Region (IAM is global).`,
    Metadata: interfaceMetadata(groups),
    Parameters: parametersSection(groups),
    Resources: resources(withTags(parts, tagsWith(config, TARGET_SUFFIX))),
    Outputs: {
      DeployRoleArn: {
        Description: "ARN of the role the pipeline's deploy and release actions assume in this account.",
        Value: getAtt(deploy, 'Arn'),
      },
      ExecutionRoleArn: {
        Description: 'ARN of the role to pass as --role-arn when the environment stack is created.',
        Value: getAtt(execution, 'Arn'),
      },
    },
  };
}

/** The StackSet template's parameters: the pipeline, and how StackSets reaches the accounts. */
function stackSetParameters(environments: readonly EnvironmentConfig[]): ParameterGroup[] {
  return [
    { label: 'Pipeline', parameters: [pipelineSuffixParameter(environments)] },
    {
      label: 'StackSets permissions',
      parameters: [
        {
          name: BootstrapParams.PermissionModel,
          label: 'Permission model',
          definition: {
            Type: 'String',
            Description:
              'SERVICE_MANAGED: StackSets deploys through AWS Organizations (deploy this stack in the management or a delegated administrator account). SELF_MANAGED: through the administration and execution roles you created.',
            Default: 'SERVICE_MANAGED',
            AllowedValues: [...PERMISSION_MODELS],
            ConstraintDescription: PERMISSION_MODELS.join(' or '),
          },
          fixedAfterCreate:
            'a StackSet keeps its permission model; delete this stack and deploy it again with the other',
        },
        {
          name: BootstrapParams.OrganizationalUnitIds,
          label: 'Organizational units (service-managed)',
          definition: {
            Type: 'String',
            Description:
              'SERVICE_MANAGED: the OUs (ou-xxxx-xxxxxxxx) or root (r-xxxx) the target accounts are in, comma-separated; StackSets deploys to the listed accounts within them only. SELF_MANAGED: leave it empty.',
            AllowedPattern: `^(${OU_TEXT}(,${OU_TEXT})*)?$`,
            ConstraintDescription:
              'OU IDs (ou-xxxx-xxxxxxxx) or a root ID (r-xxxx), separated by commas without spaces',
          },
        },
        {
          name: BootstrapParams.CallAs,
          label: 'Call as (service-managed)',
          definition: {
            Type: 'String',
            Description:
              'SERVICE_MANAGED only: SELF in the management account, DELEGATED_ADMIN in a delegated administrator account.',
            Default: 'SELF',
            AllowedValues: ['SELF', 'DELEGATED_ADMIN'],
            ConstraintDescription: 'SELF or DELEGATED_ADMIN',
          },
        },
        {
          name: BootstrapParams.AdministrationRoleName,
          label: 'Administration role (self-managed)',
          definition: {
            Type: 'String',
            Description:
              "SELF_MANAGED only: the role in this account that StackSets uses to reach the target accounts (AWS's documented name by default).",
            Default: 'AWSCloudFormationStackSetAdministrationRole',
            AllowedPattern: '^[\\w+=,.@-]{1,64}$',
            ConstraintDescription: 'an IAM role name: 1-64 letters, digits and +=,.@_-',
          },
        },
        {
          name: BootstrapParams.ExecutionRoleName,
          label: 'Execution role (self-managed)',
          definition: {
            Type: 'String',
            Description:
              "SELF_MANAGED only: the role in each target account that the administration role assumes (AWS's documented name by default).",
            Default: 'AWSCloudFormationStackSetExecutionRole',
            AllowedPattern: '^[\\w+=,.@-]{1,64}$',
            ConstraintDescription: 'an IAM role name: 1-64 letters, digits and +=,.@_-',
          },
        },
      ],
    },
  ];
}

/** The Regions an environment runs in: its own, else the pipeline's. */
const regionsOf = (environment: EnvironmentConfig, home: PipelineHome): readonly string[] =>
  environment.regions ?? [home.region];

/** One environment's StackSet: the bootstrap into its account, in its first Region. */
function bootstrapStackSet(environment: EnvironmentConfig, account: string, home: PipelineHome, body: string): Part {
  const serviceManaged = (whenTrue: unknown, whenFalse: unknown = noValue()) =>
    ifCondition(BootstrapIds.IsServiceManaged, whenTrue, whenFalse);
  const [stage] = placementsOf(environment, home);
  return part(
    `${BootstrapIds.StackSetPrefix}${stage?.stageName ?? environment.name}`,
    new StackSet({
      // One StackSet per environment: two environments may share an account, and a StackSet holds
      // one stack instance per account and Region.
      StackSetName: sub(`${NAME_PREFIX}-bootstrap-${PIPELINE_SUFFIX}-${environment.name}`),
      Description: sub(
        `cfn-cicd bootstrap of ${environment.name} for the pipeline cicd-pipeline-${PIPELINE_SUFFIX}: its deploy and execution roles.`,
      ),
      PermissionModel: ref(BootstrapParams.PermissionModel),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      TemplateBody: body,
      Parameters: [
        { ParameterKey: Params.PipelineSuffix, ParameterValue: ref(Params.PipelineSuffix) },
        { ParameterKey: BootstrapParams.EnvironmentName, ParameterValue: environment.name },
        { ParameterKey: BootstrapParams.Regions, ParameterValue: regionsOf(environment, home).join(',') },
      ],
      StackInstancesGroup: [
        {
          // IAM is global: one stack instance, in the environment's first Region.
          Regions: [regionsOf(environment, home)[0] as string],
          // Service-managed: the account within the given OUs and nothing else of them (INTERSECTION;
          // CloudFormation User Guide, "Account-level targets for service-managed StackSets").
          // Self-managed: the account itself (User Guide, "Grant self-managed permissions").
          DeploymentTargets: serviceManaged(
            {
              OrganizationalUnitIds: split(',', ref(BootstrapParams.OrganizationalUnitIds)),
              Accounts: [account],
              AccountFilterType: 'INTERSECTION',
            },
            { Accounts: [account] },
          ) as never,
        },
      ],
      OperationPreferences: { ...BOOTSTRAP_OPERATION_PREFERENCES },
      // Non-conflicting operations run concurrently, conflicting ones queue (User Guide, "StackSets concepts": managed execution).
      ManagedExecution: { Active: true },
      // Service-managed StackSets must say whether they follow accounts into the OUs (User Guide,
      // "Enable or disable automatic deployments"): not here, only the listed accounts are targets.
      AutoDeployment: serviceManaged({ Enabled: false }) as never,
      // A delegated administrator must say so (User Guide, "Register a delegated administrator").
      CallAs: serviceManaged(ref(BootstrapParams.CallAs)),
      // Self-managed: the administration role here assumes the execution role there (User Guide,
      // "Grant self-managed permissions": AWSCloudFormationStackSetAdministrationRole and ...ExecutionRole).
      AdministrationRoleARN: serviceManaged(
        noValue(),
        sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/\${${BootstrapParams.AdministrationRoleName}}`),
      ),
      ExecutionRoleName: serviceManaged(noValue(), ref(BootstrapParams.ExecutionRoleName)),
    }),
  );
}

/** The StackSets that deploy the bootstrap into each remote environment's account. */
export function bootstrapStackSetTemplate(config: BuildConfig): Template {
  const home = homeOf(config);
  const environments = remoteEnvironmentConfigs(config);
  const accounts = new Map(remoteEnvironments(config).map((e) => [e.name, e.account]));
  const body = renderYaml(targetBootstrapTemplate(config));
  const parts = environments.map((e) => bootstrapStackSet(e, accounts.get(e.name) as string, home, body));
  const groups = stackSetParameters(environments);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cfn-cicd: StackSets that deploy the target-account bootstrap (deploy and execution roles) of ${environments.map((e) => e.name).join(', ')}, one StackSet per environment, with service-managed (AWS Organizations) or self-managed permissions.`,
    Metadata: interfaceMetadata(groups),
    Parameters: parametersSection(groups),
    Rules: {
      [BootstrapIds.ServiceManagedNamesOus]: {
        RuleCondition: equals(ref(BootstrapParams.PermissionModel), 'SERVICE_MANAGED'),
        Assertions: [
          {
            Assert: not(equals(ref(BootstrapParams.OrganizationalUnitIds), '')),
            AssertDescription:
              'SERVICE_MANAGED StackSets deploy to accounts within organizational units: give OrganizationalUnitIds',
          },
        ],
      },
    },
    Conditions: {
      [BootstrapIds.IsServiceManaged]: equals(ref(BootstrapParams.PermissionModel), 'SERVICE_MANAGED'),
    },
    Resources: resources(withTags(parts, tagsWith(config, PIPELINE_SUFFIX))),
    Outputs: Object.fromEntries(
      parts.map((p, i) => [
        `${p.id}Id`,
        {
          Description: `ID of the StackSet that bootstraps ${environments[i]?.name}.`,
          Value: getAtt(p, 'StackSetId'),
        },
      ]),
    ),
  };
}
