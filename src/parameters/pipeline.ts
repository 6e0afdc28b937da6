// The pipeline template's parameters every engine shares: the environment, the source, the build,
// the service and the load balancer's production side, and notifications. Each engine adds its own
// (src/parameters/engines.ts); pipelineParameterGroups() puts them in their console groups.
import { CHAT_NOTIFICATIONS, chatConditions, chatRules } from './chat.js';
import type { Engine, NetworkChoice } from '../config.js';
import { equals, not, or, ref } from '../intrinsics.js';
import { SAST_SEVERITIES } from '../resources/scripts/sast-gate.js';
import { Conditions, Mappings, MAX_SUFFIX_LENGTH, Params } from '../naming.js';
import { CONTAINER_PARAMETERS, containerConditions } from './containers.js';
import { LOAD_BALANCER_PARAMETERS, loadBalancerConditions } from './load-balancer.js';
import { AUTOSCALING, scalingConditions, scalingRules } from './scaling.js';
import { SOURCE_TRIGGERS, triggerConditions } from './triggers.js';
import { PULL_REQUEST_CHECKS, pullRequestConditions, pullRequestRules } from './pull-requests.js';
import { ARCHITECTURE, architectureConditions } from './architecture.js';
import { ENGINE_PARAMETERS, engineConditions, engineMappings, engineRules } from './engines.js';
import type { ParameterGroup, ParameterSpec } from './spec.js';
import { IPV4_CIDR, PORT } from './spec.js';
import { httpsRules } from './https.js';
import { accessLogMappings } from './access-logs.js';
import { EXISTING_NETWORK_PARAMETERS, networkConditions, TASK_SUBNETS } from './network.js';

/** Partition, region and account of a Secrets Manager secret ARN; the name ends in the service's 6-character suffix. */
const SECRET_ARN_PATTERN =
  '^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6}$';

