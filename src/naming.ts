// Logical IDs, physical names and the standard tags. One place, so a rename is one edit and
// the other builders (and tests) refer to names through these constants.
import type { IntrinsicFunction } from './intrinsics.js';
import { ref, sub } from './intrinsics.js';

/** File name of the main template under templates/. */
export const PIPELINE_TEMPLATE_FILE = 'cicd-pipeline.yaml';
/** File name of the Service Catalog product template under templates/. */
export const SERVICE_CATALOG_TEMPLATE_FILE = 'service-catalog-product.yaml';
/** File name of the product's CloudFormation Guard rules under templates/. */
export const GUARD_RULES_FILE = 'cfn-cicd.guard';
/** The template each environment of a promoting pipeline is created from. */
export const ENVIRONMENT_TEMPLATE_FILE = 'cicd-environment.yaml';

/** The bootstrap each target account of a promoting pipeline deploys once per environment (src/bootstrap.ts). */
export const TARGET_BOOTSTRAP_TEMPLATE_FILE = 'cicd-target-bootstrap.yaml';
/** The StackSets that deploy the bootstrap into the target accounts. */
export const BOOTSTRAP_STACKSET_TEMPLATE_FILE = 'cicd-bootstrap-stackset.yaml';

/** Resource-level Metadata key under which a resource states what the product's guard rules read (a store's SseS3Only). */
export const STORE_METADATA_KEY = 'cfn-cicd';

/** Parameter names: the template's inputs. */
export const Params = {
  EnvironmentSuffix: 'EnvironmentSuffix',
  GitHubTokenSecretArn: 'GitHubTokenSecretArn',
  GitHubOwner: 'GitHubOwner',
  GitHubRepo: 'GitHubRepo',
  GitHubBranch: 'GitHubBranch',
  NotificationEmail: 'NotificationEmail',
  GitHubTokenSecretKey: 'GitHubTokenSecretKey',
  CodeConnectionArn: 'CodeConnectionArn',
  UnitTestBuildspec: 'UnitTestBuildspec',
  IntegrationTestBuildspec: 'IntegrationTestBuildspec',
  ScanSeverityThreshold: 'ScanSeverityThreshold',
  SastSeverityThreshold: 'SastSeverityThreshold',
  ImageSigningProfileArn: 'ImageSigningProfileArn',
  AllowedIngressCidr: 'AllowedIngressCidr',
  TestTrafficCidr: 'TestTrafficCidr',
  ProductionPort: 'ProductionPort',
  TestPort: 'TestPort',
  ContainerName: 'ContainerName',
  ContainerPort: 'ContainerPort',
  HealthCheckPath: 'HealthCheckPath',
  TaskSize: 'TaskSize',
  DesiredCount: 'DesiredCount',
  FargateSpotShare: 'FargateSpotShare',
  InitialImage: 'InitialImage',
  Image: 'Image',
  ReleaseId: 'ReleaseId',
  SmokeTest: 'SmokeTest',
  SmokeTestPath: 'SmokeTestPath',
  PauseBeforeProduction: 'PauseBeforeProduction',
  DeploymentStrategy: 'DeploymentStrategy',
  BlueTerminationWaitMinutes: 'BlueTerminationWaitMinutes',
  Http5xxAlarmThreshold: 'Http5xxAlarmThreshold',
  // container hardening
  ContainerUser: 'ContainerUser',
  ReadOnlyRootFilesystem: 'ReadOnlyRootFilesystem',
  DeletionProtection: 'DeletionProtection',
  // HTTPS and the domain clients use
  CertificateArn: 'CertificateArn',
  DomainName: 'DomainName',
  HostedZoneId: 'HostedZoneId',
  AccessLogs: 'AccessLogs',
  // where the tasks run: the stack's public or private subnets, or the team's own VPC
  TaskSubnets: 'TaskSubnets',
  VpcId: 'VpcId',
  PublicSubnetIds: 'PublicSubnetIds',
  PrivateSubnetIds: 'PrivateSubnetIds',
  Autoscaling: 'Autoscaling',
  MinTasks: 'MinTasks',
  MaxTasks: 'MaxTasks',
  ScalingCpuTarget: 'ScalingCpuTarget',
  ScalingRequestsPerTask: 'ScalingRequestsPerTask',
  TriggerFilePaths: 'TriggerFilePaths',
  IgnoredFilePaths: 'IgnoredFilePaths',
  ReleaseTags: 'ReleaseTags',
  PullRequestChecks: 'PullRequestChecks',
  Architecture: 'Architecture',
  // chat notifications (AWS Chatbot)
  SlackWorkspaceId: 'SlackWorkspaceId',
  SlackChannelId: 'SlackChannelId',
  TeamsTenantId: 'TeamsTenantId',
  TeamsTeamId: 'TeamsTeamId',
  TeamsChannelId: 'TeamsChannelId',
  // environments a release is promoted through
  PipelineSuffix: 'PipelineSuffix',
  AcceptanceTestBuildspec: 'AcceptanceTestBuildspec',
  SyntheticProbe: 'SyntheticProbe',
  SyntheticProbeSchedule: 'SyntheticProbeSchedule',
  BakeMinutes: 'BakeMinutes',
} as const;

