// The resource scopes of the Service Catalog launch role: ARN patterns its statements name, and the
// helpers that build a type's provisioning row (the rows live in src/cfn/types.ts, one per type).
import type { Condition } from './policy.js';
import { arnText } from '../intrinsics.js';
import { NAME_PREFIX } from '../naming.js';

/** ARN patterns one launch-role statement covers, and its condition. */
export interface ResourceScope {
  /** Statement ID of the launch role's statement for this scope. */
  readonly sid: string;
  /** ARN patterns as `!Sub` text. */
  readonly arns: readonly string[];
  /** Extra condition on the statement. @default - none */
  readonly condition?: Condition;
  /**
   * The statement also requires the resource's `Project` tag to carry the pipeline's project: for
   * scopes that must name every resource of a kind in the region (key ARNs carry no name).
   * @default false
   */
  readonly projectTagged?: boolean;
}

/** Actions on one scope; `ANY_RESOURCE` for APIs that take no ARN (each listed in any-resource.ts). */
export interface ProvisioningGrant {
  readonly scope: ResourceScope | typeof ANY_RESOURCE;
  readonly actions: readonly string[];
  /** Why these actions go beyond the type's handler permissions in cfn-lint's schema. @default - they do not */
  readonly beyondHandlers?: string;
}

export const ANY_RESOURCE = 'any-resource';

/** The tag a platform team puts on a GitHub token secret that Service Catalog launches may read. */
export const SOURCE_TOKEN_TAG = { key: 'cfn-cicd:source-token', value: 'true' } as const;

/** Every physical name in the pipeline template starts with this. */
const NAMED = `${NAME_PREFIX}-*`;

/** iam:PassRole for the stack's own roles, to one service only. */
const passRoleTo = (sid: string, service: string): ResourceScope => ({
  sid,
  arns: [arnText('iam', `role/${NAMED}`)],
  condition: { StringEquals: { 'iam:PassedToService': service } },
});

