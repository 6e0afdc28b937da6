// Amazon ECS blue/green (the default engine): the service itself runs each deployment with the
// chosen strategy (all at once, canary or linear), moving two listener rules between the blue and
// green target groups through an infrastructure role, rolling back when an alarm fires or the
// circuit breaker trips, with a smoke test before production traffic and an optional pause.
//
// A new image reaches the service as a stack update: the Deploy stage prepares a change set of this
// stack that sets Image and ReleaseId and keeps every other input (scripts/release.ts), then executes
// it. CloudFormation owns the task definition, so a later update for any other reason keeps the
// pipeline's image (the parameter holds it) instead of rolling the service back.
import type { EcsDeploymentConfiguration, EcsLifecycleHook } from '../../cfn/extensions.js';
import { FunctionV2, retain, skipCheckov } from '../../cfn/extensions.js';
import { ListenerRule } from '../../cfn/resources.js';
import type { Part } from '../../cfn/template.js';
import { part } from '../../cfn/template.js';
import {
  CFN_DESCRIBE_STACKS,
  CFN_EXECUTE_CHANGE_SET,
  CFN_LIST_CHANGE_SETS,
  CFN_PREPARE_CHANGE_SET,
  ECS_CONTINUE_DEPLOYMENT,
  ECS_DESCRIBE_TASK_DEFINITION,
  ECS_SERVICE_DEPLOYMENTS,
  ECS_SERVICE_RELEASE,
  ECS_TASK_DEFINITION_RELEASE,
  ELB_DESCRIBE_WITH_HEALTH,
  ELB_MODIFY_LISTENERS,
  ELB_MODIFY_RULES,
  ELB_TARGETS,
  IAM_GET_ROLE,
  KMS_DECRYPT,
  LAMBDA_INVOKE,
  LOGS_WRITE,
  SECRET_READ,
  STS_ASSUME_ROLE,
} from '../../iam/actions.js';
import { allow, allowAnyResource, passRole, serviceRole } from '../../iam/policy.js';
import type { Value } from '../../intrinsics.js';
import { arn, arnText, findInMap, getAtt, ifCondition, noValue, ref, sub } from '../../intrinsics.js';
import {
  Conditions,
  Ids,
  Mappings,
  OWN_SUFFIX,
  Params,
  physicalName,
  physicalNameText,
  ProjectStems,
} from '../../naming.js';
import type { PipelineAction } from '../actions.js';
import { ARTIFACTS, codeBuildAction } from '../actions.js';
import type { ProjectSpec } from '../build.js';
import { imageScriptBuildspec } from '../build.js';
import type { KeyRef } from '../encryption.js';
import { logGroup } from '../logging.js';
import type { LoadBalancing } from '../network.js';
import { productionListeners, serviceUrl } from '../listeners.js';
import { releaseScript } from '../scripts/release.js';
import { SMOKE_TEST_HANDLER, TEST_TRAFFIC_HEADER } from '../scripts/smoke-test.js';
import { generatedToken, TOKEN_KEY } from '../secrets.js';
import type { FargateService } from '../service.js';
import type { DeploymentEngine } from './engine.js';

/** The change set the release step prepares and the Deploy action executes. */
export const RELEASE_CHANGE_SET = 'cicd-release';
/** How long a paused deployment waits for a person before it rolls back. */
export const PAUSE_TIMEOUT_MINUTES = 720;
/** How long the smoke-test hook may take before ECS rolls back. */
export const SMOKE_TEST_TIMEOUT_MINUTES = 5;

const ECS_PRINCIPAL = 'ecs.amazonaws.com';
const servicePath = (suffix: string) => `${physicalNameText('cluster', suffix)}/${physicalNameText('service', suffix)}`;
/** The service ARN, for the roles that act on this one service. */
const serviceArnText = (suffix = OWN_SUFFIX) => arnText('ecs', `service/${servicePath(suffix)}`);
/** Its deployments: what ECS's DescribeServiceDeployments and Stop/ContinueServiceDeployment authorise on. */
const serviceDeploymentsArnText = (suffix = OWN_SUFFIX) =>
  arnText('ecs', `service-deployment/${servicePath(suffix)}/*`);
