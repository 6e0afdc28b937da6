// Build once, promote through environments (the DPRA's beta → gamma → prod): the pipeline template
// builds, tests and checks the image once, then deploys that same digest into each environment in
// turn; the environment template is what each environment runs, created once per environment with
// its own suffix (`<pipeline suffix>-<name>`) and stack (`cicd-environment-<that suffix>`).
//
// Each environment's stage: an approval where the config asks for one, the release (a change set of
// the environment's stack that sets Image and ReleaseId, as the single stack releases itself), then
// integration and acceptance tests against the environment's URL. A failed stage rolls back to the
// last successful release (OnFailure ROLLBACK); a stage succeeds only once the environment's alarms
// stayed quiet for the bake time (OnSuccess CloudWatchAlarm rules).
import type { BuildConfig, EnvironmentConfig, NetworkChoice } from './config.js';
import type { Placement } from './accounts.js';
import { environmentRoleName, placementsOf, targetRoleArnText, TargetRoles } from './accounts.js';
import type { Json } from './model/json.js';
import { nameText } from './model/resource.js';
import {
  deployRolesIn,
  homeRules,
  imageReplication,
  pullersIn,
  regionalStoreParameters,
  regionalStores,
} from './artifact-stores.js';
import { withTags } from './cfn/tagging.js';
import { ManagedPolicy } from './cfn/resources.js';
import type { Output, Part, Template } from './cfn/template.js';
import { part, resources } from './cfn/template.js';
import { usedBy, usedEntries, usedGroups, usedRules } from './cfn/prune.js';
import { ALARMS_READ, KMS_SNS_PUBLISH, SNS_PUBLISH } from './iam/actions.js';
import { allow, policyDocument } from './iam/policy.js';
import type { Value } from './intrinsics.js';
import { arn, arnText, ref, sub } from './intrinsics.js';
import {
  approverPolicyId,
  capitalized,
  environmentSuffixText,
  OWN_SUFFIX,
  Params,
  physicalName,
  physicalNameText,
  ProjectStems,
  standardTags,
} from './naming.js';
import {
  environmentConditions,
  ENVIRONMENT_PARAMETERS,
  promotingPipelineSuffix,
  PROMOTION,
} from './parameters/environments.js';
import {
  ENVIRONMENT_SUFFIX,
  pipelineConditions,
  pipelineMappings,
  pipelineParameterGroups,
  pipelineRules,
} from './parameters/pipeline.js';
import type { ParameterGroup } from './parameters/spec.js';
import {
  DEPLOY_ENVIRONMENTS_KEY,
  DEPLOY_METADATA_KEY,
  DEPLOY_PIPELINE_KEY,
  interfaceMetadata,
  parametersSection,
} from './parameters/spec.js';
import type { PipelineAction, PipelineStage } from './resources/actions.js';
import { ARTIFACTS, BUILD_VARIABLES, codeBuildAction, SOURCE_ACTION_NAME } from './resources/actions.js';
import type { BuildProject, ProjectSpec } from './resources/build.js';
import { pipelineDashboard } from './resources/dashboard.js';
import { deliveryMetrics } from './resources/delivery-metrics.js';
import type { KeyRef } from './resources/encryption.js';
import { encryption, STACK_KEY } from './resources/encryption.js';
import type { ReleaseTarget } from './resources/engines/ecs.js';
import { ecsEngine, environmentParts, executeRelease, releaseSpec } from './resources/engines/ecs.js';
import { cloudWatchAlarmsPublisher, NOTIFICATION_TOPIC, notificationTopic } from './resources/notifications.js';
import { deliveryPipeline } from './resources/pipeline.js';
import { syntheticProbe } from './resources/probe.js';
import { sourceTriggers } from './resources/triggers.js';
import { alarmIdsOf, alarmsOf, buildOnce, keyUsersOf, pipelineNotifications, serving } from './stages.js';

/** The alarms each environment's stage waits on: the four the deployment rolls back on, by name. */
export const BAKE_ALARMS = ['blue-5xx', 'green-5xx', 'blue-unhealthy', 'green-unhealthy'] as const;

