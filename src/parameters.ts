// The template's inputs: each parameter with its constraint, and the console form that groups
// and labels them (AWS::CloudFormation::Interface).
import type { ParameterDefinition } from './cfn/template.js';
import { equals, not, or, ref } from './intrinsics.js';
import { SAST_SEVERITIES } from './resources/scripts/sast-gate.js';
import {
  Conditions,
  Mappings,
  MAX_SUFFIX_LENGTH,
  Params,
  ServiceCatalogConditions,
  ServiceCatalogParams,
} from './naming.js';

/** A parameter with the label the console shows for it. */
export interface ParameterSpec {
  readonly name: string;
  readonly label: string;
  readonly definition: ParameterDefinition;
  /**
   * Why the value cannot change once the stack exists, and what to do instead; `cfn-cicd deploy`
   * refuses such a change before any change set. @default - the value may change on any update
   */
  readonly fixedAfterCreate?: string;
}

/** A console group: its label and its parameters, declared once, in the order the console shows them. */
export interface ParameterGroup {
  readonly label: string;
  readonly parameters: readonly ParameterSpec[];
}

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
        'ARN of the Secrets Manager secret that holds the GitHub personal access token; required unless CodeConnectionArn is set.',
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
    label: 'CodeConnections ARN (optional)',
    definition: {
      Type: 'String',
      Description:
        'ARN of an AWS CodeConnections (CodeStar) connection to GitHub. When set, the Source stage uses it instead of the token and webhook.',
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

/** DeploymentStrategy values and the CodeDeploy predefined ECS configurations they select. */
export const DEPLOYMENT_CONFIGS = {
  AllAtOnce: 'CodeDeployDefault.ECSAllAtOnce',
  Canary10Percent5Minutes: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  Canary10Percent15Minutes: 'CodeDeployDefault.ECSCanary10Percent15Minutes',
  Linear10PercentEvery1Minutes: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  Linear10PercentEvery3Minutes: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
} as const;

const PORT = { Type: 'Number', MinValue: 1, MaxValue: 65535, ConstraintDescription: 'a TCP port, 1-65535' } as const;

/** The container, its size and how many run. */
const SERVICE_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.ContainerName,
    label: 'Container name',
    fixedAfterCreate:
      'the service names its load-balanced container at creation, and ECS refuses new load balancers for a CODE_DEPLOY service; deploy a new stack',
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
    definition: { ...PORT, Description: 'Port the container listens on.', Default: 80 },
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
      Description: 'Tasks the service keeps running.',
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
  {
    name: Params.InitialImage,
    label: 'Initial image',
    definition: {
      Type: 'String',
      Description:
        'Image the service starts with before the first pipeline run; the pipeline deploys its own images afterwards.',
      Default: 'public.ecr.aws/nginx/nginx:stable-alpine',
      AllowedPattern: '^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$',
      ConstraintDescription: 'an image reference registry/repository:tag or registry/repository@sha256:digest',
    },
  },
];

// An update that re-sends a listener re-sends its default action too: forwarding to the blue group,
// which after an odd number of CodeDeploy deployments is the idle one.
const LISTENER_FIXED =
  'updating a listener points it back at the blue target group, which CodeDeploy may have left idle; deploy a new stack';

/** The VPC the template creates; TestTrafficCidr defaults to it. */
export const VPC_CIDR = '10.40.0.0/16';

const IPV4_CIDR =
  '^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)$';

/** Who may reach the load balancer, and on which ports. */
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
    name: Params.TestTrafficCidr,
    label: 'Test listener CIDR',
    definition: {
      Type: 'String',
      Description:
        'IPv4 CIDR admitted to the test listener, which serves the new version before production traffic; the VPC by default.',
      Default: VPC_CIDR,
      AllowedPattern: IPV4_CIDR,
      ConstraintDescription: 'an IPv4 CIDR block such as 10.40.0.0/16 or 203.0.113.0/24',
    },
  },
  {
    name: Params.ProductionPort,
    label: 'Production listener port',
    definition: { ...PORT, Description: 'Load balancer port that serves production traffic.', Default: 80 },
    fixedAfterCreate: LISTENER_FIXED,
  },
  {
    name: Params.TestPort,
    label: 'Test listener port',
    definition: {
      ...PORT,
      Description: 'Load balancer port that serves the new (green) tasks during a deployment.',
      Default: 8080,
    },
    fixedAfterCreate: LISTENER_FIXED,
  },
];