const SERVICE_ARN_TEXT = serviceArnText();
const SERVICE_DEPLOYMENTS_ARN_TEXT = serviceDeploymentsArnText();

/** The stack a release updates, and the roles that update passes on, as the pipeline names them. */
export interface ReleaseTarget {
  readonly stackName: Value<string>;
  readonly stackArn: Value<string>;
  /** The `!Sub` text of the target stack's EnvironmentSuffix. */
  readonly suffix: string;
  /** The task execution role and the task role the new task definition names. */
  readonly taskRoleArns: readonly Value<string>[];
  /** The load balancer's infrastructure role UpdateService re-sends. */
  readonly infrastructureRoleArn: Value<string>;
  /** The lifecycle hooks' role UpdateService re-sends, by name: it exists only with SmokeTest enabled. */
  readonly hookRoleArn: Value<string>;
  /** The Region of the stack, when it is not the pipeline's. @default - the pipeline's Region */
  readonly region?: string;
  /**
   * The role in the stack's account that prepares and executes its releases, when that account is not
   * the pipeline's: the stack runs with its own service role, so the pipeline holds no rights there
   * beyond assuming this one. @default - the pipeline's roles act on the stack themselves
   */
  readonly deployRoleArn?: Value<string>;
}

/** A stack some other account's role releases into. */
const isRemote = (t: ReleaseTarget): t is ReleaseTarget & { deployRoleArn: Value<string> } =>
  t.deployRoleArn !== undefined;

/** Assuming the deploy roles of `targets` in other accounts. */
const assumeDeployRoles = (targets: readonly ReleaseTarget[]) => {
  // One role per environment, however many Regions it runs in.
  const roles = [
    ...new Map(targets.filter(isRemote).map((t) => [JSON.stringify(t.deployRoleArn), t.deployRoleArn])).values(),
  ];
  return roles.length === 0 ? [] : [allow('AssumeTheDeployRoles', STS_ASSUME_ROLE, roles)];
};

/**
 * Before the release script, for an action given TARGET_REGION and DEPLOY_ROLE_ARN: the image as ECR
 * replicated it into that Region (same repository and digest, that Region's registry host), the aws
 * CLI in that Region, and the CLI's own role chaining (a profile with role_arn and credential_source
 * EcsContainer, the container credentials CodeBuild provides; AWS CLI User Guide, "Use an IAM role").
 */
export const RELEASE_ELSEWHERE_COMMANDS = [
  'if [ -n "${TARGET_REGION:-}" ]; then IMAGE_URI=$(printf \'%s\' "$IMAGE_URI" | sed "s/\\.dkr\\.ecr\\.[a-z0-9-]*\\.amazonaws/.dkr.ecr.${TARGET_REGION}.amazonaws/"); export AWS_REGION="$TARGET_REGION" AWS_DEFAULT_REGION="$TARGET_REGION"; fi',
  'if [ -n "${DEPLOY_ROLE_ARN:-}" ]; then aws configure set role_arn "$DEPLOY_ROLE_ARN" --profile target && aws configure set credential_source EcsContainer --profile target && export AWS_PROFILE=target; fi',
] as const;

/** The stack itself as the release target: the single-stack pipeline. */
export const ownStack = (service: FargateService): ReleaseTarget => ({
  stackName: ref('AWS::StackName'),
  stackArn: ref('AWS::StackId'),
  suffix: OWN_SUFFIX,
  taskRoleArns: [getAtt(service.executionRole, 'Arn'), getAtt(service.taskRole, 'Arn')],
  infrastructureRoleArn: getAtt(Ids.LoadBalancerInfrastructureRole, 'Arn'),
  hookRoleArn: arn('iam', `role/${physicalNameText('hook-role')}`),
});

/** A forward to the blue group only; ECS changes the weights as it deploys. */
const blueOnly = (lb: LoadBalancing) => [
  {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: ref(lb.blueTargetGroup), Weight: 1 },
        { TargetGroupArn: ref(lb.greenTargetGroup), Weight: 0 },
      ],
    },
  },
];

