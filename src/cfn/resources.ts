// cloudform-types is CommonJS with `exports.default = Class`. Loading it with require() skips the
// ES-module interop (and its export scan of every file), and deep paths skip the package index,
// which loads every service and costs ~0.4 s at start-up.
/* eslint-disable @typescript-eslint/consistent-type-imports -- each require() is typed by its module's own declaration */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const Alarm = (
  require('cloudform-types/types/cloudWatch/alarm.js') as typeof import('cloudform-types/types/cloudWatch/alarm.js')
).default;
export const Application = (
  require('cloudform-types/types/codeDeploy/application.js') as typeof import('cloudform-types/types/codeDeploy/application.js')
).default;
export const Bucket = (
  require('cloudform-types/types/s3/bucket.js') as typeof import('cloudform-types/types/s3/bucket.js')
).default;
export const BucketPolicy = (
  require('cloudform-types/types/s3/bucketPolicy.js') as typeof import('cloudform-types/types/s3/bucketPolicy.js')
).default;
export const CloudFormationProduct = (
  require('cloudform-types/types/serviceCatalog/cloudFormationProduct.js') as typeof import('cloudform-types/types/serviceCatalog/cloudFormationProduct.js')
).default;
export const Cluster = (
  require('cloudform-types/types/ecs/cluster.js') as typeof import('cloudform-types/types/ecs/cluster.js')
).default;
export const Dashboard = (
  require('cloudform-types/types/cloudWatch/dashboard.js') as typeof import('cloudform-types/types/cloudWatch/dashboard.js')
).default;
export const DeploymentGroup = (
  require('cloudform-types/types/codeDeploy/deploymentGroup.js') as typeof import('cloudform-types/types/codeDeploy/deploymentGroup.js')
).default;
export const EventsRule = (
  require('cloudform-types/types/events/rule.js') as typeof import('cloudform-types/types/events/rule.js')
).default;
export const InternetGateway = (
  require('cloudform-types/types/ec2/internetGateway.js') as typeof import('cloudform-types/types/ec2/internetGateway.js')
).default;
export const Key = (require('cloudform-types/types/kms/key.js') as typeof import('cloudform-types/types/kms/key.js'))
  .default;
export const KeyAlias = (
  require('cloudform-types/types/kms/alias.js') as typeof import('cloudform-types/types/kms/alias.js')
).default;
export const LambdaFunction = (
  require('cloudform-types/types/lambda/function.js') as typeof import('cloudform-types/types/lambda/function.js')
).default;
export const LambdaPermission = (
  require('cloudform-types/types/lambda/permission.js') as typeof import('cloudform-types/types/lambda/permission.js')
).default;
export const LaunchRoleConstraint = (
  require('cloudform-types/types/serviceCatalog/launchRoleConstraint.js') as typeof import('cloudform-types/types/serviceCatalog/launchRoleConstraint.js')
).default;
export const Listener = (
  require('cloudform-types/types/elasticLoadBalancingV2/listener.js') as typeof import('cloudform-types/types/elasticLoadBalancingV2/listener.js')
).default;
export const ListenerRule = (
  require('cloudform-types/types/elasticLoadBalancingV2/listenerRule.js') as typeof import('cloudform-types/types/elasticLoadBalancingV2/listenerRule.js')
).default;
export const LoadBalancer = (
  require('cloudform-types/types/elasticLoadBalancingV2/loadBalancer.js') as typeof import('cloudform-types/types/elasticLoadBalancingV2/loadBalancer.js')
).default;
export const LogGroup = (
  require('cloudform-types/types/logs/logGroup.js') as typeof import('cloudform-types/types/logs/logGroup.js')
).default;
export const StackSet = (
  require('cloudform-types/types/cloudFormation/stackSet.js') as typeof import('cloudform-types/types/cloudFormation/stackSet.js')
).default;
export const ManagedPolicy = (
  require('cloudform-types/types/iam/managedPolicy.js') as typeof import('cloudform-types/types/iam/managedPolicy.js')
).default;
export const MicrosoftTeamsChannelConfiguration = (
  require('cloudform-types/types/chatbot/microsoftTeamsChannelConfiguration.js') as typeof import('cloudform-types/types/chatbot/microsoftTeamsChannelConfiguration.js')
).default;
export const MetricFilter = (
  require('cloudform-types/types/logs/metricFilter.js') as typeof import('cloudform-types/types/logs/metricFilter.js')
).default;
export const Pipeline = (
  require('cloudform-types/types/codePipeline/pipeline.js') as typeof import('cloudform-types/types/codePipeline/pipeline.js')
).default;
export const Portfolio = (
  require('cloudform-types/types/serviceCatalog/portfolio.js') as typeof import('cloudform-types/types/serviceCatalog/portfolio.js')
).default;
export const PortfolioPrincipalAssociation = (
  require('cloudform-types/types/serviceCatalog/portfolioPrincipalAssociation.js') as typeof import('cloudform-types/types/serviceCatalog/portfolioPrincipalAssociation.js')
).default;
export const PortfolioProductAssociation = (
  require('cloudform-types/types/serviceCatalog/portfolioProductAssociation.js') as typeof import('cloudform-types/types/serviceCatalog/portfolioProductAssociation.js')
).default;
export const Project = (
  require('cloudform-types/types/codeBuild/project.js') as typeof import('cloudform-types/types/codeBuild/project.js')
).default;
export const ReportGroup = (
  require('cloudform-types/types/codeBuild/reportGroup.js') as typeof import('cloudform-types/types/codeBuild/reportGroup.js')
).default;
export const Repository = (
  require('cloudform-types/types/ecr/repository.js') as typeof import('cloudform-types/types/ecr/repository.js')
).default;
export const Role = (require('cloudform-types/types/iam/role.js') as typeof import('cloudform-types/types/iam/role.js'))
  .default;