/** Condition names. */
export const Conditions = {
  HasNotificationEmail: 'HasNotificationEmail',
  UseCodeConnection: 'UseCodeConnection',
  UseGitHubWebhook: 'UseGitHubWebhook',
  IsCanaryDeployment: 'IsCanaryDeployment',
  IsLinearDeployment: 'IsLinearDeployment',
  HasSmokeTest: 'HasSmokeTest',
  PauseBeforeProduction: 'PauseBeforeProduction',
  HasAutoscaling: 'HasAutoscaling',
  HasTriggerFilePaths: 'HasTriggerFilePaths',
  HasIgnoredFilePaths: 'HasIgnoredFilePaths',
  HasFilePathFilter: 'HasFilePathFilter',
  HasReleaseTags: 'HasReleaseTags',
  /** PullRequestChecks is true (a Rule holds it to a connection): the pull-request check projects exist. */
  HasPullRequestChecks: 'HasPullRequestChecks',
  /** Architecture is arm64: the image builders run on ARM_CONTAINER and the tasks on ARM64. */
  IsArm64: 'IsArm64',
  /** The InspectorScan actions fail on HIGH, MEDIUM, LOW findings: ScanSeverityThreshold is at or below it. */
  ScanBlocksHigh: 'ScanBlocksHigh',
  ScanBlocksMedium: 'ScanBlocksMedium',
  ScanBlocksLow: 'ScanBlocksLow',
  /** No ImageSigningProfileArn given: the stack creates the profile and the registry's signing configuration. */
  CreateImageSigning: 'CreateImageSigning',
  ReadOnlyRootFilesystem: 'ReadOnlyRootFilesystem',
  RunsStarterImage: 'RunsStarterImage',
  IsDeletionProtected: 'IsDeletionProtected',
  /** A CertificateArn given: the listeners serve HTTPS and HTTP redirects to it. */
  ServesHttps: 'ServesHttps',
  /** No CertificateArn: the listeners serve plain HTTP (today's default). */
  ServesHttp: 'ServesHttp',
  /** A HostedZoneId given: the stack creates DomainName's alias record to the load balancer. */
  HasAliasRecord: 'HasAliasRecord',
  /** AccessLogs true: the stack creates the log bucket and the load balancer writes to it. */
  HasAccessLogs: 'HasAccessLogs',
  /** The stack's Region is one where an Elastic Load Balancing account (not a service principal) delivers logs. */
  ElbAccountRegion: 'ElbAccountRegion',
  /** TaskSubnets is Private: the tasks run in private subnets without public IPs, reaching AWS through VPC endpoints. */
  TasksInPrivateSubnets: 'TasksInPrivateSubnets',
  /** Both Slack IDs given: the stack creates the Slack channel configuration. */
  HasSlackChannel: 'HasSlackChannel',
  /** All three Teams IDs given: the stack creates the Microsoft Teams channel configuration. */
  HasTeamsChannel: 'HasTeamsChannel',
  /** Either chat channel is configured: the channel role and guardrail policy exist. */
  HasChatChannel: 'HasChatChannel',
  /** The environment probes its production URL on a schedule (every environment after the first). */
  HasSyntheticProbe: 'HasSyntheticProbe',
} as const;