/** ECS assumes these roles for this account; the keys are matched when ECS sends them. */
const ecsRole = (
  id: string,
  nameType: string,
  description: string,
  statements: Parameters<typeof serviceRole>[0]['statements'],
) =>
  serviceRole({
    id,
    nameType,
    service: ECS_PRINCIPAL,
    description,
    sourceArn: arn('ecs', '*'),
    confusedDeputyKeysOptional: true,
    statements,
  });

/** The smoke-test hook and the pause hook, each kept or dropped by its parameter. */
function lifecycleHooks(): EcsDeploymentConfiguration['LifecycleHooks'] {
  const smoke: EcsLifecycleHook = {
    LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
    TargetType: 'AWS_LAMBDA',
    HookTargetArn: getAtt(Ids.SmokeTestFunction, 'Arn'),
    RoleArn: getAtt(Ids.LifecycleHookRole, 'Arn'),
    TimeoutConfiguration: { Action: 'ROLLBACK', TimeoutInMinutes: SMOKE_TEST_TIMEOUT_MINUTES },
  };
  // PAUSE is not allowed at the traffic-shift stages themselves (AWS::ECS::Service DeploymentLifecycleHook).
  const pause: EcsLifecycleHook = {
    LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
    TargetType: 'PAUSE',
    TimeoutConfiguration: { Action: 'ROLLBACK', TimeoutInMinutes: PAUSE_TIMEOUT_MINUTES },
  };
  return ifCondition(
    Conditions.HasSmokeTest,
    ifCondition(Conditions.PauseBeforeProduction, [smoke, pause], [smoke]),
    ifCondition(Conditions.PauseBeforeProduction, [pause], noValue()),
  );
}

/** Strategy, bake time, canary or linear steps, circuit breaker, alarms and hooks. */
function deploymentConfiguration(alarms: readonly Part[]): EcsDeploymentConfiguration {
  const strategy = (key: 'Strategy' | 'Percent' | 'StepMinutes') =>
    findInMap(Mappings.EcsStrategies, ref(Params.DeploymentStrategy), key);
  return {
    Strategy: strategy('Strategy'),
    BakeTimeInMinutes: ref(Params.BlueTerminationWaitMinutes),
    CanaryConfiguration: ifCondition(
      Conditions.IsCanaryDeployment,
      { CanaryPercent: strategy('Percent'), CanaryBakeTimeInMinutes: strategy('StepMinutes') },
      noValue(),
    ),
    LinearConfiguration: ifCondition(
      Conditions.IsLinearDeployment,
      { StepPercent: strategy('Percent'), StepBakeTimeInMinutes: strategy('StepMinutes') },
      noValue(),
    ),
    MaximumPercent: 200,
    MinimumHealthyPercent: 100,
    DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    Alarms: { AlarmNames: alarms.map((a) => ref(a)), Enable: true, Rollback: true },
    LifecycleHooks: lifecycleHooks(),
  };
}