/** An environment's stack in one account and Region, and the names the pipeline acts on, from the pipeline's suffix. */
export function environmentTarget(placement: Placement): ReleaseTarget {
  const environment = placement.environment.name;
  const suffix = environmentSuffixText(environment);
  const at = {
    ...(placement.account !== undefined && { account: placement.account }),
    ...(placement.region !== undefined && { region: placement.region }),
  };
  const role = (type: string) => sub(arnText('iam', `role/${environmentRoleName(type, suffix, placement.region)}`, at));
  const stackName = physicalNameText('environment', suffix);
  return {
    stackName: sub(stackName),
    stackArn: sub(arnText('cloudformation', `stack/${stackName}/*`, at)),
    suffix,
    taskRoleArns: [role('task-execution-role'), role('task-role')],
    infrastructureRoleArn: role('lb-infra-role'),
    hookRoleArn: role('hook-role'),
    ...(placement.region !== undefined && { region: placement.region }),
    ...(placement.account !== undefined && {
      deployRoleArn: sub(targetRoleArnText(TargetRoles.Deploy, environment, placement.account)),
    }),
  };
}

/** The tests run against an environment: the application's buildspec, given the environment's URL. */
function environmentTestSpec(kind: 'integration' | 'acceptance'): ProjectSpec {
  return {
    stem: kind === 'integration' ? ProjectStems.EnvironmentIntegrationTest : ProjectStems.AcceptanceTest,
    nameType: kind === 'integration' ? 'env-integration-tests' : 'acceptance-tests',
    description: `Runs the application's ${kind} tests against a deployed environment (SERVICE_URL)`,
    buildspec: ref(kind === 'integration' ? Params.IntegrationTestBuildspec : Params.AcceptanceTestBuildspec),
    reports: true,
  };
}

/** The approval before an environment: it notifies the topic and names the image and commit promoted. */
function approval(environment: string, key: KeyRef, repositoryUri: string): PipelineAction {
  const execution = `https://\${AWS::Region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${physicalNameText('pipeline')}/executions/#{codepipeline.PipelineExecutionId}/timeline?region=\${AWS::Region}`;
  return {
    name: 'Approve',
    actionTypeId: { Category: 'Approval', Owner: 'AWS', Provider: 'Manual', Version: '1' },
    configuration: {
      NotificationArn: ref(NOTIFICATION_TOPIC),
      CustomData: sub(
        `Promote ${repositoryUri}@#{${BUILD_VARIABLES}.IMAGE_DIGEST} (commit #{${BUILD_VARIABLES}.IMAGE_TAG}) into ${environment}. Execution: ${execution}`,
      ),
      ExternalEntityLink: sub(
        `https://github.com/\${${Params.GitHubOwner}}/\${${Params.GitHubRepo}}/commit/#{${BUILD_VARIABLES}.IMAGE_TAG}`,
      ),
    },
    grants: [
      allow('NotifyApprovers', SNS_PUBLISH, [ref(NOTIFICATION_TOPIC)]),
      allow('EncryptApprovalNotifications', KMS_SNS_PUBLISH, [sub(`\${${key.id}.Arn}`)]),
    ],
  };
}

/** The managed policy whose holders may approve the promotion into `environment`, and nothing else. */
function approverPolicy(environment: string): Part {
  const pipeline = physicalNameText('pipeline');
  return part(
    approverPolicyId(environment),
    new ManagedPolicy({
      ManagedPolicyName: physicalName(`approvers-${environment}`),
      Description: `Approve or reject the promotion of a release into ${environment}; see the pipeline it waits in.`,
      PolicyDocument: policyDocument([
        allow(
          'ApproveThisPromotion',
          ['codepipeline:PutApprovalResult'],
          [arn('codepipeline', `${pipeline}/${capitalized(environment)}/Approve`)],
        ),
        allow(
          'SeeThePipeline',
          [
            'codepipeline:GetPipeline',
            'codepipeline:GetPipelineState',
            'codepipeline:GetPipelineExecution',
            'codepipeline:ListPipelineExecutions',
          ],
          [arn('codepipeline', pipeline)],
        ),
      ]),
    }),
  );
}