/** How CodeDeploy shifts traffic and when it rolls back. */
const DEPLOYMENT_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.DeploymentStrategy,
    label: 'Traffic-shifting strategy',
    definition: {
      Type: 'String',
      Description: 'How CodeDeploy moves production traffic to the new tasks.',
      Default: 'Canary10Percent5Minutes',
      AllowedValues: Object.keys(DEPLOYMENT_CONFIGS),
      ConstraintDescription: `one of ${Object.keys(DEPLOYMENT_CONFIGS).join(', ')}`,
    },
  },
  {
    name: Params.BlueTerminationWaitMinutes,
    label: 'Minutes to keep the old tasks',
    definition: {
      Type: 'Number',
      Description: 'Minutes the old (blue) tasks keep running after traffic has moved, for a fast manual rollback.',
      Default: 5,
      MinValue: 0,
      MaxValue: 2880,
      ConstraintDescription: 'a whole number of minutes from 0 to 2880 (two days)',
    },
  },
  {
    name: Params.Http5xxAlarmThreshold,
    label: '5xx alarm threshold',
    definition: {
      Type: 'Number',
      Description: 'Target 5xx responses per minute that raise the rollback alarm during a deployment.',
      Default: 5,
      MinValue: 1,
      MaxValue: 10000,
      ConstraintDescription: 'a whole number from 1 to 10000',
    },
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

const ENVIRONMENT: ParameterGroup = { label: 'Environment', parameters: [ENVIRONMENT_SUFFIX] };

/** The pipeline template's parameters, group by group. */
export const PIPELINE_PARAMETER_GROUPS: readonly ParameterGroup[] = [
  ENVIRONMENT,
  { label: 'Source repository', parameters: SOURCE_PARAMETERS },
  { label: 'Build, test and scan', parameters: BUILD_PARAMETERS },
  { label: 'Service', parameters: SERVICE_PARAMETERS },
  { label: 'Network and load balancer', parameters: NETWORK_PARAMETERS },
  { label: 'Blue/green deployment', parameters: DEPLOYMENT_PARAMETERS },
  { label: 'Notifications', parameters: [NOTIFICATION_EMAIL] },
];

/**
 * Rules CloudFormation checks before it changes anything; `cfn-cicd deploy` evaluates them too, so
 * a bad combination costs one line instead of a failed create.
 */
export const PIPELINE_RULES = {
  // Two listeners on one port: the second fails at create (ELB DuplicateListener).
  DistinctListenerPorts: {
    Assertions: [
      {
        Assert: not(equals(ref(Params.ProductionPort), ref(Params.TestPort))),
        AssertDescription: 'ProductionPort and TestPort must differ: each is its own listener on the load balancer',
      },
    ],
  },
  GitHubTokenWithoutConnection: {
    RuleCondition: equals(ref(Params.CodeConnectionArn), ''),
    Assertions: [
      {
        Assert: not(equals(ref(Params.GitHubTokenSecretArn), '')),
        AssertDescription: 'GitHubTokenSecretArn is required when CodeConnectionArn is empty (the GitHub token source)',
      },
    ],
  },
};

/** Conditions derived from parameters. */
export const PIPELINE_CONDITIONS = {
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
};

/** Parameter value → settings that CloudFormation cannot compute from a value alone. */
export const PIPELINE_MAPPINGS = {
  // Fargate's valid CPU units / memory MiB pairs (a subset: the small end, for cost).
  [Mappings.TaskSizes]: Object.fromEntries(
    TASK_SIZES.map((size) => [size, { Cpu: size.split('-')[0] as string, Memory: size.split('-')[1] as string }]),
  ),
  // Capacity-provider weights that give the service this percentage of its tasks on Fargate Spot.
  [Mappings.SpotShares]: {
    '0': { Fargate: 1, Spot: 0 },
    '25': { Fargate: 3, Spot: 1 },
    '50': { Fargate: 1, Spot: 1 },
    '75': { Fargate: 1, Spot: 3 },
    '100': { Fargate: 0, Spot: 1 },
  },
  [Mappings.DeploymentConfigs]: Object.fromEntries(
    Object.entries(DEPLOYMENT_CONFIGS).map(([strategy, name]) => [strategy, { Name: name }]),
  ),
};

/** Every parameter of the groups, in order. */
export const parametersOf = (groups: readonly ParameterGroup[]): ParameterSpec[] => groups.flatMap((g) => g.parameters);

/** Parameters section of a template. */
export function parametersSection(groups: readonly ParameterGroup[]): Record<string, ParameterDefinition> {
  return Object.fromEntries(parametersOf(groups).map((s) => [s.name, s.definition]));
}

/** Metadata key under which a template tells `cfn-cicd deploy` what its parameters cannot do. */
export const DEPLOY_METADATA_KEY = 'cfn-cicd';

/**
 * Template metadata: AWS::CloudFormation::Interface (the groups in order, each parameter labelled)
 * and, for `cfn-cicd deploy`, the parameters fixed after creation with the reason and what to do.
 */
export function interfaceMetadata(groups: readonly ParameterGroup[]): Record<string, unknown> {
  const fixed = parametersOf(groups).filter((p) => p.fixedAfterCreate !== undefined);
  return {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: groups.map((g) => ({
        Label: { default: g.label },
        Parameters: g.parameters.map((p) => p.name),
      })),
      ParameterLabels: Object.fromEntries(parametersOf(groups).map((s) => [s.name, { default: s.label }])),
    },
    ...(fixed.length > 0 && {
      [DEPLOY_METADATA_KEY]: { FixedAfterCreate: Object.fromEntries(fixed.map((p) => [p.name, p.fixedAfterCreate])) },
    }),
  };
}

