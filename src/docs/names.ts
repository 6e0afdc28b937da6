// Physical names and ARN shapes by resource type, so docs can say what a logical ID is called in
// the account. A type missing here still works: it falls back to a `…Name` property, then `<Id.Attr>`.
import { isJsonObject } from '../render/yaml.js';
import type { Json, JsonObject } from '../render/yaml.js';

/** The property that holds a resource's physical name, by type. */
export const NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CodeBuild::Project': 'Name',
  'AWS::CodeDeploy::Application': 'ApplicationName',
  'AWS::CodeDeploy::DeploymentGroup': 'DeploymentGroupName',
  'AWS::CodePipeline::Pipeline': 'Name',
  'AWS::CodePipeline::Webhook': 'Name',
  'AWS::CodeStarNotifications::NotificationRule': 'Name',
  'AWS::EC2::SecurityGroup': 'GroupName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECS::Service': 'ServiceName',
  'AWS::ECS::TaskDefinition': 'Family',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::ServiceCatalog::CloudFormationProduct': 'Name',
  'AWS::ServiceCatalog::Portfolio': 'DisplayName',
  'AWS::SNS::Topic': 'TopicName',
};

type ArnForm = (name: string) => string;
const REGIONAL =
  (service: string, rest: string): ArnForm =>
  (n) =>
    `arn:aws:${service}:<region>:<account>:${rest.replace('{}', n)}`;
const SAME: ArnForm = (n) => n;

/** What `!Ref` ('Ref') and `!GetAtt` (attribute name) return, by type, given the physical name. */
export const ARN_FORMS: Readonly<Record<string, Readonly<Record<string, ArnForm>>>> = {
  'AWS::CloudWatch::Alarm': { Ref: SAME, Arn: REGIONAL('cloudwatch', 'alarm:{}') },
  'AWS::CodeBuild::Project': { Ref: SAME, Arn: REGIONAL('codebuild', 'project/{}') },
  'AWS::CodeDeploy::Application': { Ref: SAME },
  'AWS::CodeDeploy::DeploymentGroup': { Ref: SAME },
  'AWS::CodePipeline::Pipeline': { Ref: SAME },
  'AWS::ECR::Repository': {
    Ref: SAME,
    Arn: REGIONAL('ecr', 'repository/{}'),
    RepositoryUri: (n) => `<account>.dkr.ecr.<region>.amazonaws.com/${n}`,
  },
  'AWS::ECS::Cluster': { Ref: SAME, Arn: REGIONAL('ecs', 'cluster/{}') },
  'AWS::ECS::TaskDefinition': { Ref: REGIONAL('ecs', 'task-definition/{}:<revision>') },
  'AWS::Events::Rule': { Ref: SAME, Arn: REGIONAL('events', 'rule/{}') },
  'AWS::IAM::ManagedPolicy': {
    Ref: (n) => `arn:aws:iam::<account>:policy/${n}`,
    PolicyArn: (n) => `arn:aws:iam::<account>:policy/${n}`,
  },
  'AWS::IAM::Role': { Ref: SAME, Arn: (n) => `arn:aws:iam::<account>:role/${n}` },
  'AWS::KMS::Alias': { Ref: SAME },
  'AWS::Logs::LogGroup': { Ref: SAME, Arn: REGIONAL('logs', 'log-group:{}:*') },
  'AWS::S3::Bucket': { Ref: SAME, Arn: (n) => `arn:aws:s3:::${n}` },
  // Secrets Manager appends a random six-character suffix to the name.
  'AWS::SecretsManager::Secret': { Ref: REGIONAL('secretsmanager', 'secret:{}-??????') },
  'AWS::SNS::Topic': { Ref: REGIONAL('sns', '{}'), TopicArn: REGIONAL('sns', '{}'), TopicName: SAME },
};

const isNameValue = (v: Json | undefined): boolean =>
  typeof v === 'string' || (isJsonObject(v) && Object.keys(v).length === 1 && 'Fn::Sub' in v);

/** The property value that names `resource`: the table above, a `…Name` property, or a `Name` tag. */
export function nameValue(resource: JsonObject): Json | undefined {
  const properties = isJsonObject(resource['Properties']) ? resource['Properties'] : {};
  const known = NAME_PROPERTIES[String(resource['Type'])];
  if (known !== undefined) return properties[known];
  const byKey = Object.keys(properties).find((k) => k.endsWith('Name') && isNameValue(properties[k]));
  if (byKey !== undefined) return properties[byKey];
  const tags = properties['Tags'];
  const tag = Array.isArray(tags) ? tags.find((t) => isJsonObject(t) && t['Key'] === 'Name') : undefined;
  return isJsonObject(tag) && isNameValue(tag['Value']) ? tag['Value'] : undefined;
}