/** The Lambda function the smoke-test hook runs, its role and its log group (only with SmokeTest enabled). */
function smokeTest(key: KeyRef): Part[] {
  const token = Ids.TestTrafficToken;
  const group = logGroup({ id: Ids.SmokeTestLogGroup, nameType: 'smoke-test-logs', key });
  const role = serviceRole({
    id: Ids.SmokeTestRole,
    nameType: 'smoke-test-role',
    service: 'lambda.amazonaws.com',
    description: 'Smoke test: reads the test-traffic token and writes its own logs',
    sourceArn: arn('lambda', `function:${physicalNameText('smoke-test')}`),
    // Lambda's execution-role pages show no confused-deputy keys on AssumeRole.
    confusedDeputyKeysOptional: true,
    statements: [
      allow('WriteOwnLogs', LOGS_WRITE, [getAtt(group, 'Arn')]),
      allow('ReadTheTestTrafficToken', SECRET_READ, [ref(token)]),
      allow('DecryptTheToken', KMS_DECRYPT, [getAtt(key, 'Arn')]),
    ],
  });
  const fn = part(
    Ids.SmokeTestFunction,
    skipCheckov(
      new FunctionV2({
        FunctionName: physicalName('smoke-test'),
        Description: 'ECS lifecycle hook: requests the new tasks through the test route before production traffic',
        Runtime: 'python3.13',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        Code: { ZipFile: SMOKE_TEST_HANDLER },
        Role: getAtt(role, 'Arn'),
        MemorySize: 128,
        // Three attempts of up to 10 s at two paths, 5 s apart, and the token read.
        Timeout: 120,
        // One deployment at a time calls it; two leaves room for ECS's retry.
        ReservedConcurrentExecutions: 2,
        KmsKeyArn: getAtt(key, 'Arn'),
        Environment: {
          Variables: {
            TEST_URL: serviceUrl(Params.ProductionPort),
            HEALTH_CHECK_PATH: ref(Params.HealthCheckPath),
            SMOKE_TEST_PATH: ref(Params.SmokeTestPath),
            TOKEN_SECRET_ARN: ref(token),
          },
        },
        LoggingConfig: { LogGroup: ref(group), LogFormat: 'Text' },
      }),
      [
        {
          id: 'CKV_AWS_116',
          comment:
            'ECS invokes the hook synchronously and rolls back on an error; a dead-letter queue would hold nothing',
        },
        {
          id: 'CKV_AWS_117',
          comment: 'It requests the internet-facing load balancer; inside the VPC it would need a NAT gateway',
        },
      ],
    ),
  );
  const hookRole = ecsRole(Ids.LifecycleHookRole, 'hook-role', 'ECS: invokes the smoke-test hook during deployments', [
    allow('InvokeTheSmokeTest', LAMBDA_INVOKE, [getAtt(fn, 'Arn')]),
  ]);
  const parts = [group, role, fn, hookRole];
  for (const p of parts) p.resource.condition(Conditions.HasSmokeTest);
  return parts;
}

/** The release project: prepares the change set that sets Image and ReleaseId of `targets`' stacks (scripts/release.ts). */
export function releaseSpec(targets: readonly ReleaseTarget[]): ProjectSpec {
  const [first] = targets;
  if (first === undefined) throw new Error('a release project needs a stack to release into');
  const local = targets.filter((t) => !isRemote(t));
  return {
    stem: ProjectStems.Release,
    nameType: 'release',
    description:
      targets.length === 1 && first.suffix === OWN_SUFFIX
        ? 'Prepares the change set of this stack that deploys the built image: Image and ReleaseId, nothing else'
        : "Prepares the change set of an environment's stack that deploys the built image: Image and ReleaseId, nothing else",
    buildspec: imageScriptBuildspec(
      'Release',
      releaseScript({ image: Params.Image, release: Params.ReleaseId }),
      'IMAGE_URI',
      '',
      targets.some((t) => t.region !== undefined || isRemote(t)) ? RELEASE_ELSEWHERE_COMMANDS : [],
    ),
    // Each environment's action names its own stack; the first is the default.
    environment: { STACK_NAME: first.stackName, CHANGE_SET_NAME: RELEASE_CHANGE_SET },
    statements: [
      ...(local.length === 0
        ? []
        : [
            allow(
              'PrepareTheReleaseChangeSet',
              CFN_PREPARE_CHANGE_SET,
              local.map((t) => t.stackArn),
              {
                StringEquals: { 'cloudformation:ChangeSetName': RELEASE_CHANGE_SET },
              },
            ),
            // The script also lists the stack's change sets (one left by an earlier run holds the name).
            allow(
              'ReadThisStack',
              [...CFN_DESCRIBE_STACKS, ...CFN_LIST_CHANGE_SETS],
              local.map((t) => t.stackArn),
            ),
          ]),
      ...assumeDeployRoles(targets),
    ],
    // The release waits up to 30 minutes for another update of the stack to finish.
    timeoutInMinutes: 45,
  };
}

/**
 * Executes the release change set. CloudFormation runs it with the pipeline role's credentials (the
 * stack has no service role), so the role holds what replacing the task definition and updating the
 * service take, on this family and this service only.
 */