/** Mapping names. */
export const Mappings = {
  TaskSizes: 'TaskSizes',
  SpotShares: 'SpotShares',
  DeploymentConfigs: 'DeploymentConfigs',
  EcsStrategies: 'EcsStrategies',
  ElbLogAccounts: 'ElbLogAccounts',
} as const;

/** Every logical ID the emitted templates declare, grouped by concern. */
export const Ids = {
  // security core
  Key: 'PipelineKey',
  KeyAlias: 'PipelineKeyAlias',
  ArtifactBucket: 'ArtifactBucket',
  ArtifactBucketPolicy: 'ArtifactBucketPolicy',
  ImageRepository: 'ImageRepository',
  // The image's replicas in the promoting pipeline's other Regions (src/artifact-stores.ts).
  ImageReplication: 'ImageReplication',
  ReplicaSettings: 'ReplicaSettings',
  NotificationTopic: 'NotificationTopic',
  NotificationTopicPolicy: 'NotificationTopicPolicy',
  NotificationEmailSubscription: 'NotificationEmailSubscription',
  // pipeline
  Pipeline: 'Pipeline',
  PipelineRole: 'PipelineRole',
  PipelineWebhook: 'PipelineWebhook',
  WebhookSecret: 'WebhookSecret',
  PipelineEventsRule: 'PipelineEventsRule',
  /** Log group of the pipeline's managed-compute actions (InspectorScan), under the name CodePipeline writes to. */
  PipelineActionLogGroup: 'PipelineActionLogGroup',
  // image signing
  ImageSigningProfile: 'ImageSigningProfile',
  RegistrySigningConfiguration: 'RegistrySigningConfiguration',
  // network
  Vpc: 'Vpc',
  InternetGateway: 'InternetGateway',
  InternetGatewayAttachment: 'InternetGatewayAttachment',
  PublicRouteTable: 'PublicRouteTable',
  PublicDefaultRoute: 'PublicDefaultRoute',
  PublicSubnetA: 'PublicSubnetA',
  PublicSubnetB: 'PublicSubnetB',
  PublicSubnetARouteTableAssociation: 'PublicSubnetARouteTableAssociation',
  PublicSubnetBRouteTableAssociation: 'PublicSubnetBRouteTableAssociation',
  LoadBalancerSecurityGroup: 'LoadBalancerSecurityGroup',
  ServiceSecurityGroup: 'ServiceSecurityGroup',
  LoadBalancerToServiceEgress: 'LoadBalancerToServiceEgress',
  ServiceFromLoadBalancerIngress: 'ServiceFromLoadBalancerIngress',
  LoadBalancerHttpsIngress: 'LoadBalancerHttpsIngress',
  // private tasks (TaskSubnets Private): private subnets and the VPC endpoints they reach AWS through
  PrivateRouteTable: 'PrivateRouteTable',
  PrivateSubnetA: 'PrivateSubnetA',
  PrivateSubnetB: 'PrivateSubnetB',
  PrivateSubnetARouteTableAssociation: 'PrivateSubnetARouteTableAssociation',
  PrivateSubnetBRouteTableAssociation: 'PrivateSubnetBRouteTableAssociation',
  EndpointSecurityGroup: 'EndpointSecurityGroup',
  EndpointFromServiceIngress: 'EndpointFromServiceIngress',
  EcrApiEndpoint: 'EcrApiEndpoint',
  EcrDockerEndpoint: 'EcrDockerEndpoint',
  LogsEndpoint: 'LogsEndpoint',
  SecretsManagerEndpoint: 'SecretsManagerEndpoint',
  KmsEndpoint: 'KmsEndpoint',
  S3GatewayEndpoint: 'S3GatewayEndpoint',
  // load balancer
  LoadBalancer: 'LoadBalancer',
  ProductionListener: 'ProductionListener',
  TestListener: 'TestListener',
  ProductionHttpsListener: 'ProductionHttpsListener',
  TestHttpsListener: 'TestHttpsListener',
  HttpsRedirectListener: 'HttpsRedirectListener',
  AliasRecord: 'LoadBalancerAliasRecord',
  AccessLogBucket: 'AccessLogBucket',
  AccessLogBucketPolicy: 'AccessLogBucketPolicy',
  BlueTargetGroup: 'BlueTargetGroup',
  GreenTargetGroup: 'GreenTargetGroup',
  // service
  Cluster: 'Cluster',
  ServiceLogGroup: 'ServiceLogGroup',
  TaskExecutionRole: 'TaskExecutionRole',
  TaskRole: 'TaskRole',
  TaskDefinition: 'TaskDefinition',
  Service: 'Service',
  // autoscaling of the service's task count
  ScalableTarget: 'ServiceScalableTarget',
  CpuScalingPolicy: 'CpuScalingPolicy',
  RequestScalingPolicy: 'RequestScalingPolicy',
  // ECS blue/green: the routes ECS moves between the target groups, and its lifecycle hooks
  ProductionListenerRule: 'ProductionListenerRule',
  TestListenerRule: 'TestListenerRule',
  TestTrafficToken: 'TestTrafficToken',
  LoadBalancerInfrastructureRole: 'LoadBalancerInfrastructureRole',
  SmokeTestFunction: 'SmokeTestFunction',
  SmokeTestRole: 'SmokeTestRole',
  SmokeTestLogGroup: 'SmokeTestLogGroup',
  LifecycleHookRole: 'LifecycleHookRole',
  // CodeDeploy blue/green
  CodeDeployApplication: 'CodeDeployApplication',
  DeploymentGroup: 'DeploymentGroup',
  CodeDeployRole: 'CodeDeployRole',
  Blue5xxAlarm: 'BlueTargetGroup5xxAlarm',
  Green5xxAlarm: 'GreenTargetGroup5xxAlarm',
  BlueUnhealthyAlarm: 'BlueTargetGroupUnhealthyHostsAlarm',
  GreenUnhealthyAlarm: 'GreenTargetGroupUnhealthyHostsAlarm',
  // delivery metrics and the dashboard
  DeliveryEventsRule: 'DeliveryEventsRule',
  DeliveryMetricsFunction: 'DeliveryMetricsFunction',
  DeliveryMetricsRole: 'DeliveryMetricsRole',
  DeliveryMetricsLogGroup: 'DeliveryMetricsLogGroup',
  DeliveryMetricsInvokePermission: 'DeliveryMetricsInvokePermission',
  DeliveryMetricsErrorsAlarm: 'DeliveryMetricsErrorsAlarm',
  Dashboard: 'PipelineDashboard',
  // chat notifications (AWS Chatbot)
  ChatChannelRole: 'ChatChannelRole',
  ChatGuardrailPolicy: 'ChatGuardrailPolicy',
  SlackChannel: 'SlackChannelConfiguration',
  TeamsChannel: 'TeamsChannelConfiguration',
  // promotion through environments: the synthetic probe of an environment
  ProbeFunction: 'SyntheticProbeFunction',
  ProbeRole: 'SyntheticProbeRole',
  ProbeLogGroup: 'SyntheticProbeLogGroup',
  ProbeSchedule: 'SyntheticProbeRule',
  ProbeInvokePermission: 'SyntheticProbeInvokePermission',
  ProbeFailuresMetricFilter: 'SyntheticProbeFailuresMetricFilter',
  ProbeAlarm: 'SyntheticProbeAlarm',
} as const;

