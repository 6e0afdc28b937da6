// Typed additions to cloudform-types, whose resource spec stops in late 2023. Anything newer
// that our builders set lives here, typed, so no builder needs `any` or an untyped cast.
// cfn-lint (pinned, current) is the authority these types were checked against.
import type {
  ScalingPolicyProperties,
  TargetTrackingScalingPolicyConfiguration,
} from 'cloudform-types/types/applicationAutoScaling/scalingPolicy.js';
import type { PipelineProperties } from 'cloudform-types/types/codePipeline/pipeline.js';
import type { List, Value } from 'cloudform-types/types/dataTypes.js';
import type {
  DeploymentConfiguration,
  LoadBalancer as ServiceLoadBalancer,
  ServiceProperties,
} from 'cloudform-types/types/ecs/service.js';
import type { FunctionProperties } from 'cloudform-types/types/lambda/function.js';
import type { ResourceBase as CfnResourceBase } from 'cloudform-types/types/resource.js';
import type { IntrinsicFunction } from '../intrinsics.js';
import { DeletionPolicy, LambdaFunction, Pipeline, ResourceBase, ScalingPolicy, Service } from './resources.js';

/** What CloudFormation does with a resource's old physical instance on replacement or stack deletion. */
export type RetentionPolicy = 'Delete' | 'Retain' | 'Snapshot';

/** Resource attribute missing from cloudform's ResourceBase. */
export interface WithUpdateReplacePolicy {
  UpdateReplacePolicy?: RetentionPolicy;
}

/**
 * Keeps a stateful resource (and its data) when the stack is deleted or the resource replaced.
 * Sets DeletionPolicy and UpdateReplacePolicy together so they cannot disagree.
 */
export function retain<R extends CfnResourceBase>(resource: R): R & WithUpdateReplacePolicy {
  return Object.assign(resource.deletionPolicy(DeletionPolicy.Retain), { UpdateReplacePolicy: 'Retain' as const });
}

/** Deletes a resource with the stack, stated explicitly (cfn-lint I3011 asks stateful resources to say). */
export function discard<R extends CfnResourceBase>(resource: R): R & WithUpdateReplacePolicy {
  return Object.assign(resource.deletionPolicy(DeletionPolicy.Delete), { UpdateReplacePolicy: 'Delete' as const });
}

/** A checkov check this resource deliberately does not meet, and why. */
export interface CheckovSkip {
  readonly id: string;
  readonly comment: string;
}

/** Records checkov skips in the resource's Metadata, where checkov and reviewers read them. */
export function skipCheckov<R extends CfnResourceBase>(resource: R, skips: readonly CheckovSkip[]): R {
  return resource.metadata({ ...(resource.Metadata ?? {}), checkov: { skip: skips.map((s) => ({ ...s })) } });
}

/** How a V2 pipeline handles a new execution while one is running (AWS::CodePipeline::Pipeline, 2023-10). */
export type PipelineExecutionMode = 'QUEUED' | 'SUPERSEDED' | 'PARALLEL';

/** Pipeline properties added with pipeline type V2. */
export interface PipelineV2Properties extends PipelineProperties {
  PipelineType: 'V1' | 'V2';
  ExecutionMode?: PipelineExecutionMode;
  /** Git triggers of CodeConnections source actions (filters on push and pull request events). */
  Triggers?: Value<unknown>;
}

/** AWS::CodePipeline::Pipeline with the V2 properties cloudform-types does not know. */
export class PipelineV2 extends Pipeline {
  // Not useless: it narrows the accepted properties to the V2 shape.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(properties: PipelineV2Properties) {
    super(properties);
  }
}

/** One lifecycle hook of an Amazon ECS blue/green, canary or linear deployment (AWS::ECS::Service, 2025). */
export interface EcsLifecycleHook {
  readonly LifecycleStages: readonly (
    | 'RECONCILE_SERVICE'
    | 'PRE_SCALE_UP'
    | 'POST_SCALE_UP'
    | 'TEST_TRAFFIC_SHIFT'
    | 'POST_TEST_TRAFFIC_SHIFT'
    | 'PRE_PRODUCTION_TRAFFIC_SHIFT'
    | 'PRODUCTION_TRAFFIC_SHIFT'
    | 'POST_PRODUCTION_TRAFFIC_SHIFT'
  )[];
  readonly TargetType?: 'AWS_LAMBDA' | 'PAUSE';
  readonly HookTargetArn?: Value<string>;
  readonly RoleArn?: Value<string>;
  readonly TimeoutConfiguration?: { readonly Action: 'ROLLBACK' | 'CONTINUE'; readonly TimeoutInMinutes: number };
}

/** DeploymentConfiguration with the strategies ECS added for its own blue/green deployments. */
export interface EcsDeploymentConfiguration extends DeploymentConfiguration {
  Strategy?: Value<string>;
  BakeTimeInMinutes?: Value<number>;
  CanaryConfiguration?: { CanaryPercent: Value<number>; CanaryBakeTimeInMinutes: Value<number> } | IntrinsicFunction;
  LinearConfiguration?: { StepPercent: Value<number>; StepBakeTimeInMinutes: Value<number> } | IntrinsicFunction;
  LifecycleHooks?: readonly EcsLifecycleHook[] | IntrinsicFunction;
}