/** One placement's stage: [approval], release, tests against it; rollback on failure, bake on success. */
function environmentStage(
  placement: Placement,
  props: {
    readonly key: KeyRef;
    readonly release: BuildProject;
    readonly integration: BuildProject;
    readonly acceptance: BuildProject;
    readonly repositoryUri: string;
  },
): PipelineStage {
  const environment = placement.environment;
  const target = environmentTarget(placement);
  // The approval is for the environment: before its first Region only.
  const approve = environment.approval && placement.index === 0;
  const first = approve ? 2 : 1;
  const namespace = placement.namespace;
  const serviceUrl = `#{${namespace}.ProductionUrl}`;
  const alarmNames = BAKE_ALARMS.map((type) => physicalNameText(type, target.suffix));
  const deploy = executeRelease(target, { name: 'Deploy', runOrder: first + 1, namespace });
  const elsewhere = {
    ...(placement.region !== undefined && { TARGET_REGION: placement.region }),
    ...(target.deployRoleArn !== undefined && {
      DEPLOY_ROLE_ARN: targetRoleArnText(TargetRoles.Deploy, environment.name, placement.account as string),
    }),
  };
  return {
    name: placement.stageName,
    actions: [
      ...(approve ? [approval(environment.name, props.key, props.repositoryUri)] : []),
      codeBuildAction({
        name: 'PrepareRelease',
        category: 'Build',
        project: props.release,
        input: ARTIFACTS.build,
        environment: {
          RELEASE_ID: '#{codepipeline.PipelineExecutionId}',
          STACK_NAME: physicalNameText('environment', target.suffix),
          ...elsewhere,
        },
        runOrder: first,
      }),
      {
        ...deploy,
        // The bake rules read these alarms' states: with the pipeline role at home, else with the deploy role.
        grants: [
          ...(deploy.grants ?? []),
          ...(target.deployRoleArn !== undefined
            ? []
            : [
                allow(
                  'ReadTheBakeAlarms',
                  ALARMS_READ,
                  alarmNames.map((name) =>
                    sub(
                      arnText('cloudwatch', `alarm:${name}`, {
                        ...(placement.region !== undefined && { region: placement.region }),
                      }),
                    ),
                  ),
                ),
              ]),
        ],
      },
      codeBuildAction({
        name: 'IntegrationTests',
        category: 'Test',
        project: props.integration,
        input: ARTIFACTS.source,
        environment: { SERVICE_URL: serviceUrl },
        runOrder: first + 2,
      }),
      codeBuildAction({
        name: 'AcceptanceTests',
        category: 'Test',
        project: props.acceptance,
        input: ARTIFACTS.source,
        environment: { SERVICE_URL: serviceUrl },
        runOrder: first + 2,
      }),
    ],
    onFailure: { Result: 'ROLLBACK' },
    onSuccess: {
      Conditions: [
        {
          Result: 'FAIL',
          Rules: BAKE_ALARMS.map((type) => ({
            // blue-5xx → QuietBlue5xx
            Name: `Quiet${type.split('-').map(capitalized).join('')}`,
            RuleTypeId: { Category: 'Rule', Owner: 'AWS', Provider: 'CloudWatchAlarm', Version: '1' },
            Configuration: { AlarmName: sub(physicalNameText(type, target.suffix)), WaitTime: ref(Params.BakeMinutes) },
            ...(placement.region !== undefined && { Region: placement.region }),
            ...(target.deployRoleArn !== undefined && { RoleArn: target.deployRoleArn }),
          })),
        },
      ],
    },
  };
}

/** The template's parameters, conditions, mappings and rules, cut to what its resources use. */
function usedSections(
  groups: readonly ParameterGroup[],
  parts: readonly Part[],
  outputs: Readonly<Record<string, Output>>,
  network: NetworkChoice,
  extraConditions: Readonly<Record<string, unknown>> = {},
) {
  const conditions = { ...pipelineConditions('ecs', network), ...extraConditions };
  const used = usedBy(resources(parts), outputs, conditions);
  const kept = usedGroups(groups, used);
  return {
    groups: kept,
    Parameters: parametersSection(kept),
    Rules: usedRules(pipelineRules('ecs'), used),
    Mappings: usedEntries(pipelineMappings('ecs'), used.mappings),
    Conditions: usedEntries(conditions, used.conditions),
  };
}

