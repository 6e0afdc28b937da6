// One row per CloudFormation resource type our templates emit: what the type takes and returns,
// how docs draw it, and what the Service Catalog launch role needs to provision it. Data only;
// the code that reads a row lives with its concern (tagging, docs, diff, the launch role).
// Rows follow cfn-lint's resource schemas (a test holds tags and handler permissions to them).
import { arnText } from '../intrinsics.js';
import type { ProvisioningGrant } from '../iam/provisioning-scopes.js';
import {
  any,
  beyond,
  EC2_TAGS,
  ECS_TAGS,
  ELB_TAGS,
  on,
  RESOLVE_TOKEN,
  Scopes,
  SECURITY_GROUP_RULES,
} from '../iam/provisioning-scopes.js';

/** The concern a resource belongs to in the architecture diagram. */
export type Cluster =
  | 'source'
  | 'build'
  | 'test'
  | 'scan'
  | 'deploy'
  | 'service'
  | 'network'
  | 'notifications'
  | 'security'
  | 'other';

/**
 * Who a policy document speaks for: a role's trust, an identity's permissions, a resource's policy,
 * or a VPC endpoint's policy (a filter on what passes the endpoint, granting nothing).
 */
export type PolicyKind = 'trust' | 'identity' | 'resource' | 'endpoint';

/** What CloudFormation knows about one resource type, as our templates use it. */
export interface ResourceTypeInfo {
  /** `list` when the type takes `Tags` as a list of Key/Value pairs (every taggable type we emit). @default - the type takes no tags */
  readonly tags?: 'list';
  /** Property that gives the resource its physical name. @default - AWS generates the name */
  readonly nameProperty?: string;
  /**
   * What `!Ref` ('Ref') and each `!GetAtt` attribute return, as `!Sub` text with `{}` for the
   * physical name. @default - docs show `<Id.Attr>`
   */
  readonly returns?: Readonly<Record<string, string>>;
  /** Property that holds a policy document, and how a reader calls it. @default - none */
  readonly policy?: { readonly property: string; readonly label: string; readonly kind: PolicyKind };
  /**
   * Where the resource names the KMS key that encrypts what it stores, as a path under Properties
   * (dots between keys, `[*]` for every item of a list), and the settings that must go with it.
   * templates/cfn-cicd.guard holds every store to it. @default - the type stores no data of its own
   */
  readonly kmsKey?: {
    readonly property: string;
    readonly requires?: Readonly<Record<string, string | boolean>>;
    /**
     * A resource whose Metadata (under STORE_METADATA_KEY) states `metadata`, the reason it cannot
     * take a KMS key, sets `instead` (a path under Properties and its value) in its place.
     * @default - every resource of the type takes the key
     */
    readonly unlessStated?: { readonly metadata: string; readonly instead: readonly [string, string] };
    /**
     * A resource without `unless` (a top-level property) names its keys the other way: `property` and
     * `requires`, for every item. @default - the type has one way
     */
    readonly otherwise?: {
      readonly unless: string;
      readonly property: string;
      readonly requires: Readonly<Record<string, string | boolean>>;
    };
  };
  /** The type holds data the stack cannot rebuild, so a resource of it is retained on delete and on replacement. @default false */
  readonly retained?: boolean;
  /** Cluster of the architecture diagram. */
  readonly cluster: Cluster;
  /** Property naming the resource this helper is drawn inside (a route inside its route table). @default - drawn alone */
  readonly drawnInside?: string;
  /**
   * What the Service Catalog launch role needs to create, update and delete it: handler permissions
   * from cfn-lint's schema, less unused features. @default - the type is never launched by the role
   */
  readonly provisioning?: readonly ProvisioningGrant[];
}

/** `!Ref` of types whose reference is the physical name itself. */
const NAME = '{}';