export const Route = (
  require('cloudform-types/types/ec2/route.js') as typeof import('cloudform-types/types/ec2/route.js')
).default;
export const RouteTable = (
  require('cloudform-types/types/ec2/routeTable.js') as typeof import('cloudform-types/types/ec2/routeTable.js')
).default;
export const Secret = (
  require('cloudform-types/types/secretsManager/secret.js') as typeof import('cloudform-types/types/secretsManager/secret.js')
).default;
export const ScalableTarget = (
  require('cloudform-types/types/applicationAutoScaling/scalableTarget.js') as typeof import('cloudform-types/types/applicationAutoScaling/scalableTarget.js')
).default;
export const ScalingPolicy = (
  require('cloudform-types/types/applicationAutoScaling/scalingPolicy.js') as typeof import('cloudform-types/types/applicationAutoScaling/scalingPolicy.js')
).default;
export const SecurityGroup = (
  require('cloudform-types/types/ec2/securityGroup.js') as typeof import('cloudform-types/types/ec2/securityGroup.js')
).default;
export const SecurityGroupEgress = (
  require('cloudform-types/types/ec2/securityGroupEgress.js') as typeof import('cloudform-types/types/ec2/securityGroupEgress.js')
).default;
export const RecordSet = (
  require('cloudform-types/types/route53/recordSet.js') as typeof import('cloudform-types/types/route53/recordSet.js')
).default;
export const SecurityGroupIngress = (
  require('cloudform-types/types/ec2/securityGroupIngress.js') as typeof import('cloudform-types/types/ec2/securityGroupIngress.js')
).default;
export const Service = (
  require('cloudform-types/types/ecs/service.js') as typeof import('cloudform-types/types/ecs/service.js')
).default;
export const SigningProfile = (
  require('cloudform-types/types/signer/signingProfile.js') as typeof import('cloudform-types/types/signer/signingProfile.js')
).default;
export const Subnet = (
  require('cloudform-types/types/ec2/subnet.js') as typeof import('cloudform-types/types/ec2/subnet.js')
).default;
export const SubnetRouteTableAssociation = (
  require('cloudform-types/types/ec2/subnetRouteTableAssociation.js') as typeof import('cloudform-types/types/ec2/subnetRouteTableAssociation.js')
).default;
export const SlackChannelConfiguration = (
  require('cloudform-types/types/chatbot/slackChannelConfiguration.js') as typeof import('cloudform-types/types/chatbot/slackChannelConfiguration.js')
).default;
export const Subscription = (
  require('cloudform-types/types/sns/subscription.js') as typeof import('cloudform-types/types/sns/subscription.js')
).default;
export const TargetGroup = (
  require('cloudform-types/types/elasticLoadBalancingV2/targetGroup.js') as typeof import('cloudform-types/types/elasticLoadBalancingV2/targetGroup.js')
).default;
export const TaskDefinition = (
  require('cloudform-types/types/ecs/taskDefinition.js') as typeof import('cloudform-types/types/ecs/taskDefinition.js')
).default;
export const Topic = (
  require('cloudform-types/types/sns/topic.js') as typeof import('cloudform-types/types/sns/topic.js')
).default;
export const TopicPolicy = (
  require('cloudform-types/types/sns/topicPolicy.js') as typeof import('cloudform-types/types/sns/topicPolicy.js')
).default;
export const Vpc = (require('cloudform-types/types/ec2/vpc.js') as typeof import('cloudform-types/types/ec2/vpc.js'))
  .default;
export const VpcEndpoint = (
  require('cloudform-types/types/ec2/vpcEndpoint.js') as typeof import('cloudform-types/types/ec2/vpcEndpoint.js')
).default;
export const VpcGatewayAttachment = (
  require('cloudform-types/types/ec2/vpcGatewayAttachment.js') as typeof import('cloudform-types/types/ec2/vpcGatewayAttachment.js')
).default;
export const Webhook = (
  require('cloudform-types/types/codePipeline/webhook.js') as typeof import('cloudform-types/types/codePipeline/webhook.js')
).default;
/** cloudform's intrinsic-function class, which its resource classes serialise with toJSON(). */
export const IntrinsicFunction = (
  require('cloudform-types/types/dataTypes.js') as typeof import('cloudform-types/types/dataTypes.js')
).IntrinsicFunction;
/** DeletionPolicy values, as cloudform's resource methods take them. */
export const DeletionPolicy = (
  require('cloudform-types/types/resource.js') as typeof import('cloudform-types/types/resource.js')
).DeletionPolicy;
/** cloudform's resource base class, for the typed extensions of newer resource types. */
export const ResourceBase = (
  require('cloudform-types/types/resource.js') as typeof import('cloudform-types/types/resource.js')
).ResourceBase;