export function executeRelease(
  target: ReleaseTarget,
  props: { name?: string; runOrder?: number; namespace?: string } = {},
): PipelineAction {
  const action = {
    name: props.name ?? 'Deploy',
    actionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CloudFormation', Version: '1' },
    configuration: {
      ActionMode: 'CHANGE_SET_EXECUTE',
      StackName: target.stackName,
      ChangeSetName: RELEASE_CHANGE_SET,
    },
    runOrder: props.runOrder ?? 2,
    ...(props.namespace !== undefined && { namespace: props.namespace }),
    ...(target.region !== undefined && { region: target.region }),
  } as const;
  // In another account the deploy role executes the change set, and the stack's own role carries it out.
  if (isRemote(target)) return { ...action, roleArn: target.deployRoleArn, grants: assumeDeployRoles([target]) };
  const taskRoles = [...target.taskRoleArns];
  const at = (service: string, resource: string) => sub(arnText(service, resource, { region: target.region }));
  return {
    ...action,
    grants: [
      allow('ExecuteTheReleaseChangeSet', [...CFN_EXECUTE_CHANGE_SET, ...CFN_DESCRIBE_STACKS], [target.stackArn]),
      allow('RegisterRevisionsOfTheTaskFamily', ECS_TASK_DEFINITION_RELEASE, [
        at('ecs', `task-definition/${physicalNameText('app', target.suffix)}:*`),
      ]),
      allowAnyResource('DescribeAndDeregisterTaskDefinitions', [
        ...ECS_DESCRIBE_TASK_DEFINITION,
        'ecs:DeregisterTaskDefinition',
      ]),
      allow('UpdateThisService', ECS_SERVICE_RELEASE, [at('ecs', `service/${servicePath(target.suffix)}`)]),
      allow('FollowThisServicesDeployments', ECS_SERVICE_DEPLOYMENTS, [
        at('ecs', `service/${servicePath(target.suffix)}`),
        at('ecs', `service-deployment/${servicePath(target.suffix)}/*`),
      ]),
      allow('ReadTheTaskRoles', IAM_GET_ROLE, taskRoles),
      passRole('PassOnlyTheTaskRoles', taskRoles, 'ecs-tasks.amazonaws.com'),
      // UpdateService re-sends the load balancer's infrastructure role and the hooks' role.
      passRole('PassOnlyTheDeploymentRoles', [target.infrastructureRoleArn, target.hookRoleArn], ECS_PRINCIPAL),
    ],
  };
}

/** What the service's deployments need in its own stack: the alarms they roll back on and the smoke test. */
export const environmentParts = (key: KeyRef, alarms: readonly Part[]): Part[] => [...alarms, ...smokeTest(key)];

/** `aws ecs …` that finds the paused deployment of this service and lets it go on. */
function continueCommand(): Value<string> {
  const cluster = physicalNameText('cluster');
  const service = physicalNameText('service');
  return sub(
    [
      `D=$(aws ecs list-service-deployments --cluster ${cluster} --service ${service} --status IN_PROGRESS --query 'serviceDeployments[0].serviceDeploymentArn' --output text)`,
      `H=$(aws ecs describe-service-deployments --service-deployment-arns "$D" --query "serviceDeployments[0].lifecycleHookDetails[?status=='AWAITING_ACTION'].hookId | [0]" --output text)`,
      'aws ecs continue-service-deployment --service-deployment-arn "$D" --hook-id "$H" --action CONTINUE',
    ].join(' && '),
  );
}