/** Logical ID of the managed policy whose holders may approve the promotion into `environment`. */
export const approverPolicyId = (environment: string) => `${capitalized(environment)}ApproversPolicy`;

/** `beta` → `Beta`: an environment's stage name. */
export const capitalized = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** Stems of the CodeBuild projects: `<stem>Project`, `<stem>LogGroup` and `<stem>Role` are their logical IDs. */
export const ProjectStems = {
  Build: 'Build',
  UnitTest: 'UnitTest',
  IntegrationTest: 'IntegrationTest',
  SecurityScan: 'SecurityScan',
  Release: 'Release',
  SecretsScan: 'SecretsScan',
  StaticAnalysis: 'StaticAnalysis',
  AttachSbom: 'AttachSbom',
  VerifySignature: 'VerifySignature',
  /** The tests run against each environment once a release is deployed there. */
  EnvironmentIntegrationTest: 'EnvironmentIntegrationTest',
  AcceptanceTest: 'AcceptanceTest',
  PullRequestBuild: 'PullRequestBuild',
  PullRequestTests: 'PullRequestTests',
} as const;

/** The logical IDs of a CodeBuild project and the log group, role and report groups that serve it. */
export const projectIds = (stem: string) =>
  ({
    project: `${stem}Project`,
    logGroup: `${stem}LogGroup`,
    role: `${stem}Role`,
    testReports: `${stem}Reports`,
    coverageReports: `${stem}CoverageReports`,
  }) as const;