export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeInfo>> = {
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    tags: 'list',
    cluster: 'service',
    provisioning: [
      on(
        Scopes.ScalableTargets,
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:ListTagsForResource',
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:TagResource',
        'application-autoscaling:UntagResource',
      ),
      on(Scopes.AutoScalingServiceLinkedRole, 'iam:CreateServiceLinkedRole'),
      any('application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScheduledActions'),
    ],
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy': {
    nameProperty: 'PolicyName',
    cluster: 'service',
    drawnInside: 'ScalingTargetId',
    provisioning: [
      on(
        Scopes.ScalableTargets,
        'application-autoscaling:DeleteScalingPolicy',
        'application-autoscaling:PutScalingPolicy',
      ),
      any('application-autoscaling:DescribeScalingPolicies', 'cloudwatch:GetMetricData'),
    ],
  },
  'AWS::Chatbot::MicrosoftTeamsChannelConfiguration': {
    tags: 'list',
    nameProperty: 'ConfigurationName',
    returns: {
      Ref: arnText('chatbot', 'chat-configuration/microsoft-teams-channel/{}'),
      Arn: arnText('chatbot', 'chat-configuration/microsoft-teams-channel/{}'),
    },
    cluster: 'notifications',
    drawnInside: 'SnsTopicArns',
    provisioning: [
      on(
        Scopes.ChatConfigurations,
        'chatbot:DeleteMicrosoftTeamsChannelConfiguration',
        'chatbot:ListAssociations',
        'chatbot:UpdateMicrosoftTeamsChannelConfiguration',
      ),
      any(
        'chatbot:CreateMicrosoftTeamsChannelConfiguration',
        'chatbot:GetMicrosoftTeamsChannelConfiguration',
        'chatbot:ListTagsForResource',
        'chatbot:TagResource',
        'chatbot:UntagResource',
      ),
      on(Scopes.PassRoleToChatbot, 'iam:PassRole'),
      on(Scopes.ChatbotServiceLinkedRole, 'iam:CreateServiceLinkedRole'),
    ],
  },
  'AWS::Chatbot::SlackChannelConfiguration': {
    tags: 'list',
    nameProperty: 'ConfigurationName',
    returns: {
      Ref: arnText('chatbot', 'chat-configuration/slack-channel/{}'),
      Arn: arnText('chatbot', 'chat-configuration/slack-channel/{}'),
    },
    cluster: 'notifications',
    drawnInside: 'SnsTopicArns',
    provisioning: [
      on(
        Scopes.ChatConfigurations,
        'chatbot:DeleteSlackChannelConfiguration',
        'chatbot:ListAssociations',
        'chatbot:UpdateSlackChannelConfiguration',
      ),
      any(
        'chatbot:CreateSlackChannelConfiguration',
        'chatbot:DescribeSlackChannelConfigurations',
        'chatbot:ListTagsForResource',
        'chatbot:TagResource',
        'chatbot:UntagResource',
      ),
      on(Scopes.PassRoleToChatbot, 'iam:PassRole'),
      on(Scopes.ChatbotServiceLinkedRole, 'iam:CreateServiceLinkedRole'),
    ],
  },
  // A target-account bootstrap's StackSets; deployed by a platform team, never by the launch role.
  'AWS::CloudFormation::StackSet': {
    tags: 'list',
    nameProperty: 'StackSetName',
    returns: { Ref: '{}', StackSetId: '{}' },
    cluster: 'deploy',
  },
  'AWS::CloudWatch::Alarm': {
    tags: 'list',
    nameProperty: 'AlarmName',
    returns: { Ref: NAME, Arn: arnText('cloudwatch', 'alarm:{}') },
    cluster: 'deploy',
    provisioning: [
      on(
        Scopes.Alarms,
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:ListTagsForResource',
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
      ),
    ],
  },
  'AWS::CloudWatch::Dashboard': {
    tags: 'list',
    nameProperty: 'DashboardName',
    returns: { Ref: NAME },
    cluster: 'notifications',
    provisioning: [
      on(
        Scopes.Dashboards,
        'cloudwatch:DeleteDashboards',
        'cloudwatch:GetDashboard',
        'cloudwatch:ListTagsForResource',
        'cloudwatch:PutDashboard',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
      ),
    ],
  },
  'AWS::CodeBuild::ReportGroup': {
    kmsKey: {
      property: 'ExportConfig.S3Destination.EncryptionKey',
      requires: { 'ExportConfig.S3Destination.EncryptionDisabled': false },
    },
    tags: 'list',
    nameProperty: 'Name',
    returns: { Ref: arnText('codebuild', 'report-group/{}'), Arn: arnText('codebuild', 'report-group/{}') },
    cluster: 'test',
    provisioning: [
      on(
        Scopes.BuildProjects,
        'codebuild:BatchGetReportGroups',
        'codebuild:CreateReportGroup',
        'codebuild:DeleteReportGroup',
        'codebuild:UpdateReportGroup',
      ),
    ],
  },
  'AWS::CodeBuild::Project': {
    kmsKey: { property: 'EncryptionKey' },
    tags: 'list',
    nameProperty: 'Name',
    returns: { Ref: NAME, Arn: arnText('codebuild', 'project/{}') },
    cluster: 'build',
    provisioning: [
      beyond(
        'the schema lists no handler permissions for this type: these are the CodeBuild project APIs',
        Scopes.BuildProjects,
        'codebuild:BatchGetProjects',
        'codebuild:CreateProject',
        'codebuild:DeleteProject',
        'codebuild:UpdateProject',
      ),
      beyond(
        "a pull-request check project's Triggers create its GitHub webhook (CodeBuild API, CreateWebhook)",
        Scopes.BuildProjects,
        'codebuild:CreateWebhook',
        'codebuild:DeleteWebhook',
        'codebuild:UpdateWebhook',
      ),
      beyond('a project runs as its service role', Scopes.PassRoleToCodeBuild, 'iam:PassRole'),
    ],
  },
  'AWS::CodeDeploy::Application': {
    tags: 'list',
    nameProperty: 'ApplicationName',
    returns: { Ref: NAME },
    cluster: 'deploy',
    provisioning: [
      on(
        Scopes.DeployApplications,
        'codedeploy:CreateApplication',
        'codedeploy:DeleteApplication',
        'codedeploy:GetApplication',
        'codedeploy:ListTagsForResource',
        'codedeploy:TagResource',
        'codedeploy:UntagResource',
      ),
    ],
  },
  'AWS::CodeDeploy::DeploymentGroup': {
    tags: 'list',
    nameProperty: 'DeploymentGroupName',
    returns: { Ref: NAME },
    cluster: 'deploy',
    provisioning: [
      on(
        Scopes.DeployApplications,
        'codedeploy:CreateDeploymentGroup',
        'codedeploy:DeleteDeploymentGroup',
        'codedeploy:GetDeploymentGroup',
        'codedeploy:ListTagsForResource',
        'codedeploy:TagResource',
        'codedeploy:UntagResource',
        'codedeploy:UpdateDeploymentGroup',
      ),
      on(Scopes.DeployConfigs, 'codedeploy:GetDeploymentConfig'),
      on(Scopes.PassRoleToCodeDeploy, 'iam:PassRole'),
    ],
  },
  'AWS::CodePipeline::Pipeline': {
    kmsKey: {
      property: 'ArtifactStore.EncryptionKey.Id',
      requires: { 'ArtifactStore.EncryptionKey.Type': 'KMS' },
      // A pipeline with actions in other Regions lists a store per Region, each with its key.
      otherwise: {
        unless: 'ArtifactStore',
        property: 'ArtifactStores[*].ArtifactStore.EncryptionKey.Id',
        requires: { 'ArtifactStores[*].ArtifactStore.EncryptionKey.Type': 'KMS' },
      },
    },
    tags: 'list',
    nameProperty: 'Name',
    returns: { Ref: NAME },
    cluster: 'source',
    provisioning: [
      on(
        Scopes.Pipelines,
        'codepipeline:CreatePipeline',
        'codepipeline:DeletePipeline',
        'codepipeline:DisableStageTransition',
        'codepipeline:EnableStageTransition',
        'codepipeline:GetPipeline',
        'codepipeline:GetPipelineState',
        'codepipeline:ListTagsForResource',
        'codepipeline:TagResource',
        'codepipeline:UntagResource',
        'codepipeline:UpdatePipeline',
      ),
      on(Scopes.Roles, 'iam:GetRole'),
      on(Scopes.PassRoleToCodePipeline, 'iam:PassRole'),
      on(Scopes.Connections, 'codestar-connections:PassConnection'),
      RESOLVE_TOKEN,
    ],
  },
  'AWS::CodePipeline::Webhook': {
    tags: 'list',
    nameProperty: 'Name',
    cluster: 'source',
    provisioning: [
      on(
        Scopes.Pipelines,
        'codepipeline:DeleteWebhook',
        'codepipeline:DeregisterWebhookWithThirdParty',
        'codepipeline:ListWebhooks',
        'codepipeline:PutWebhook',
        'codepipeline:RegisterWebhookWithThirdParty',
        'codepipeline:TagResource',
        'codepipeline:UntagResource',
      ),
      RESOLVE_TOKEN,
    ],
  },
  'AWS::EC2::InternetGateway': {
    tags: 'list',
    cluster: 'network',
    provisioning: [
      on(Scopes.Network, 'ec2:CreateInternetGateway', 'ec2:DeleteInternetGateway', ...EC2_TAGS),
      any('ec2:DescribeInternetGateways'),
    ],
  },
  'AWS::EC2::Route': {
    cluster: 'network',
    drawnInside: 'RouteTableId',
    provisioning: [
      on(Scopes.Network, 'ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:ReplaceRoute'),
      any('ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables'),
    ],
  },
  'AWS::EC2::RouteTable': {
    tags: 'list',
    cluster: 'network',
    provisioning: [
      on(Scopes.Network, 'ec2:CreateRouteTable', 'ec2:DeleteRouteTable', ...EC2_TAGS),
      any('ec2:DescribeRouteTables'),
    ],
  },
  'AWS::EC2::SecurityGroup': {
    tags: 'list',
    nameProperty: 'GroupName',
    cluster: 'network',
    provisioning: [
      on(Scopes.Network, 'ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', ...SECURITY_GROUP_RULES, ...EC2_TAGS),
      // Deleting a group first checks that no instance still uses it.
      any('ec2:DescribeInstances', 'ec2:DescribeSecurityGroups'),
    ],
  },
  'AWS::EC2::SecurityGroupEgress': {
    cluster: 'network',
    drawnInside: 'GroupId',
    provisioning: [
      on(
        Scopes.Network,
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupEgress',
        'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
      ),
      any('ec2:DescribeSecurityGroupRules'),
    ],
  },
  'AWS::EC2::SecurityGroupIngress': {
    cluster: 'network',
    drawnInside: 'GroupId',
    provisioning: [
      on(
        Scopes.Network,
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
      ),
      any('ec2:DescribeSecurityGroupRules', 'ec2:DescribeSecurityGroups'),
    ],
  },
  'AWS::EC2::Subnet': {
    tags: 'list',
    cluster: 'network',
    provisioning: [
      on(Scopes.Network, 'ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute', ...EC2_TAGS),
      any('ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets'),
    ],
  },
  'AWS::EC2::SubnetRouteTableAssociation': {
    cluster: 'network',
    drawnInside: 'SubnetId',
    provisioning: [
      on(Scopes.Network, 'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'),
      any('ec2:DescribeRouteTables', 'ec2:DescribeSubnets'),
    ],
  },
  'AWS::EC2::VPC': {
    tags: 'list',
    cluster: 'network',
    provisioning: [
      on(
        Scopes.Network,
        'ec2:CreateVpc',
        'ec2:DeleteVpc',
        'ec2:DescribeVpcAttribute',
        'ec2:ModifyVpcAttribute',
        ...EC2_TAGS,
      ),
      any('ec2:DescribeNetworkAcls', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs'),
    ],
  },
  'AWS::EC2::VPCEndpoint': {
    tags: 'list',
    cluster: 'network',
    drawnInside: 'VpcId',
    policy: { property: 'PolicyDocument', label: 'endpoint policy', kind: 'endpoint' },
    provisioning: [
      on(Scopes.Network, 'ec2:CreateVpcEndpoint', 'ec2:DeleteVpcEndpoints', 'ec2:ModifyVpcEndpoint', ...EC2_TAGS),
      any('ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcs'),
    ],
  },
  'AWS::EC2::VPCGatewayAttachment': {
    cluster: 'network',
    drawnInside: 'InternetGatewayId',
    provisioning: [
      on(Scopes.Network, 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway'),
      any('ec2:DescribeInternetGateways'),
    ],
  },
  'AWS::ECR::Repository': {
    kmsKey: {
      property: 'EncryptionConfiguration.KmsKey',
      requires: { 'EncryptionConfiguration.EncryptionType': 'KMS' },
    },
    retained: true,
    tags: 'list',
    nameProperty: 'RepositoryName',
    returns: {
      Ref: NAME,
      Arn: arnText('ecr', 'repository/{}'),
      RepositoryUri: '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/{}',
    },
    policy: { property: 'RepositoryPolicyText', label: 'repository policy', kind: 'resource' },
    cluster: 'build',
    provisioning: [
      on(
        Scopes.Repositories,
        'ecr:CreateRepository',
        'ecr:DeleteLifecyclePolicy',
        'ecr:DeleteRepository',
        'ecr:DeleteRepositoryPolicy',
        'ecr:DescribeRepositories',
        'ecr:GetLifecyclePolicy',
        'ecr:GetRepositoryPolicy',
        'ecr:ListTagsForResource',
        'ecr:PutImageScanningConfiguration',
        'ecr:PutImageTagMutability',
        'ecr:PutLifecyclePolicy',
        'ecr:SetRepositoryPolicy',
        'ecr:TagResource',
        'ecr:UntagResource',
      ),
      // A KMS-encrypted repository is created under a grant on the key, made with the caller's rights.
      on(Scopes.KmsKeys, 'kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'),
    ],
  },
  'AWS::ECR::ReplicationConfiguration': {
    cluster: 'build',
    provisioning: [
      // One configuration per registry: the APIs name no repository.
      any('ecr:DescribeRegistry', 'ecr:PutReplicationConfiguration'),
      on(Scopes.EcrReplicationServiceLinkedRole, 'iam:CreateServiceLinkedRole'),
    ],
  },
  // Only in the regional artifact-store templates, which no launch role creates.
  'AWS::ECR::RepositoryCreationTemplate': { cluster: 'build' },
  'AWS::ECR::SigningConfiguration': {
    cluster: 'security',
    provisioning: [
      // One configuration per registry: the APIs name no repository (like PutRegistryScanningConfiguration).
      any('ecr:DeleteSigningConfiguration', 'ecr:GetSigningConfiguration', 'ecr:PutSigningConfiguration'),
    ],
  },
  'AWS::ECS::Cluster': {
    tags: 'list',
    nameProperty: 'ClusterName',
    returns: { Ref: NAME, Arn: arnText('ecs', 'cluster/{}') },
    cluster: 'service',
    provisioning: [
      on(
        Scopes.Ecs,
        'ecs:CreateCluster',
        'ecs:DeleteCluster',
        'ecs:DescribeClusters',
        'ecs:PutClusterCapacityProviders',
        'ecs:UpdateCluster',
        'ecs:UpdateClusterSettings',
        ...ECS_TAGS,
      ),
      on(Scopes.EcsServiceLinkedRole, 'iam:CreateServiceLinkedRole'),
    ],
  },
  'AWS::ECS::ClusterCapacityProviderAssociations': {
    cluster: 'service',
    provisioning: [
      on(Scopes.Ecs, 'ecs:DescribeCapacityProviders', 'ecs:DescribeClusters', 'ecs:PutClusterCapacityProviders'),
    ],
  },
  'AWS::ECS::Service': {
    tags: 'list',
    nameProperty: 'ServiceName',
    cluster: 'service',
    provisioning: [
      on(
        Scopes.Ecs,
        'ecs:CreateService',
        'ecs:DeleteService',
        'ecs:DescribeServiceDeployments',
        'ecs:DescribeServices',
        'ecs:ListServiceDeployments',
        'ecs:StopServiceDeployment',
        'ecs:UpdateService',
        ...ECS_TAGS,
      ),
      // The ECS engine's service names the load balancer's infrastructure role and the hooks' role.
      on(Scopes.PassRoleToEcs, 'iam:PassRole'),
    ],
  },
  'AWS::ECS::TaskDefinition': {
    tags: 'list',
    nameProperty: 'Family',
    returns: { Ref: arnText('ecs', 'task-definition/{}:<revision>') },
    cluster: 'service',
    provisioning: [
      on(Scopes.Ecs, 'ecs:RegisterTaskDefinition', ...ECS_TAGS),
      on(Scopes.Roles, 'iam:GetRole'),
      on(Scopes.PassRoleToEcsTasks, 'iam:PassRole'),
      any('ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'),
    ],
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    tags: 'list',
    cluster: 'service',
    provisioning: [
      on(
        Scopes.LoadBalancers,
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyListenerAttributes',
        ...ELB_TAGS,
      ),
      any(
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeTags',
      ),
    ],
  },
  'AWS::ElasticLoadBalancingV2::ListenerRule': {
    tags: 'list',
    cluster: 'service',
    drawnInside: 'ListenerArn',
    provisioning: [
      on(
        Scopes.LoadBalancers,
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
        ...ELB_TAGS,
      ),
      any('elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTags'),
    ],
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    tags: 'list',
    nameProperty: 'Name',
    cluster: 'service',
    provisioning: [
      on(
        Scopes.LoadBalancers,
        'elasticloadbalancing:CreateLoadBalancer',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        ...ELB_TAGS,
      ),
      any(
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTags',
      ),
    ],
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    tags: 'list',
    nameProperty: 'Name',
    cluster: 'service',
    provisioning: [
      on(
        Scopes.LoadBalancers,
        'elasticloadbalancing:CreateTargetGroup',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:RegisterTargets',
        ...ELB_TAGS,
      ),
      any(
        'ec2:DescribeVpcs',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ),
    ],
  },
  'AWS::Events::Rule': {
    tags: 'list',
    nameProperty: 'Name',
    returns: { Ref: NAME, Arn: arnText('events', 'rule/{}') },
    cluster: 'notifications',
    provisioning: [
      on(
        Scopes.EventRules,
        'events:DeleteRule',
        'events:DescribeRule',
        'events:ListTagsForResource',
        'events:ListTargetsByRule',
        'events:PutRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'events:TagResource',
        'events:UntagResource',
      ),
    ],
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    returns: { Ref: arnText('iam', 'policy/{}'), PolicyArn: arnText('iam', 'policy/{}') },
    policy: { property: 'PolicyDocument', label: 'managed policy', kind: 'identity' },
    cluster: 'security',
    provisioning: [
      on(
        Scopes.Policies,
        'iam:CreatePolicy',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListEntitiesForPolicy',
        'iam:ListPolicyVersions',
      ),
    ],
  },
  'AWS::IAM::Policy': {
    policy: { property: 'PolicyDocument', label: 'policy', kind: 'identity' },
    cluster: 'security',
    drawnInside: 'Roles',
    provisioning: [on(Scopes.Roles, 'iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:PutRolePolicy')],
  },
  'AWS::IAM::Role': {
    tags: 'list',
    nameProperty: 'RoleName',
    returns: { Ref: NAME, Arn: arnText('iam', 'role/{}') },
    cluster: 'security',
    provisioning: [
      on(
        Scopes.Roles,
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:PutRolePolicy',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
      ),
    ],
  },
  'AWS::KMS::Alias': {
    nameProperty: 'AliasName',
    returns: { Ref: NAME },
    cluster: 'security',
    drawnInside: 'TargetKeyId',
    provisioning: [
      on(Scopes.KmsAliases, 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'),
      on(Scopes.KmsKeys, 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'),
      any('kms:ListAliases'),
    ],
  },
  'AWS::KMS::Key': {
    retained: true,
    tags: 'list',
    policy: { property: 'KeyPolicy', label: 'key policy', kind: 'resource' },
    cluster: 'security',
    provisioning: [
      on(
        Scopes.KmsKeys,
        'kms:DescribeKey',
        'kms:DisableKey',
        'kms:DisableKeyRotation',
        'kms:EnableKey',
        'kms:EnableKeyRotation',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:ListResourceTags',
        'kms:PutKeyPolicy',
        'kms:ScheduleKeyDeletion',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:UpdateKeyDescription',
      ),
      any('kms:CreateKey'),
    ],
  },
  'AWS::Lambda::Function': {
    tags: 'list',
    nameProperty: 'FunctionName',
    returns: { Ref: NAME, Arn: arnText('lambda', 'function:{}') },
    // The environment's key; without it Lambda uses an AWS managed key.
    kmsKey: { property: 'KmsKeyArn' },
    cluster: 'deploy',
    provisioning: [
      on(
        Scopes.Functions,
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:DeleteFunctionConcurrency',
        'lambda:GetFunction',
        'lambda:GetFunctionCodeSigningConfig',
        'lambda:GetFunctionRecursionConfig',
        'lambda:GetRuntimeManagementConfig',
        'lambda:PutFunctionConcurrency',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
      ),
      on(Scopes.PassRoleToLambda, 'iam:PassRole'),
      // Lambda encrypts the environment under the stack key with the caller's rights and a grant.
      on(Scopes.KmsKeys, 'kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'),
    ],
  },
  'AWS::Lambda::Permission': {
    cluster: 'deploy',
    drawnInside: 'FunctionName',
    provisioning: [on(Scopes.Functions, 'lambda:AddPermission', 'lambda:GetPolicy', 'lambda:RemovePermission')],
  },
  'AWS::Logs::LogGroup': {
    kmsKey: { property: 'KmsKeyId' },
    tags: 'list',
    nameProperty: 'LogGroupName',
    returns: { Ref: NAME, Arn: arnText('logs', 'log-group:{}:*') },
    cluster: 'service',
    provisioning: [
      on(
        Scopes.LogGroups,
        'logs:AssociateKmsKey',
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:DeleteRetentionPolicy',
        'logs:DisassociateKmsKey',
        'logs:GetDataProtectionPolicy',
        'logs:ListTagsForResource',
        'logs:PutRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
      ),
      any('logs:DescribeLogGroups'),
    ],
  },
  'AWS::Logs::MetricFilter': {
    nameProperty: 'FilterName',
    cluster: 'deploy',
    drawnInside: 'LogGroupName',
    provisioning: [
      // Metric filter calls are authorised on the log group they read.
      on(Scopes.LogGroups, 'logs:DeleteMetricFilter', 'logs:DescribeMetricFilters', 'logs:PutMetricFilter'),
    ],
  },
  'AWS::Route53::RecordSet': {
    cluster: 'network',
    provisioning: [
      on(Scopes.AliasRecords, 'route53:ChangeResourceRecordSets'),
      on(Scopes.HostedZones, 'route53:GetHostedZone', 'route53:ListResourceRecordSets'),
      on(Scopes.Route53Changes, 'route53:GetChange'),
      any('route53:ListHostedZones'),
    ],
  },
  'AWS::S3::Bucket': {
    kmsKey: {
      property: 'BucketEncryption.ServerSideEncryptionConfiguration[*].ServerSideEncryptionByDefault.KMSMasterKeyID',
      requires: {
        'BucketEncryption.ServerSideEncryptionConfiguration[*].ServerSideEncryptionByDefault.SSEAlgorithm': 'aws:kms',
      },
      // ELB writes access logs only to SSE-S3 buckets (src/resources/access-logs.ts).
      unlessStated: {
        metadata: 'SseS3Only',
        instead: [
          'BucketEncryption.ServerSideEncryptionConfiguration[*].ServerSideEncryptionByDefault.SSEAlgorithm',
          'AES256',
        ],
      },
    },
    retained: true,
    tags: 'list',
    nameProperty: 'BucketName',
    returns: { Ref: NAME, Arn: arnText('s3', '{}') },
    cluster: 'source',
    provisioning: [
      on(
        Scopes.Buckets,
        's3:CreateBucket',
        's3:DeleteBucket',
        's3:ListBucket',
        's3:GetBucketAcl',
        's3:GetBucketOwnershipControls',
        's3:PutBucketOwnershipControls',
        's3:GetBucketPublicAccessBlock',
        's3:PutBucketPublicAccessBlock',
        's3:GetBucketTagging',
        's3:PutBucketTagging',
        's3:GetBucketVersioning',
        's3:PutBucketVersioning',
        's3:GetEncryptionConfiguration',
        's3:PutEncryptionConfiguration',
        's3:GetLifecycleConfiguration',
        's3:PutLifecycleConfiguration',
        // The read handler reports every bucket setting, used or not.
        's3:GetAccelerateConfiguration',
        's3:GetAnalyticsConfiguration',
        's3:GetBucketCORS',
        's3:GetBucketLogging',
        's3:GetBucketNotification',
        's3:GetBucketObjectLockConfiguration',
        's3:GetBucketWebsite',
        's3:GetIntelligentTieringConfiguration',
        's3:GetInventoryConfiguration',
        's3:GetMetricsConfiguration',
        's3:GetReplicationConfiguration',
      ),
    ],
  },
  'AWS::S3::BucketPolicy': {
    policy: { property: 'PolicyDocument', label: 'bucket policy', kind: 'resource' },
    cluster: 'source',
    drawnInside: 'Bucket',
    provisioning: [on(Scopes.Buckets, 's3:DeleteBucketPolicy', 's3:GetBucketPolicy', 's3:PutBucketPolicy')],
  },
  'AWS::Signer::SigningProfile': {
    tags: 'list',
    cluster: 'security',
    provisioning: [
      on(
        Scopes.SigningProfiles,
        'signer:CancelSigningProfile',
        'signer:GetSigningProfile',
        'signer:TagResource',
        'signer:UntagResource',
      ),
      beyond(
        'the schema lists it among the tagging permissions, which CloudFormation uses to read tags back',
        Scopes.SigningProfiles,
        'signer:ListTagsForResource',
      ),
      any('signer:PutSigningProfile'),
    ],
  },
  'AWS::SNS::Subscription': {
    cluster: 'notifications',
    drawnInside: 'TopicArn',
    provisioning: [
      on(Scopes.Topics, 'sns:Subscribe'),
      any('sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe'),
    ],
  },
  'AWS::SNS::Topic': {
    kmsKey: { property: 'KmsMasterKeyId' },
    tags: 'list',
    nameProperty: 'TopicName',
    returns: { Ref: arnText('sns', '{}'), TopicArn: arnText('sns', '{}'), TopicName: NAME },
    cluster: 'notifications',
    provisioning: [
      on(
        Scopes.Topics,
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetDataProtectionPolicy',
        'sns:GetTopicAttributes',
        'sns:ListSubscriptionsByTopic',
        'sns:ListTagsForResource',
        'sns:SetTopicAttributes',
        'sns:TagResource',
        'sns:UntagResource',
      ),
    ],
  },
  'AWS::SNS::TopicPolicy': {
    policy: { property: 'PolicyDocument', label: 'topic policy', kind: 'resource' },
    cluster: 'notifications',
    drawnInside: 'Topics',
    provisioning: [on(Scopes.Topics, 'sns:SetTopicAttributes')],
  },
  'AWS::SecretsManager::Secret': {
    kmsKey: { property: 'KmsKeyId' },
    retained: true,
    tags: 'list',
    nameProperty: 'Name',
    returns: { Ref: arnText('secretsmanager', 'secret:{}-??????') },
    cluster: 'security',
    provisioning: [
      on(
        Scopes.Secrets,
        'secretsmanager:CreateSecret',
        'secretsmanager:DeleteSecret',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:TagResource',
        'secretsmanager:UntagResource',
        'secretsmanager:UpdateSecret',
      ),
      beyond(
        'Secrets Manager encrypts the generated value under the stack key with the caller’s rights',
        Scopes.KmsKeys,
        'kms:Decrypt',
        'kms:GenerateDataKey',
      ),
      any('secretsmanager:GetRandomPassword'),
    ],
  },
  'AWS::ServiceCatalog::CloudFormationProduct': {
    tags: 'list',
    nameProperty: 'Name',
    cluster: 'other',
  },
  'AWS::ServiceCatalog::LaunchRoleConstraint': {
    cluster: 'other',
    drawnInside: 'ProductId',
  },
  'AWS::ServiceCatalog::Portfolio': {
    tags: 'list',
    nameProperty: 'DisplayName',
    cluster: 'other',
  },
  'AWS::ServiceCatalog::PortfolioPrincipalAssociation': {
    cluster: 'other',
    drawnInside: 'PortfolioId',
  },
  'AWS::ServiceCatalog::PortfolioProductAssociation': {
    cluster: 'other',
    drawnInside: 'ProductId',
  }, // IAM types a user's own template may hold: `cfn-cicd deploy` asks for CAPABILITY_NAMED_IAM when they are named.
  'AWS::IAM::User': { nameProperty: 'UserName', cluster: 'security' },
  'AWS::IAM::Group': { nameProperty: 'GroupName', cluster: 'security' },
  'AWS::IAM::InstanceProfile': { nameProperty: 'InstanceProfileName', cluster: 'security' },
};

/** The row of `type`; throws naming the type when the table has none (a new type needs a row). */
export function resourceType(type: string): ResourceTypeInfo {
  const row = RESOURCE_TYPES[type];
  if (row === undefined) throw new Error(`no row for ${type} in RESOURCE_TYPES (src/cfn/types.ts): add one`);
  return row;
}
