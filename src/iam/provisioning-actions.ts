// What CloudFormation calls, with the Service Catalog launch role's credentials, to create,
// update and delete each resource type of the pipeline template. The launch role is built from
// the rows of the types the template holds, so a new type without a row fails the build and a test.
// Rows follow the create/read/update/delete handler permissions in cfn-lint's resource schemas,
// less the features our templates do not use; the few extra actions say why in a comment.
import type { Condition } from './policy.js';
import { NAME_PREFIX } from '../naming.js';

/** ARN patterns one launch-role statement covers, and its condition. */
export interface ResourceScope {
  /** Statement ID of the launch role's statement for this scope. */
  readonly sid: string;
  /** ARN patterns as `!Sub` text. */
  readonly arns: readonly string[];
  /** Extra condition on the statement. @default - none */
  readonly condition?: Condition;
}

/** Actions on one scope; `ANY_RESOURCE` for APIs that take no ARN (each listed in any-resource.ts). */
export interface ProvisioningGrant {
  readonly scope: ResourceScope | typeof ANY_RESOURCE;
  readonly actions: readonly string[];
  /** Why these actions go beyond the type's handler permissions in cfn-lint's schema. @default - they do not */
  readonly beyondHandlers?: string;
}

export const ANY_RESOURCE = 'any-resource';

/** Every physical name in the pipeline template starts with this. */
const NAMED = `${NAME_PREFIX}-*`;
const regional = (service: string, resource: string): string =>
  `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`;
const accountWide = (service: string, resource: string): string =>
  `arn:\${AWS::Partition}:${service}::\${AWS::AccountId}:${resource}`;

/** iam:PassRole for the stack's own roles, to one service only. */
const passRoleTo = (sid: string, service: string): ResourceScope => ({
  sid,
  arns: [accountWide('iam', `role/${NAMED}`)],
  condition: { StringEquals: { 'iam:PassedToService': service } },
});