/** The resource scopes, one launch-role statement each. */
export const Scopes = {
  // Key ARNs carry a generated key ID, never a name: every key of the region, but only those the
  // pipeline's stacks tag with its Project (the stack key is created with its tags).
  KmsKeys: { sid: 'KmsKeysOfThisProject', arns: [arnText('kms', 'key/*')], projectTagged: true },
  // An alias call is authorised on the alias and on the key it points at: the key's half is in KmsKeys.
  KmsAliases: { sid: 'KmsAliases', arns: [arnText('kms', `alias/${NAMED}`)] },
  Buckets: { sid: 'Buckets', arns: [arnText('s3', NAMED)] },
  Repositories: { sid: 'EcrRepositories', arns: [arnText('ecr', `repository/${NAMED}`)] },
  Topics: { sid: 'SnsTopics', arns: [arnText('sns', NAMED)] },
  // CodePipeline's managed-compute actions log under /aws/codepipeline/<pipeline name>.
  LogGroups: {
    sid: 'LogGroups',
    arns: [arnText('logs', `log-group:${NAMED}`), arnText('logs', `log-group:/aws/codepipeline/${NAMED}`)],
  },
  // Signer allows no hyphen in a profile name, so the stack's profile has a generated one: profiles of this project.
  SigningProfiles: {
    sid: 'SigningProfilesOfThisProject',
    arns: [arnText('signer', '/signing-profiles/*')],
    projectTagged: true,
  },
  Secrets: { sid: 'Secrets', arns: [arnText('secretsmanager', `secret:${NAMED}`)] },
  // The GitHub token secret is the provisioning user's choice, so its name is not ours: only secrets
  // the platform team tagged for it, so a user cannot point the pipeline at any secret in the region.
  AnySecret: {
    sid: 'ResolveGitHubTokenSecret',
    arns: [arnText('secretsmanager', 'secret:*')],
    condition: { StringEquals: { [`aws:ResourceTag/${SOURCE_TOKEN_TAG.key}`]: SOURCE_TOKEN_TAG.value } },
  },
  Roles: { sid: 'IamRoles', arns: [arnText('iam', `role/${NAMED}`)] },
  PassRoleToCodeBuild: passRoleTo('PassRolesToCodeBuild', 'codebuild.amazonaws.com'),
  PassRoleToCodePipeline: passRoleTo('PassRolesToCodePipeline', 'codepipeline.amazonaws.com'),
  PassRoleToCodeDeploy: passRoleTo('PassRolesToCodeDeploy', 'codedeploy.amazonaws.com'),
  PassRoleToEcsTasks: passRoleTo('PassRolesToEcsTasks', 'ecs-tasks.amazonaws.com'),
  // The ECS blue/green engine's load balancer and lifecycle-hook roles.
  PassRoleToEcs: passRoleTo('PassRolesToEcs', 'ecs.amazonaws.com'),
  PassRoleToLambda: passRoleTo('PassRolesToLambda', 'lambda.amazonaws.com'),
  PassRoleToChatbot: passRoleTo('PassRolesToChatbot', 'chatbot.amazonaws.com'),
  // Chatbot configurations: chat-configuration/<slack-channel|microsoft-teams-channel>/<name>, global (no Region).
  ChatConfigurations: { sid: 'ChatbotConfigurations', arns: [arnText('chatbot', `chat-configuration/*/${NAMED}`)] },
  // Chatbot creates its service-linked role on the first channel configuration of the account.
  ChatbotServiceLinkedRole: {
    sid: 'ChatbotServiceLinkedRole',
    arns: [arnText('iam', 'role/aws-service-role/management.chatbot.amazonaws.com/AWSServiceRoleForAWSChatbot')],
    condition: { StringEquals: { 'iam:AWSServiceName': 'management.chatbot.amazonaws.com' } },
  },
  // Customer-managed policies of the pipeline stack (the chat guardrail).
  Policies: { sid: 'IamPolicies', arns: [arnText('iam', `policy/${NAMED}`)] },
  Functions: { sid: 'LambdaFunctions', arns: [arnText('lambda', `function:${NAMED}`)] },
  EcsServiceLinkedRole: {
    sid: 'EcsServiceLinkedRole',
    arns: [arnText('iam', 'role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS')],
    condition: { StringEquals: { 'iam:AWSServiceName': 'ecs.amazonaws.com' } },
  },
  // ECR creates its replication service-linked role on the registry's first replication configuration
  // (ECR User Guide, "Using service-linked roles for Amazon ECR": AWSServiceRoleForECRReplication).
  EcrReplicationServiceLinkedRole: {
    sid: 'EcrReplicationServiceLinkedRole',
    arns: [arnText('iam', 'role/aws-service-role/replication.ecr.amazonaws.com/AWSServiceRoleForECRReplication')],
    condition: { StringEquals: { 'iam:AWSServiceName': 'replication.ecr.amazonaws.com' } },
  },
  // Application Auto Scaling's service-linked role for ECS: Application Auto Scaling creates it on the
  // first RegisterScalableTarget for an ECS service in the account, with the caller's rights.
  AutoScalingServiceLinkedRole: {
    sid: 'AutoScalingServiceLinkedRole',
    arns: [
      arnText(
        'iam',
        'role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
      ),
    ],
    condition: { StringEquals: { 'iam:AWSServiceName': 'ecs.application-autoscaling.amazonaws.com' } },
  },
  // Scalable targets carry generated IDs, never names: those of this account and region.
  ScalableTargets: {
    sid: 'ScalableTargetsInThisRegion',
    arns: [arnText('application-autoscaling', 'scalable-target/*')],
  },
  BuildProjects: {
    sid: 'CodeBuildProjects',
    arns: [arnText('codebuild', `project/${NAMED}`), arnText('codebuild', `report-group/${NAMED}`)],
  },
  Pipelines: {
    sid: 'Pipelines',
    arns: [arnText('codepipeline', NAMED), arnText('codepipeline', `webhook:${NAMED}`)],
  },
  // The connection ARN is a provisioning parameter; the pipeline only passes it to CodePipeline.
  Connections: {
    sid: 'PassCodeConnections',
    arns: [arnText('codestar-connections', 'connection/*'), arnText('codeconnections', 'connection/*')],
  },
  EventRules: { sid: 'EventRules', arns: [arnText('events', `rule/${NAMED}`)] },
  Alarms: { sid: 'Alarms', arns: [arnText('cloudwatch', `alarm:${NAMED}`)] },
  // Dashboards are global: their ARN has no Region.
  Dashboards: { sid: 'Dashboards', arns: ['arn:${AWS::Partition}:cloudwatch::${AWS::AccountId}:dashboard/' + NAMED] },
  DeployApplications: {
    sid: 'CodeDeployApplications',
    arns: [arnText('codedeploy', `application:${NAMED}`), arnText('codedeploy', `deploymentgroup:${NAMED}/*`)],
  },
  // Deployment configurations are the predefined CodeDeployDefault.* ones, named by AWS.
  DeployConfigs: { sid: 'CodeDeployConfigs', arns: [arnText('codedeploy', 'deploymentconfig:*')] },
  // EC2 network ARNs carry generated IDs, never names: scoped to this account and region.
  Network: {
    sid: 'NetworkInThisRegion',
    arns: [
      arnText('ec2', 'vpc/*'),
      arnText('ec2', 'subnet/*'),
      arnText('ec2', 'route-table/*'),
      arnText('ec2', 'internet-gateway/*'),
      arnText('ec2', 'security-group/*'),
      arnText('ec2', 'security-group-rule/*'),
      arnText('ec2', 'vpc-endpoint/*'),
    ],
  },
  // Hosted zone IDs are the team's own and unknown to the template: every zone of the account, and
  // record changes only of type A (the alias record is the one record the stack writes).
  HostedZones: { sid: 'Route53HostedZones', arns: ['arn:${AWS::Partition}:route53:::hostedzone/*'] },
  AliasRecords: {
    sid: 'Route53AliasRecordsOnly',
    arns: ['arn:${AWS::Partition}:route53:::hostedzone/*'],
    condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A'] } },
  },
  Route53Changes: { sid: 'Route53Changes', arns: ['arn:${AWS::Partition}:route53:::change/*'] },
  LoadBalancers: {
    sid: 'LoadBalancers',
    arns: [
      arnText('elasticloadbalancing', `loadbalancer/app/${NAMED}/*`),
      arnText('elasticloadbalancing', `listener/app/${NAMED}/*`),
      arnText('elasticloadbalancing', `listener-rule/app/${NAMED}/*`),
      arnText('elasticloadbalancing', `targetgroup/${NAMED}/*`),
    ],
  },
  Ecs: {
    sid: 'EcsClusterServiceAndTasks',
    arns: [
      arnText('ecs', `cluster/${NAMED}`),
      arnText('ecs', `service/${NAMED}/${NAMED}`),
      arnText('ecs', `service-deployment/${NAMED}/${NAMED}/*`),
      arnText('ecs', `task-definition/${NAMED}:*`),
      // FARGATE and FARGATE_SPOT are AWS-named capacity providers.
      arnText('ecs', 'capacity-provider/*'),
    ],
  },
} as const satisfies Record<string, ResourceScope>;

export const any = (...actions: string[]): ProvisioningGrant => ({ scope: ANY_RESOURCE, actions });
export const on = (scope: ResourceScope, ...actions: string[]): ProvisioningGrant => ({ scope, actions });
/** A grant the type's schema does not list, with the reason (a test holds rows to the schema). */
export const beyond = (beyondHandlers: string, scope: ResourceScope, ...actions: string[]): ProvisioningGrant => ({
  scope,
  actions,
  beyondHandlers,
});

export const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags'];
export const ELB_TAGS = ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'];
export const ECS_TAGS = ['ecs:ListTagsForResource', 'ecs:TagResource', 'ecs:UntagResource'];
export const SECURITY_GROUP_RULES = [
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
  'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
];
export const RESOLVE_TOKEN = beyond(
  'a {{resolve:secretsmanager:…}} reference to the GitHub token is resolved with the caller’s credentials',
  Scopes.AnySecret,
  'secretsmanager:GetSecretValue',
);