/** The pipeline that builds once and promotes the image through `environments`, in order. */
export function promotingPipelineTemplate(config: BuildConfig, environments: readonly EnvironmentConfig[]): Template {
  const base = buildOnce(ecsEngine.deployFiles, {
    artifactReaders: deployRolesIn(config),
    pullers: pullersIn(config),
  });
  const { key, artifacts, registry, signing, project } = base;
  const placed = environments.flatMap((e) => placementsOf(e, config.pipeline));
  const release = project(releaseSpec(placed.map(environmentTarget)));
  const integration = project(environmentTestSpec('integration'));
  const acceptance = project(environmentTestSpec('acceptance'));
  const repositoryUri = `\${${registry.repository.id}.RepositoryUri}`;
  const stages: PipelineStage[] = [
    ...base.stages,
    ...placed.map((p) => environmentStage(p, { key, release, integration, acceptance, repositoryUri })),
  ];
  const stores = regionalStores(config);
  const home = config.pipeline;
  const pipeline = deliveryPipeline({
    key,
    artifacts,
    stages,
    triggers: sourceTriggers(SOURCE_ACTION_NAME),
    ...(home !== undefined && stores.length > 0 && { elsewhere: { home: home.region, stores } }),
  });
  const production = stages[stages.length - 1] as PipelineStage;
  const delivery = deliveryMetrics({
    key,
    pipelineId: pipeline.pipeline.id,
    // The last environment is production: its stage's endings are the deployments DORA counts.
    productionStage: production.name,
    topic: NOTIFICATION_TOPIC,
  });
  const dashboard = pipelineDashboard({
    pipelineId: pipeline.pipeline.id,
    stages: stages.map((s) => s.name),
    alarms: alarmsOf(delivery.parts),
  });
  const measuring: Part[] = [...delivery.parts, dashboard];
  const notifications = pipelineNotifications({ key, pipelineId: pipeline.pipeline.id, alarms: measuring });
  const approved = environments.filter((e) => e.approval);
  const approvers = approved.map((e) => approverPolicy(e.name));
  const rest: Part[] = [
    ...base.parts,
    ...imageReplication(config),
    ...pipeline.parts,
    ...base.beside,
    ...notifications.parts,
    ...approvers,
    ...measuring,
  ];
  const security = encryption({
    ...keyUsersOf(rest),
    snsPublishers: approvers.length > 0,
    artifactReaders: deployRolesIn(config),
  });
  const parts: Part[] = [security.key, security.alias, ...rest];
  const outputs: Record<string, Output> = {
    ...pipeline.outputs,
    ...registry.outputs,
    ...signing.outputs,
    ...artifacts.outputs,
    ...notifications.topic.outputs,
    ...security.outputs,
    ...Object.fromEntries(
      approved.map((e, i) => [
        `${approverPolicyId(e.name)}Arn`,
        {
          Description: `Attach to the people who may approve promotions into ${e.name}.`,
          Value: ref(approvers[i] as Part),
        },
      ]),
    ),
  };
  const groups = pipelineParameterGroups('ecs', config.network).map((g) => ({
    ...g,
    parameters: g.parameters.map((p) =>
      p.name === Params.EnvironmentSuffix ? promotingPipelineSuffix(environments) : p,
    ),
  }));
  const sections = usedSections(
    [...groups, PROMOTION, regionalStoreParameters(config)],
    parts,
    outputs,
    config.network,
  );
  const metadata = interfaceMetadata(sections.groups);
  const rules =
    home === undefined ? sections.Rules : { ...sections.Rules, ...homeRules(home.account, home.region, 'Pipeline') };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cfn-cicd: CI/CD pipeline that builds, tests and scans a containerised service once, then promotes the same image through ${environments.map((e) => e.name + (e.approval ? ' (approval)' : '')).join(' -> ')}, each an environment stack deployed with Amazon ECS blue/green.`,
    Metadata: withEnvironments(metadata, config),
    Parameters: sections.Parameters,
    Rules: rules,
    Mappings: sections.Mappings,
    Conditions: sections.Conditions,
    Resources: resources(withTags(parts, standardTags(config.project, config.tags))),
    Outputs: outputs,
  };
}

/** The environments, in order, and the pipeline's home, where `cfn-cicd deploy` reads them. */
function withEnvironments(metadata: Record<string, unknown>, config: BuildConfig) {
  const own = (metadata[DEPLOY_METADATA_KEY] ?? {}) as Record<string, unknown>;
  return {
    ...metadata,
    [DEPLOY_METADATA_KEY]: {
      ...own,
      [DEPLOY_ENVIRONMENTS_KEY]: (config.environments ?? []).map((e) => ({ ...e })),
      ...(config.pipeline !== undefined && { [DEPLOY_PIPELINE_KEY]: { ...config.pipeline } }),
    },
  };
}

/** `parts` with each role named for its Region (environmentRoleName); the parts are this template's own, built for it. */
function regionalRoleNames(parts: readonly Part[]): Part[] {
  for (const { id, resource } of parts) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const properties = resource.Properties as { RoleName?: unknown };
    const name = nameText(JSON.parse(JSON.stringify(properties.RoleName)) as Json);
    const type = name === undefined ? undefined : /^cicd-(.+)-\$\{EnvironmentSuffix\}$/.exec(name)?.[1];
    if (type === undefined)
      throw new Error(`role ${id} has no cicd-<type>-\${EnvironmentSuffix} name to carry the Region`);
    properties.RoleName = sub(environmentRoleName(type, OWN_SUFFIX));
  }
  return [...parts];
}

/** What one environment runs: its own key, network, load balancer, service, alarms and probe. */
export function environmentTemplate(config: BuildConfig): Template {
  const key = STACK_KEY;
  // The pipeline's repository, or its replica in this Region; in the tools account when the config names one.
  const repositoryArn: Value<string> = sub(
    arnText('ecr', `repository/${physicalNameText('app', `\${${Params.PipelineSuffix}}`)}`, {
      ...(config.pipeline !== undefined && { account: config.pipeline.account }),
    }),
  );
  const serve = serving({ engine: ecsEngine, key, repositoryArn, topic: NOTIFICATION_TOPIC, network: config.network });
  const deployment = environmentParts(key, serve.alarms);
  const probe = syntheticProbe({ key, topic: NOTIFICATION_TOPIC });
  const servingParts = [...serve.parts, ...deployment, ...probe];
  const notifications = notificationTopic({
    key,
    // The probe's alarm exists only with SyntheticProbe true: named by its ARN, not a GetAtt.
    publishers: [
      cloudWatchAlarmsPublisher(alarmIdsOf([...serve.parts, ...deployment]), [
        arn('cloudwatch', `alarm:${physicalNameText('probe')}`),
      ]),
    ],
  });
  const rest: Part[] = regionalRoleNames([
    notifications.topic,
    notifications.policy,
    notifications.emailSubscription,
    ...servingParts,
  ]);
  const security = encryption(keyUsersOf(rest));
  const parts: Part[] = [security.key, security.alias, ...rest];
  const outputs: Record<string, Output> = {
    ...serve.loadBalancing.outputs,
    ...serve.routing.outputs,
    ...serve.service.outputs,
    ...notifications.outputs,
    ...security.outputs,
  };
  const groups = pipelineParameterGroups('ecs', config.network).filter(
    (g) => !g.parameters.some((p) => p.name === ENVIRONMENT_SUFFIX.name),
  );
  const sections = usedSections(
    [ENVIRONMENT_PARAMETERS, ...groups],
    parts,
    outputs,
    config.network,
    environmentConditions(),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'cfn-cicd: one environment of a promoting pipeline - network, load balancer, ECS service with Amazon ECS blue/green, alarms and a synthetic probe. Its pipeline releases each image into it.',
    Metadata: withEnvironments(interfaceMetadata(sections.groups), config),
    Parameters: sections.Parameters,
    Rules: sections.Rules,
    Mappings: sections.Mappings,
    Conditions: sections.Conditions,
    Resources: resources(withTags(parts, standardTags(config.project, config.tags))),
    Outputs: outputs,
  };
}