/** The resource scopes, one launch-role statement each. */
export const Scopes = {
  // Key ARNs carry a generated key ID, never a name: scoped to this account and region.
  KmsKeys: { sid: 'KmsKeysInThisRegion', arns: [regional('kms', 'key/*')] },
  // An alias call is authorised on the alias and on the key it points at, in one statement.
  KmsAliases: { sid: 'KmsAliases', arns: [regional('kms', `alias/${NAMED}`), regional('kms', 'key/*')] },
  Buckets: { sid: 'Buckets', arns: [`arn:\${AWS::Partition}:s3:::${NAMED}`] },
  Repositories: { sid: 'EcrRepositories', arns: [regional('ecr', `repository/${NAMED}`)] },
  Topics: { sid: 'SnsTopics', arns: [regional('sns', NAMED)] },
  LogGroups: { sid: 'LogGroups', arns: [regional('logs', `log-group:${NAMED}`)] },
  Secrets: { sid: 'Secrets', arns: [regional('secretsmanager', `secret:${NAMED}`)] },
  // The GitHub token secret is the provisioning user's choice, so its name is not ours.
  AnySecret: { sid: 'ResolveGitHubTokenSecret', arns: [regional('secretsmanager', 'secret:*')] },
  Roles: { sid: 'IamRoles', arns: [accountWide('iam', `role/${NAMED}`)] },
  PassRoleToCodeBuild: passRoleTo('PassRolesToCodeBuild', 'codebuild.amazonaws.com'),
  PassRoleToCodePipeline: passRoleTo('PassRolesToCodePipeline', 'codepipeline.amazonaws.com'),
  PassRoleToCodeDeploy: passRoleTo('PassRolesToCodeDeploy', 'codedeploy.amazonaws.com'),
  PassRoleToEcsTasks: passRoleTo('PassRolesToEcsTasks', 'ecs-tasks.amazonaws.com'),
  EcsServiceLinkedRole: {
    sid: 'EcsServiceLinkedRole',
    arns: [accountWide('iam', 'role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS')],
    condition: { StringEquals: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } },
  },
  BuildProjects: { sid: 'CodeBuildProjects', arns: [regional('codebuild', `project/${NAMED}`)] },
  Pipelines: {
    sid: 'Pipelines',
    arns: [regional('codepipeline', NAMED), regional('codepipeline', `webhook:${NAMED}`)],
  },
  // The connection ARN is a provisioning parameter; the pipeline only passes it to CodePipeline.
  Connections: {
    sid: 'PassCodeConnections',
    arns: [regional('codestar-connections', 'connection/*'), regional('codeconnections', 'connection/*')],
  },
  NotificationRules: { sid: 'NotificationRules', arns: [regional('codestar-notifications', 'notificationrule/*')] },
  EventRules: { sid: 'EventRules', arns: [regional('events', `rule/${NAMED}`)] },
  Alarms: { sid: 'Alarms', arns: [regional('cloudwatch', `alarm:${NAMED}`)] },
  DeployApplications: {
    sid: 'CodeDeployApplications',
    arns: [regional('codedeploy', `application:${NAMED}`), regional('codedeploy', `deploymentgroup:${NAMED}/*`)],
  },
  // Deployment configurations are the predefined CodeDeployDefault.* ones, named by AWS.
  DeployConfigs: { sid: 'CodeDeployConfigs', arns: [regional('codedeploy', 'deploymentconfig:*')] },
  // EC2 network ARNs carry generated IDs, never names: scoped to this account and region.
  Network: {
    sid: 'NetworkInThisRegion',
    arns: [
      regional('ec2', 'vpc/*'),
      regional('ec2', 'subnet/*'),
      regional('ec2', 'route-table/*'),
      regional('ec2', 'internet-gateway/*'),
      regional('ec2', 'security-group/*'),
      regional('ec2', 'security-group-rule/*'),
    ],
  },
  LoadBalancers: {
    sid: 'LoadBalancers',
    arns: [
      regional('elasticloadbalancing', `loadbalancer/app/${NAMED}/*`),
      regional('elasticloadbalancing', `listener/app/${NAMED}/*`),
      regional('elasticloadbalancing', `targetgroup/${NAMED}/*`),
    ],
  },
  Ecs: {
    sid: 'EcsClusterServiceAndTasks',
    arns: [
      regional('ecs', `cluster/${NAMED}`),
      regional('ecs', `service/${NAMED}/${NAMED}`),
      regional('ecs', `task-definition/${NAMED}:*`),
      // FARGATE and FARGATE_SPOT are AWS-named capacity providers.
      regional('ecs', 'capacity-provider/*'),
    ],
  },
} as const satisfies Record<string, ResourceScope>;

const any = (...actions: string[]): ProvisioningGrant => ({ scope: ANY_RESOURCE, actions });
const on = (scope: ResourceScope, ...actions: string[]): ProvisioningGrant => ({ scope, actions });
/** A grant the type's schema does not list, with the reason (a test holds rows to the schema). */
const beyond = (beyondHandlers: string, scope: ResourceScope, ...actions: string[]): ProvisioningGrant => ({
  scope,
  actions,
  beyondHandlers,
});

const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags'];
const ELB_TAGS = ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'];
const ECS_TAGS = ['ecs:ListTagsForResource', 'ecs:TagResource', 'ecs:UntagResource'];
const SECURITY_GROUP_RULES = [
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
  'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
];
const RESOLVE_TOKEN = beyond(
  'a {{resolve:secretsmanager:…}} reference to the GitHub token is resolved with the caller’s credentials',
  Scopes.AnySecret,
  'secretsmanager:GetSecretValue',
);