/** Logical IDs of the Service Catalog product template. */
export const ServiceCatalogIds = {
  Portfolio: 'PipelinePortfolio',
  Product: 'PipelineProduct',
  ProductAssociation: 'PipelineProductPortfolioAssociation',
  PrincipalAssociation: 'PipelinePortfolioPrincipalAssociation',
  LaunchRole: 'PipelineLaunchRole',
  /** Followed by 1, 2, …: the launch role's permissions split across managed policies. */
  LaunchPolicyPrefix: 'PipelineLaunchPolicy',
  LaunchRoleConstraint: 'PipelineLaunchRoleConstraint',
} as const;

/** Parameter names of the product template (besides EnvironmentSuffix). */
export const ServiceCatalogParams = {
  PipelineTemplateUrl: 'PipelineTemplateUrl',
  ProvisioningArtifactName: 'ProvisioningArtifactName',
  PrincipalArn: 'PrincipalArn',
} as const;

export const ServiceCatalogConditions = { HasPrincipalArn: 'HasPrincipalArn' } as const;

/** Prefix of every physical name; the Service Catalog launch role is scoped to it. */
export const NAME_PREFIX = 'cicd';

/** The longest EnvironmentSuffix the parameter admits; every physical name fits AWS limits at it. */
export const MAX_SUFFIX_LENGTH = 16;

/** The `!Sub` text of this stack's own suffix. */
export const OWN_SUFFIX = `\${${Params.EnvironmentSuffix}}`;

/** `cicd-<type>-${EnvironmentSuffix}` as a `!Sub`. */
export function physicalName(type: string): IntrinsicFunction {
  return sub(physicalNameText(type));
}

/**
 * The `!Sub` text of a physical name, for use inside longer ARNs and paths; `suffix` names another
 * stack's resources, such as an environment's (`${EnvironmentSuffix}-beta`) from its pipeline.
 */
export function physicalNameText(type: string, suffix: string = OWN_SUFFIX): string {
  return `${NAME_PREFIX}-${type}-${suffix}`;
}

/** The suffix of an environment's stack and names from its pipeline's suffix text (`${EnvironmentSuffix}-prod`). */
export const environmentSuffixText = (environment: string, pipelineSuffix = OWN_SUFFIX) =>
  `${pipelineSuffix}-${environment}`;

/**
 * S3 bucket names are global across all accounts, so they also carry the account and region:
 * `cicd-<type>-<suffix>-<account>-<region>`.
 */
export function bucketName(type: string): IntrinsicFunction {
  return sub(`${physicalNameText(type)}-\${AWS::AccountId}-\${AWS::Region}`);
}

/** A tag as CloudFormation lists take it. */
export interface Tag {
  readonly Key: string;
  readonly Value: string | IntrinsicFunction;
}

/** Tags every taggable resource carries: Environment, ManagedBy, Project and the config's own, sorted by key. */
export function standardTags(project: string, extra: Readonly<Record<string, string>> = {}): Tag[] {
  const tags: Record<string, string | IntrinsicFunction> = {
    ...extra,
    Environment: ref(Params.EnvironmentSuffix),
    ManagedBy: 'cloudformation',
    Project: project,
  };
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] as string | IntrinsicFunction }));
}