export const ENVIRONMENT_SUFFIX: ParameterSpec = {
  name: Params.EnvironmentSuffix,
  label: 'Environment suffix',
  definition: {
    Type: 'String',
    Description: `Suffix of every physical name (cicd-<type>-<suffix>), e.g. dev or prod. Lowercase letters, digits and inner hyphens, at most ${MAX_SUFFIX_LENGTH} characters.`,
    AllowedPattern: '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$',
    MinLength: 1,
    MaxLength: MAX_SUFFIX_LENGTH,
    ConstraintDescription: `1-${MAX_SUFFIX_LENGTH} lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
  },
  fixedAfterCreate:
    'every physical name carries it, and CloudFormation cannot replace a named resource; deploy a new stack for another suffix',
};

/** ECR scan severities, most severe first; the scan gate blocks at or above the threshold. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

/** Where the application's source comes from; the pipeline's Source stage uses them. */
const SOURCE_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.GitHubTokenSecretArn,
    label: 'GitHub token secret ARN',
    definition: {
      Type: 'String',
      Description:
        'ARN of the Secrets Manager secret that holds the GitHub personal access token, for the GitHub version 1 source action (AWS does not recommend it; prefer CodeConnectionArn); required unless CodeConnectionArn is set.',
      Default: '',
      AllowedPattern: `^$|${SECRET_ARN_PATTERN}`,
      ConstraintDescription:
        'empty (with CodeConnectionArn), or a Secrets Manager secret ARN: arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>',
    },
  },
  {
    name: Params.GitHubOwner,
    label: 'GitHub owner',
    definition: {
      Type: 'String',
      Description: 'GitHub user or organisation that owns the application repository.',
      AllowedPattern: '^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$',
      ConstraintDescription: '1-39 letters, digits and single inner hyphens (a GitHub user or organisation name)',
    },
  },
  {
    name: Params.GitHubRepo,
    label: 'GitHub repository',
    definition: {
      Type: 'String',
      Description: 'Name of the application repository (without the owner).',
      AllowedPattern: '^[A-Za-z0-9_.-]{1,100}$',
      ConstraintDescription: '1-100 letters, digits, underscores, dots and hyphens',
    },
  },
  {
    name: Params.GitHubBranch,
    label: 'GitHub branch',
    definition: {
      Type: 'String',
      Description: 'Branch whose pushes start the pipeline.',
      Default: 'main',
      AllowedPattern: '^[A-Za-z0-9._/-]{1,100}$',
      ConstraintDescription: '1-100 letters, digits and . _ / - (a git branch name)',
    },
  },
  {
    name: Params.GitHubTokenSecretKey,
    label: 'JSON key of the token in the secret',
    definition: {
      Type: 'String',
      Description: "Key inside the secret's JSON SecretString that holds the GitHub token.",
      Default: 'token',
      AllowedPattern: '^[A-Za-z0-9_.-]{1,128}$',
      ConstraintDescription: '1-128 letters, digits, underscores, dots and hyphens',
    },
  },
  {
    name: Params.CodeConnectionArn,
    label: 'CodeConnections ARN (recommended source)',
    definition: {
      Type: 'String',
      Description:
        'ARN of an AWS CodeConnections (CodeStar) connection to GitHub, the recommended source: the Source stage uses it instead of the token and webhook, and the Source triggers filter which pushes start the pipeline.',
      Default: '',
      AllowedPattern:
        '^$|^arn:aws(-cn|-us-gov)?:(codestar-connections|codeconnections):[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:connection/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
      ConstraintDescription: 'empty, or a connection ARN: arn:aws:codeconnections:<region>:<account>:connection/<uuid>',
    },
  },
];

const BUILDSPEC_PATH = '^[A-Za-z0-9_./-]{1,200}\\.ya?ml$';

/** What the build, test and scan stages run. */
const BUILD_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.UnitTestBuildspec,
    label: 'Unit-test buildspec path',
    definition: {
      Type: 'String',
      Description:
        "Path, in the application repository, of the buildspec that runs the unit tests (the application's own).",
      Default: 'buildspecs/unit.yml',
      AllowedPattern: BUILDSPEC_PATH,
      ConstraintDescription: 'a relative path of letters, digits and _ . / - ending in .yml or .yaml',
    },
  },
  {
    name: Params.IntegrationTestBuildspec,
    label: 'Integration-test buildspec path',
    definition: {
      Type: 'String',
      Description:
        "Path, in the application repository, of the buildspec that runs the integration tests (the application's own).",
      Default: 'buildspecs/integration.yml',
      AllowedPattern: BUILDSPEC_PATH,
      ConstraintDescription: 'a relative path of letters, digits and _ . / - ending in .yml or .yaml',
    },
  },
  {
    name: Params.ScanSeverityThreshold,
    label: 'Scan gate severity threshold',
    definition: {
      Type: 'String',
      Description: 'The SecurityScan stage fails when the image has any finding at or above this severity.',
      Default: 'HIGH',
      AllowedValues: SEVERITIES,
      ConstraintDescription: 'one of CRITICAL, HIGH, MEDIUM, LOW',
    },
  },
  {
    name: Params.SastSeverityThreshold,
    label: 'Static analysis severity threshold',
    definition: {
      Type: 'String',
      Description:
        'The StaticAnalysis action fails on any Semgrep finding at or above this severity (rules marked ERROR count as HIGH, WARNING as MEDIUM, INFO as LOW).',
      Default: 'HIGH',
      AllowedValues: SAST_SEVERITIES,
      ConstraintDescription: `one of ${SAST_SEVERITIES.join(', ')}`,
    },
  },
  {
    name: Params.ImageSigningProfileArn,
    label: 'Image signing profile ARN (optional)',
    definition: {
      Type: 'String',
      Description:
        "ARN of the AWS Signer profile (platform Notation-OCI-SHA384-ECDSA) that the registry's managed signing uses for this repository. Empty: the stack creates the profile and the registry's signing configuration, of which an account and region has one.",
      Default: '',
      AllowedPattern:
        '^$|^arn:aws(-cn|-us-gov)?:signer:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:/signing-profiles/[A-Za-z0-9_]{2,64}$',
      ConstraintDescription:
        'empty, or a signing profile ARN: arn:aws:signer:<region>:<12-digit account>:/signing-profiles/<name>',
    },
  },
];

/** Fargate task sizes offered, as `<cpu units>-<memory MiB>`; each is a valid Fargate pair. */
export const TASK_SIZES = ['256-512', '256-1024', '512-1024', '512-2048', '1024-2048', '1024-4096'] as const;

/** The container, its size and how many run. */
export const SERVICE_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.ContainerName,
    label: 'Container name',
    definition: {
      Type: 'String',
      Description: 'Name of the application container in the task definition and the AppSpec.',
      Default: 'app',
      AllowedPattern: '^[a-z][a-z0-9-]{0,31}$',
      ConstraintDescription: '1-32 lowercase letters, digits and hyphens, starting with a letter',
    },
  },
  {
    name: Params.ContainerPort,
    label: 'Container port',
    // Above 1023: a container that runs as a user other than root may listen there.
    definition: { ...PORT, Description: 'Port the container listens on.', Default: 8080 },
    fixedAfterCreate:
      'the target groups (named, so never replaced) and the service are created on this port; deploy a new stack',
  },
  {
    name: Params.HealthCheckPath,
    label: 'Health-check path',
    definition: {
      Type: 'String',
      Description: 'HTTP path the load balancer probes; a 200 response means healthy.',
      Default: '/',
      AllowedPattern: '^/[A-Za-z0-9._~/-]{0,1023}$',
      ConstraintDescription: 'a path starting with / of letters, digits and . _ ~ / -',
    },
  },
  {
    name: Params.TaskSize,
    label: 'Task size (CPU units-memory MiB)',
    definition: {
      Type: 'String',
      Description: 'Fargate CPU units and memory (MiB) of a task, as cpu-memory.',
      Default: '256-512',
      AllowedValues: TASK_SIZES,
      ConstraintDescription: `one of ${TASK_SIZES.join(', ')}`,
    },
  },
  {
    name: Params.DesiredCount,
    label: 'Desired task count',
    definition: {
      Type: 'Number',
      Description:
        'Tasks the service keeps running while Autoscaling is disabled; with it enabled the scaler owns the count and stack updates leave it alone.',
      Default: 1,
      MinValue: 1,
      MaxValue: 10,
      ConstraintDescription: 'a whole number from 1 to 10',
    },
  },
  {
    name: Params.FargateSpotShare,
    label: 'Fargate Spot share (%)',
    definition: {
      Type: 'Number',
      Description: 'Percentage of tasks placed on Fargate Spot (cheaper, interruptible).',
      Default: 0,
      AllowedValues: [0, 25, 50, 75, 100],
      ConstraintDescription: 'one of 0, 25, 50, 75, 100',
    },
  },
];

/** Who may reach the load balancer's production port. */
const NETWORK_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.AllowedIngressCidr,
    label: 'Allowed client CIDR',
    definition: {
      Type: 'String',
      Description: 'IPv4 CIDR admitted to the load balancer on the production port.',
      Default: '0.0.0.0/0',
      AllowedPattern: IPV4_CIDR,
      ConstraintDescription: 'an IPv4 CIDR block such as 203.0.113.0/24 or 0.0.0.0/0',
    },
  },
  {
    name: Params.ProductionPort,
    label: 'Production listener port',
    definition: { ...PORT, Description: 'Load balancer port that serves production traffic.', Default: 80 },
  },
];

const NOTIFICATION_EMAIL: ParameterSpec = {
  name: Params.NotificationEmail,
  label: 'Notification e-mail (optional)',
  definition: {
    Type: 'String',
    Description: 'E-mail address subscribed to pipeline notifications; leave empty for none.',
    Default: '',
    AllowedPattern: '^$|^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\\.[A-Za-z]{2,24}$',
    ConstraintDescription: 'empty, or an e-mail address such as team@example.com',
  },
};

export const ENVIRONMENT: ParameterGroup = { label: 'Environment', parameters: [ENVIRONMENT_SUFFIX] };

/** The parameters of a pipeline template with this engine and network, group by group. */
export function pipelineParameterGroups(engine: Engine, network: NetworkChoice = 'create'): ParameterGroup[] {
  const own = ENGINE_PARAMETERS[engine];
  const common = own.network(
    network === 'existing'
      ? [...EXISTING_NETWORK_PARAMETERS, ...NETWORK_PARAMETERS]
      : [...NETWORK_PARAMETERS, TASK_SUBNETS],
  );
  return [
    ENVIRONMENT,
    { label: 'Source repository', parameters: SOURCE_PARAMETERS },
    SOURCE_TRIGGERS,
    PULL_REQUEST_CHECKS,
    { label: 'Build, test and scan', parameters: BUILD_PARAMETERS },
    ARCHITECTURE,
    { label: 'Service', parameters: [...own.service(SERVICE_PARAMETERS), ...CONTAINER_PARAMETERS] },
    AUTOSCALING,
    {
      label: 'Network and load balancer',
      parameters: [...common, ...LOAD_BALANCER_PARAMETERS],
    },
    { label: 'Blue/green deployment', parameters: own.deployment },
    { label: 'Notifications', parameters: [NOTIFICATION_EMAIL] },
    CHAT_NOTIFICATIONS,
  ];
}

/**
 * Rules CloudFormation checks before it changes anything; `cfn-cicd deploy` evaluates them too, so
 * a bad combination costs one line instead of a failed create.
 */
export function pipelineRules(engine: Engine): Record<string, unknown> {
  return {
    ...engineRules(engine),
    ...scalingRules(),
    ...chatRules(),
    ...pullRequestRules(),
    ...httpsRules(engine),
    GitHubTokenWithoutConnection: {
      RuleCondition: equals(ref(Params.CodeConnectionArn), ''),
      Assertions: [
        {
          Assert: not(equals(ref(Params.GitHubTokenSecretArn), '')),
          AssertDescription:
            'GitHubTokenSecretArn is required when CodeConnectionArn is empty (the GitHub token source)',
        },
      ],
    },
  };
}

/** Conditions derived from parameters. */
export function pipelineConditions(engine: Engine, network: NetworkChoice = 'create'): Record<string, unknown> {
  return {
    [Conditions.HasNotificationEmail]: not(equals(ref(Params.NotificationEmail), '')),
    [Conditions.UseCodeConnection]: not(equals(ref(Params.CodeConnectionArn), '')),
    [Conditions.UseGitHubWebhook]: equals(ref(Params.CodeConnectionArn), ''),
    [Conditions.ScanBlocksHigh]: not(equals(ref(Params.ScanSeverityThreshold), 'CRITICAL')),
    [Conditions.ScanBlocksMedium]: or(
      equals(ref(Params.ScanSeverityThreshold), 'MEDIUM'),
      equals(ref(Params.ScanSeverityThreshold), 'LOW'),
    ),
    [Conditions.ScanBlocksLow]: equals(ref(Params.ScanSeverityThreshold), 'LOW'),
    [Conditions.CreateImageSigning]: equals(ref(Params.ImageSigningProfileArn), ''),
    ...scalingConditions(),
    ...triggerConditions(),
    ...pullRequestConditions(),
    ...architectureConditions(),
    ...engineConditions(engine),
    ...containerConditions(engine === 'ecs' ? Params.Image : Params.InitialImage),
    ...loadBalancerConditions(),
    ...networkConditions(network),
    ...chatConditions(),
  };
}

/** Parameter value → settings that CloudFormation cannot compute from a value alone. */
export function pipelineMappings(engine: Engine): Record<string, Record<string, Record<string, string | number>>> {
  return {
    // Fargate's valid CPU units / memory MiB pairs (a subset: the small end, for cost).
    [Mappings.TaskSizes]: Object.fromEntries(
      TASK_SIZES.map((size) => {
        const [cpu, memory] = size.split('-') as [string, string];
        // The container's hard limit is the task's memory, as the number a container definition takes.
        return [size, { Cpu: cpu, Memory: memory, ContainerMemory: Number(memory) }];
      }),
    ),
    // Capacity-provider weights that give the service this percentage of its tasks on Fargate Spot.
    [Mappings.SpotShares]: {
      '0': { Fargate: 1, Spot: 0 },
      '25': { Fargate: 3, Spot: 1 },
      '50': { Fargate: 1, Spot: 1 },
      '75': { Fargate: 1, Spot: 3 },
      '100': { Fargate: 0, Spot: 1 },
    },
    ...engineMappings(engine),
    ...accessLogMappings(),
  };
}