/** Resource type → what the launch role needs to create, update and delete it. */
export const PROVISIONING_ACTIONS: Readonly<Record<string, readonly ProvisioningGrant[]>> = {
  'AWS::KMS::Key': [
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
  'AWS::KMS::Alias': [
    on(Scopes.KmsAliases, 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'),
    any('kms:ListAliases'),
  ],
  'AWS::S3::Bucket': [
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
  'AWS::S3::BucketPolicy': [on(Scopes.Buckets, 's3:DeleteBucketPolicy', 's3:GetBucketPolicy', 's3:PutBucketPolicy')],
  'AWS::ECR::Repository': [
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
  'AWS::SNS::Topic': [
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
  'AWS::SNS::TopicPolicy': [on(Scopes.Topics, 'sns:SetTopicAttributes')],
  'AWS::SNS::Subscription': [
    on(Scopes.Topics, 'sns:Subscribe'),
    any('sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe'),
  ],
  'AWS::Logs::LogGroup': [
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
  'AWS::SecretsManager::Secret': [
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
  'AWS::IAM::Role': [
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
  'AWS::IAM::Policy': [on(Scopes.Roles, 'iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:PutRolePolicy')],
  'AWS::CodeBuild::Project': [
    beyond(
      'the schema lists no handler permissions for this type: these are the CodeBuild project APIs',
      Scopes.BuildProjects,
      'codebuild:BatchGetProjects',
      'codebuild:CreateProject',
      'codebuild:DeleteProject',
      'codebuild:UpdateProject',
    ),
    beyond('a project runs as its service role', Scopes.PassRoleToCodeBuild, 'iam:PassRole'),
  ],
  'AWS::CodePipeline::Pipeline': [
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
  'AWS::CodePipeline::Webhook': [
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
  'AWS::CodeStarNotifications::NotificationRule': [
    on(
      Scopes.NotificationRules,
      'codestar-notifications:CreateNotificationRule',
      'codestar-notifications:DeleteNotificationRule',
      'codestar-notifications:DescribeNotificationRule',
      'codestar-notifications:TagResource',
      'codestar-notifications:UntagResource',
      'codestar-notifications:UpdateNotificationRule',
    ),
  ],
  'AWS::Events::Rule': [
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
  'AWS::CloudWatch::Alarm': [
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
  'AWS::CodeDeploy::Application': [
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
  'AWS::CodeDeploy::DeploymentGroup': [
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
  'AWS::EC2::VPC': [
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
  'AWS::EC2::InternetGateway': [
    on(Scopes.Network, 'ec2:CreateInternetGateway', 'ec2:DeleteInternetGateway', ...EC2_TAGS),
    any('ec2:DescribeInternetGateways'),
  ],
  'AWS::EC2::VPCGatewayAttachment': [
    on(Scopes.Network, 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway'),
    any('ec2:DescribeInternetGateways'),
  ],
  'AWS::EC2::RouteTable': [
    on(Scopes.Network, 'ec2:CreateRouteTable', 'ec2:DeleteRouteTable', ...EC2_TAGS),
    any('ec2:DescribeRouteTables'),
  ],
  'AWS::EC2::Route': [
    on(Scopes.Network, 'ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:ReplaceRoute'),
    any('ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables'),
  ],
  'AWS::EC2::Subnet': [
    on(Scopes.Network, 'ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute', ...EC2_TAGS),
    any('ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets'),
  ],
  'AWS::EC2::SubnetRouteTableAssociation': [
    on(Scopes.Network, 'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'),
    any('ec2:DescribeRouteTables', 'ec2:DescribeSubnets'),
  ],
  'AWS::EC2::SecurityGroup': [
    on(Scopes.Network, 'ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', ...SECURITY_GROUP_RULES, ...EC2_TAGS),
    // Deleting a group first checks that no instance still uses it.
    any('ec2:DescribeInstances', 'ec2:DescribeSecurityGroups'),
  ],
  'AWS::EC2::SecurityGroupIngress': [
    on(
      Scopes.Network,
      'ec2:AuthorizeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    ),
    any('ec2:DescribeSecurityGroupRules', 'ec2:DescribeSecurityGroups'),
  ],
  'AWS::EC2::SecurityGroupEgress': [
    on(
      Scopes.Network,
      'ec2:AuthorizeSecurityGroupEgress',
      'ec2:RevokeSecurityGroupEgress',
      'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
    ),
    any('ec2:DescribeSecurityGroupRules'),
  ],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [
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
  'AWS::ElasticLoadBalancingV2::Listener': [
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
  'AWS::ElasticLoadBalancingV2::TargetGroup': [
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
  'AWS::ECS::Cluster': [
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
  'AWS::ECS::ClusterCapacityProviderAssociations': [
    on(Scopes.Ecs, 'ecs:DescribeCapacityProviders', 'ecs:DescribeClusters', 'ecs:PutClusterCapacityProviders'),
  ],
  'AWS::ECS::TaskDefinition': [
    on(Scopes.Ecs, 'ecs:RegisterTaskDefinition', ...ECS_TAGS),
    on(Scopes.Roles, 'iam:GetRole'),
    on(Scopes.PassRoleToEcsTasks, 'iam:PassRole'),
    any('ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'),
  ],
  'AWS::ECS::Service': [
    on(Scopes.Ecs, 'ecs:CreateService', 'ecs:DeleteService', 'ecs:DescribeServices', 'ecs:UpdateService', ...ECS_TAGS),
  ],
};

/** What Service Catalog does, as the launch role, to the stack it provisions (named `SC-<account>-pp-<id>`). */
export const PROVISIONED_STACK_ACTIONS = [
  'cloudformation:CreateChangeSet',
  'cloudformation:CreateStack',
  'cloudformation:DeleteChangeSet',
  'cloudformation:DeleteStack',
  'cloudformation:DescribeChangeSet',
  'cloudformation:DescribeStackEvents',
  'cloudformation:DescribeStackResource',
  'cloudformation:DescribeStackResources',
  'cloudformation:DescribeStacks',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:GetTemplate',
  'cloudformation:ListChangeSets',
  'cloudformation:ListStackResources',
  'cloudformation:SetStackPolicy',
  'cloudformation:TagResource',
  'cloudformation:UntagResource',
  'cloudformation:UpdateStack',
] as const;

/** Template checks made before any stack exists, so they name no stack. */
export const TEMPLATE_CHECK_ACTIONS = ['cloudformation:GetTemplateSummary', 'cloudformation:ValidateTemplate'] as const;

/** Intrinsic functions CloudFormation resolves with the caller's credentials, and what they call. */
export const INTRINSIC_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // !GetAZs lists the region's zones through EC2 (the API takes no ARN).
  'Fn::GetAZs': ['ec2:DescribeAvailabilityZones'],
};

/** Scoped grants and no-ARN actions the launch role needs for these resource types, merged per scope. */
export interface ProvisioningPermissions {
  /** One entry per scope, actions sorted, scopes sorted by statement ID. */
  readonly scoped: readonly { readonly scope: ResourceScope; readonly actions: readonly string[] }[];
  /** Actions whose API takes no ARN, sorted. */
  readonly anyResource: readonly string[];
}

/**
 * The launch role's permissions for a template of these resource types using these intrinsic
 * functions; throws naming a type that has no row.
 */
export function provisioningPermissions(
  types: Iterable<string>,
  intrinsics: Iterable<string> = [],
): ProvisioningPermissions {
  const scoped = new Map<ResourceScope, Set<string>>();
  const anyResource = new Set([...intrinsics].flatMap((fn) => INTRINSIC_ACTIONS[fn] ?? []));
  for (const type of new Set(types)) {
    const row = PROVISIONING_ACTIONS[type];
    if (row === undefined) {
      throw new Error(
        `no launch-role row for ${type}: add one to PROVISIONING_ACTIONS in src/iam/provisioning-actions.ts`,
      );
    }
    for (const grant of row) {
      const into = grant.scope === ANY_RESOURCE ? anyResource : (scoped.get(grant.scope) ?? new Set<string>());
      if (grant.scope !== ANY_RESOURCE) scoped.set(grant.scope, into);
      for (const action of grant.actions) into.add(action);
    }
  }
  return {
    scoped: [...scoped]
      .map(([scope, actions]) => ({ scope, actions: [...actions].sort() }))
      .sort((a, b) => a.scope.sid.localeCompare(b.scope.sid)),
    anyResource: [...anyResource].sort(),
  };
}