/** Version names: no spaces (Service Catalog's rule), short enough to read in the console. */
export const PROVISIONING_ARTIFACT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';

/**
 * Virtual-hosted S3 URL of a template. The bucket name has no dots so the launch role can be
 * scoped to it by splitting the host (and because dotted names break TLS on that host form).
 */
export const TEMPLATE_URL_PATTERN =
  '^https://[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\\.s3(\\.[a-z0-9-]+)?\\.amazonaws\\.com(\\.cn)?/[A-Za-z0-9!_.*()/-]{1,900}\\.(yaml|yml|json|template)$';

/** IAM user, group or role ARN a portfolio may be shared with; empty for none. */
export const PRINCIPAL_ARN_PATTERN =
  '^$|^arn:aws(-cn|-us-gov)?:iam::\\d{12}:(role|user|group)/[A-Za-z0-9+=,.@_/-]{1,512}$';

const PIPELINE_TEMPLATE_URL: ParameterSpec = {
  name: ServiceCatalogParams.PipelineTemplateUrl,
  label: 'Pipeline template URL',
  definition: {
    Type: 'String',
    Description:
      'HTTPS URL of the pipeline template in S3 (cfn-cicd publish uploads it under a content-addressed key).',
    AllowedPattern: TEMPLATE_URL_PATTERN,
    ConstraintDescription:
      'https://<bucket without dots>.s3.<region>.amazonaws.com/<key>.yaml (or .yml, .json, .template)',
  },
};

const PROVISIONING_ARTIFACT_NAME: ParameterSpec = {
  name: ServiceCatalogParams.ProvisioningArtifactName,
  label: 'Version name',
  definition: {
    Type: 'String',
    Description:
      'Name of the product version users launch, e.g. v1.4.0. A new name or URL makes CloudFormation register a new provisioning artifact.',
    AllowedPattern: PROVISIONING_ARTIFACT_NAME_PATTERN,
    ConstraintDescription: '1-100 letters, digits, dots, underscores and hyphens, starting with a letter or digit',
  },
};

const PRINCIPAL_ARN: ParameterSpec = {
  name: ServiceCatalogParams.PrincipalArn,
  label: 'Principal that may launch the product (optional)',
  definition: {
    Type: 'String',
    Description: 'ARN of the IAM role, user or group given access to the portfolio; leave empty to grant none.',
    Default: '',
    AllowedPattern: PRINCIPAL_ARN_PATTERN,
    ConstraintDescription: 'empty, or arn:aws:iam::<12-digit account>:role/<name> (or user/<name>, group/<name>)',
  },
};

/** The Service Catalog product template's parameters, group by group. */
export const SERVICE_CATALOG_PARAMETER_GROUPS: readonly ParameterGroup[] = [
  ENVIRONMENT,
  { label: 'Product version', parameters: [PIPELINE_TEMPLATE_URL, PROVISIONING_ARTIFACT_NAME] },
  { label: 'Access', parameters: [PRINCIPAL_ARN] },
];

export const SERVICE_CATALOG_CONDITIONS = {
  [ServiceCatalogConditions.HasPrincipalArn]: not(equals(ref(ServiceCatalogParams.PrincipalArn), '')),
};