/** A service load balancer with the alternate target group and listener rules ECS moves traffic between. */
export interface EcsServiceLoadBalancer extends ServiceLoadBalancer {
  AdvancedConfiguration?: {
    AlternateTargetGroupArn: Value<string>;
    ProductionListenerRule?: Value<string>;
    TestListenerRule?: Value<string>;
    RoleArn?: Value<string>;
  };
}

/** Service properties with the ECS blue/green settings. */
export interface ServiceV2Properties extends Omit<ServiceProperties, 'DeploymentConfiguration' | 'LoadBalancers'> {
  DeploymentConfiguration?: EcsDeploymentConfiguration;
  LoadBalancers?: EcsServiceLoadBalancer[];
}

/** AWS::ECS::Service with the blue/green properties cloudform-types does not know. */
export class ServiceV2 extends Service {
  constructor(properties: ServiceV2Properties) {
    super(properties as ServiceProperties);
  }
}

/** Lambda function properties with the advanced logging controls (2023-11): its own log group. */
export interface FunctionV2Properties extends FunctionProperties {
  LoggingConfig?: { LogGroup?: Value<string>; LogFormat?: 'Text' | 'JSON' };
}

/** AWS::Lambda::Function with LoggingConfig. */
export class FunctionV2 extends LambdaFunction {
  // Not useless: it narrows the accepted properties to the V2 shape.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(properties: FunctionV2Properties) {
    super(properties);
  }
}

/** Which repositories a registry signing rule covers (`*` matches any sequence of characters). */
export interface SigningRepositoryFilter {
  Filter: Value<string>;
  FilterType: 'WILDCARD_MATCH';
}

/** AWS::ECR::SigningConfiguration properties (ECR managed signing, 2025): one configuration per registry. */
export interface SigningConfigurationProperties {
  Rules: List<{ SigningProfileArn: Value<string>; RepositoryFilters?: List<SigningRepositoryFilter> }>;
}

/** AWS::ECR::SigningConfiguration, which cloudform-types does not know. */
export class SigningConfiguration extends ResourceBase<SigningConfigurationProperties> {
  constructor(properties: SigningConfigurationProperties) {
    super('AWS::ECR::SigningConfiguration', properties);
  }
}

/** AWS::ECR::ReplicationConfiguration properties (cloudform-types types the inner object as the resource itself). */
export interface ReplicationConfigurationProperties {
  ReplicationConfiguration: {
    Rules: List<{
      Destinations: List<{ Region: Value<string>; RegistryId: Value<string> }>;
      RepositoryFilters?: List<{ Filter: Value<string>; FilterType: 'PREFIX_MATCH' }>;
    }>;
  };
}

/** AWS::ECR::ReplicationConfiguration, typed as its resource reference documents it: one per registry. */
export class ReplicationConfiguration extends ResourceBase<ReplicationConfigurationProperties> {
  constructor(properties: ReplicationConfigurationProperties) {
    super('AWS::ECR::ReplicationConfiguration', properties);
  }
}

/** AWS::ECR::RepositoryCreationTemplate properties (ECR, 2024): settings of repositories ECR creates itself. */
export interface RepositoryCreationTemplateProperties {
  Prefix: Value<string>;
  Description?: Value<string>;
  AppliedFor: List<'REPLICATION' | 'PULL_THROUGH_CACHE' | 'CREATE_ON_PUSH'>;
  ImageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
  EncryptionConfiguration?: { EncryptionType: 'AES256' | 'KMS'; KmsKey?: Value<string> };
  RepositoryPolicy?: Value<string>;
  LifecyclePolicy?: Value<string>;
  ResourceTags?: List<{ Key: Value<string>; Value: Value<string> }>;
}

/** AWS::ECR::RepositoryCreationTemplate, which cloudform-types does not know. */
export class RepositoryCreationTemplate extends ResourceBase<RepositoryCreationTemplateProperties> {
  constructor(properties: RepositoryCreationTemplateProperties) {
    super('AWS::ECR::RepositoryCreationTemplate', properties);
  }
}

/** One query of a target-tracking policy's metric math (Application Auto Scaling, 2023-03): a metric or an expression. */
export interface TargetTrackingMetricDataQuery {
  readonly Id: string;
  readonly Label?: string;
  readonly ReturnData?: boolean;
  readonly Expression?: string;
  readonly MetricStat?: {
    readonly Stat: string;
    readonly Metric: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions: readonly { readonly Name: string; readonly Value: Value<string> }[];
    };
  };
}

/** Target-tracking configuration whose customized metric may be metric math. */
export interface TargetTrackingConfigurationV2
  extends Omit<TargetTrackingScalingPolicyConfiguration, 'CustomizedMetricSpecification'> {
  CustomizedMetricSpecification?: { Metrics: readonly TargetTrackingMetricDataQuery[] };
}

/** AWS::ApplicationAutoScaling::ScalingPolicy with metric math in target tracking. */
export class ScalingPolicyV2 extends ScalingPolicy {
  constructor(
    properties: Omit<ScalingPolicyProperties, 'TargetTrackingScalingPolicyConfiguration'> & {
      TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfigurationV2;
    },
  ) {
    super(properties as ScalingPolicyProperties);
  }
}