export const ecsEngine: DeploymentEngine = {
  summary: 'Amazon ECS blue/green with a smoke test before production traffic',
  clientPorts: [],
  deployFiles: {},

  routing({ key, loadBalancing: lb, alarms }) {
    // Every request matches a rule; the default answers only if a rule is ever removed.
    const listeners = productionListeners(lb, [
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } },
    ]);
    // Retained like every secret of the stack (stored data outlives the stack; docs/SECURITY.md).
    const token = part(
      Ids.TestTrafficToken,
      retain(
        generatedToken({
          nameType: 'test-token',
          description: `Requests with header ${TEST_TRAFFIC_HEADER} set to this token reach the new tasks before production traffic does`,
          key,
          length: 32,
        }),
      ),
    );
    // The test route first: requests with the token reach whichever group ECS is testing.
    const testRule = part(
      Ids.TestListenerRule,
      new ListenerRule({
        ListenerArn: listeners.arn,
        Priority: 1,
        Conditions: [
          {
            Field: 'http-header',
            HttpHeaderConfig: {
              HttpHeaderName: TEST_TRAFFIC_HEADER,
              Values: [sub(`{{resolve:secretsmanager:\${${Ids.TestTrafficToken}}:SecretString:${TOKEN_KEY}}}`)],
            },
          },
        ],
        Actions: blueOnly(lb),
      }),
    );
    const productionRule = part(
      Ids.ProductionListenerRule,
      new ListenerRule({
        ListenerArn: listeners.arn,
        Priority: 2,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        Actions: blueOnly(lb),
      }),
    );
    const rules = [ref(productionRule), ref(testRule)];
    const infrastructureRole = ecsRole(
      Ids.LoadBalancerInfrastructureRole,
      'lb-infra-role',
      'ECS: moves the listener rules of this service between its two target groups and registers its tasks',
      [
        allow('ShiftTrafficOnTheseRules', ELB_MODIFY_RULES, rules),
        allow('ModifyThisListener', ELB_MODIFY_LISTENERS, [listeners.arn]),
        allow('RegisterTasksInTheseGroups', ELB_TARGETS, [ref(lb.blueTargetGroup), ref(lb.greenTargetGroup)]),
        allowAnyResource('DescribeLoadBalancing', ELB_DESCRIBE_WITH_HEALTH),
      ],
    );
    return {
      parts: [...listeners.parts, token, testRule, productionRule, infrastructureRole],
      outputs: {
        ProductionUrl: {
          Description: 'URL of the service (production listener).',
          Value: serviceUrl(Params.ProductionPort),
        },
        TestTrafficTokenSecretArn: {
          Description: `Secret whose "${TOKEN_KEY}" value, sent as header ${TEST_TRAFFIC_HEADER} to ProductionUrl, reaches the new tasks during a deployment.`,
          Value: ref(token),
        },
        ContinueDeploymentCommand: {
          Description:
            'With PauseBeforeProduction true: lets the paused deployment move production traffic (use --action ROLLBACK to abandon it).',
          Value: continueCommand(),
        },
        ApproverPermissions: {
          Description: 'IAM actions the person who continues a paused deployment needs, and on what.',
          Value: sub(
            `${ECS_CONTINUE_DEPLOYMENT.join(', ')} on ${SERVICE_ARN_TEXT} and ${SERVICE_DEPLOYMENTS_ARN_TEXT}`,
          ),
        },
      },
      service: {
        controller: 'ECS',
        image: ref(Params.Image),
        taskDefinition: 'revision',
        advanced: {
          AlternateTargetGroupArn: ref(lb.greenTargetGroup),
          ProductionListenerRule: ref(productionRule),
          TestListenerRule: ref(testRule),
          RoleArn: getAtt(infrastructureRole, 'Arn'),
        },
        configuration: deploymentConfiguration(alarms),
        // ECS registers tasks only behind a listener: the rules it names reference it.
        dependsOn: [],
        tags: [{ Key: 'Release', Value: ref(Params.ReleaseId) }],
      },
    };
  },

  deployment({ key, service, alarms, project }) {
    const release = project(releaseSpec([ownStack(service)]));
    return {
      parts: environmentParts(key, alarms),
      outputs: {},
      stage: {
        name: 'Deploy',
        actions: [
          codeBuildAction({
            name: 'PrepareRelease',
            category: 'Build',
            project: release,
            input: ARTIFACTS.build,
            environment: { RELEASE_ID: '#{codepipeline.PipelineExecutionId}' },
          }),
          executeRelease(ownStack(service)),
        ],
      },
    };
  },
};
