// Resolves a template's intrinsic functions to example values, as CloudFormation would in one
// example account, so tools that read plain IAM JSON (parliament) see realistic ARNs.
import { isJsonObject } from '../../src/model/json.js';
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../../src/model/json.js';
import type { CfnTemplate } from '../helpers.js';

const PARTITION = 'aws';
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STACK = 'cicd-pipeline-dev';

export const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Partition': PARTITION,
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': STACK,
  'AWS::StackId': `arn:${PARTITION}:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/6a2c7e30-0000-11ef-9f1c-0a1b2c3d4e5f`,
};

/** Example values for parameters that have no Default, or whose Default (often '') is not representative. */
export const EXAMPLE_PARAMETERS: Readonly<Record<string, string>> = {
  EnvironmentSuffix: 'dev',
  GitHubTokenSecretArn: `arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:cicd/github-token-AbCdEf`,
  GitHubOwner: 'example-org',
  GitHubRepo: 'example-app',
  NotificationEmail: 'team@example.com',
  SlackWorkspaceId: 'T0123ABCD',
  SlackChannelId: 'C0123ABCD',
  TeamsTenantId: '01234567-89ab-cdef-0123-456789abcdef',
  TeamsTeamId: 'fedcba98-7654-3210-fedc-ba9876543210',
  TeamsChannelId: '19%3aabc%40thread.tacv2',
  CodeConnectionArn: `arn:${PARTITION}:codeconnections:${REGION}:${ACCOUNT}:connection/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`,
  PipelineTemplateUrl: `https://cicd-templates-${ACCOUNT}.s3.${REGION}.amazonaws.com/cicd-pipeline.yaml`,
  ProvisioningArtifactName: 'v1.0.0',
  PrincipalArn: `arn:${PARTITION}:iam::${ACCOUNT}:role/platform-team`,
  SmokeTestPath: '/ready',
  // The pipeline an environment stack takes its images from.
  PipelineSuffix: 'dev',
  // A target account's bootstrap, and the StackSets that deploy it (service-managed).
  EnvironmentName: 'prod',
  Regions: 'us-east-1,eu-west-1',
  OrganizationalUnitIds: 'ou-ab12-cdef3456',
  // Source trigger filters (empty by default): one glob list each, as a team would set them.
  TriggerFilePaths: 'src/**,Dockerfile',
  IgnoredFilePaths: 'docs/**,**/*.md',
  ReleaseTags: 'v*',
  // HTTPS: the listener ARNs policies name are the HTTPS ones (the HTTP ones differ only by logical ID).
  CertificateArn: `arn:${PARTITION}:acm:${REGION}:${ACCOUNT}:certificate/01234567-89ab-cdef-0123-456789abcdef`,
  DomainName: 'app.example.com',
  HostedZoneId: 'Z0123456789ABCDEFGHIJ',
  // The team's own VPC (templates/own-vpc/).
  VpcId: 'vpc-0123456789abcdef0',
  PublicSubnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
  PrivateSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb',
  // Empty: the default, in which the stack creates the signing profile and the registry's signing configuration.
  ImageSigningProfileArn: '',
  // The regional artifact stores' keys of configs/accounts.json (the KeyArn output of each regional stack).
  ArtifactKeyUsWest2: `arn:${PARTITION}:kms:us-west-2:${ACCOUNT}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`,
  ArtifactKeyEuWest1: `arn:${PARTITION}:kms:eu-west-1:${ACCOUNT}:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`,
};

/** Resource types whose `Ref` is the ARN or a service-generated ID rather than the name. */
const REF_RETURNS: Readonly<Record<string, 'arn' | 'id'>> = {
  'AWS::CodeBuild::ReportGroup': 'arn',
  'AWS::EC2::InternetGateway': 'id',
  'AWS::EC2::RouteTable': 'id',
  'AWS::EC2::SecurityGroup': 'id',
  'AWS::EC2::Subnet': 'id',
  'AWS::EC2::VPC': 'id',
  'AWS::ECS::Service': 'arn',
  'AWS::ECS::TaskDefinition': 'arn',
  'AWS::ElasticLoadBalancingV2::Listener': 'arn',
  'AWS::ElasticLoadBalancingV2::ListenerRule': 'arn',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'arn',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'arn',
  'AWS::IAM::ManagedPolicy': 'arn',
  'AWS::KMS::Key': 'id',
  'AWS::SecretsManager::Secret': 'arn',
  'AWS::ServiceCatalog::CloudFormationProduct': 'id',
  'AWS::ServiceCatalog::Portfolio': 'id',
  'AWS::Signer::SigningProfile': 'arn',
  'AWS::SNS::Subscription': 'arn',
  'AWS::SNS::Topic': 'arn',
};

/** The property that holds a resource's physical name, by type; `Name` for the rest. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CodeDeploy::Application': 'ApplicationName',
  'AWS::CodeDeploy::DeploymentGroup': 'DeploymentGroupName',
  'AWS::EC2::SecurityGroup': 'GroupName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECS::Service': 'ServiceName',
  'AWS::ECS::TaskDefinition': 'Family',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SNS::Topic': 'TopicName',
};

const ID_PREFIXES: Readonly<Record<string, string>> = {
  'AWS::EC2::InternetGateway': 'igw-',
  'AWS::EC2::RouteTable': 'rtb-',
  'AWS::EC2::SecurityGroup': 'sg-',
  'AWS::EC2::Subnet': 'subnet-',
  'AWS::EC2::VPC': 'vpc-',
  'AWS::ServiceCatalog::CloudFormationProduct': 'prod-',
  'AWS::ServiceCatalog::Portfolio': 'port-',
};

/** A stable hex string per logical ID, so two resources of one type get different IDs. */
const hex = (id: string, length: number): string => createHash('sha256').update(id).digest('hex').slice(0, length);

const NO_VALUE = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

/** Resolves intrinsics in one template's values. */
export class Resolver {
  constructor(private readonly template: CfnTemplate) {}

  /** `node` with every intrinsic function replaced by its example value; AWS::NoValue removes the item. */
  resolve(node: Json): Json {
    const value = this.value(node);
    return value === NO_VALUE ? null : value;
  }

  /** The example value of a parameter: the example table first, then its Default. */
  parameter(name: string): string {
    const example = EXAMPLE_PARAMETERS[name];
    if (example !== undefined) return example;
    const definition = (this.template['Parameters'] as Record<string, { Default?: Json }> | undefined)?.[name];
    if (definition?.Default !== undefined && definition.Default !== '') return String(definition.Default);
    throw new Error(`no example value for parameter ${name}: add one to EXAMPLE_PARAMETERS`);
  }

  /** What `!Ref name` returns: a pseudo parameter, a parameter, or the resource's name, ID or ARN. */
  ref(name: string): Resolved {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const pseudo = PSEUDO_PARAMETERS[name];
    if (pseudo !== undefined) return pseudo;
    if ((this.template['Parameters'] as JsonObject | undefined)?.[name] !== undefined) return this.parameter(name);
    const type = this.typeOf(name);
    const returns = REF_RETURNS[type];
    return returns === 'arn' ? this.arn(name) : returns === 'id' ? this.id(name) : this.physicalName(name);
  }

  /** What `!GetAtt id.attribute` returns. */
  getAtt(id: string, attribute: string): string {
    const type = this.typeOf(id);
    const name = this.physicalName(id);
    switch (`${type}.${attribute}`) {
      case 'AWS::ECR::Repository.RepositoryUri':
        return `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
        return `${name}-1234567890.${REGION}.elb.amazonaws.com`;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerFullName':
        return `app/${name}/${hex(id, 16)}`;
      case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupFullName':
        return `targetgroup/${name}/${hex(id, 16)}`;
      case 'AWS::IAM::Role.RoleId':
        return 'AROA3XFRBF23EXAMPLE1';
      default:
        if (attribute === 'Arn' || attribute.endsWith('Arn')) return this.arn(id);
        if (attribute.endsWith('Id')) return this.id(id);
        if (attribute.endsWith('Name')) return name;
        return `${name}-${attribute.toLowerCase()}`;
    }
  }

  private typeOf(id: string): string {
    const resource = this.template.Resources[id];
    if (resource === undefined) throw new Error(`reference to ${id}, which the template does not declare`);
    return resource.Type;
  }

  private property(id: string, name: string): Json | undefined {
    const value = (this.template.Resources[id]?.Properties as JsonObject | undefined)?.[name];
    return value === undefined ? undefined : this.resolve(value);
  }

  /** The resource's name: its name property resolved, else one CloudFormation would generate. */
  physicalName(id: string): string {
    const value = this.property(id, NAME_PROPERTY[this.typeOf(id)] ?? 'Name');
    if (typeof value === 'string') return value;
    return `${STACK}-${id}-1A2B3C4D5E6F`;
  }

  private id(id: string): string {
    const type = this.typeOf(id);
    if (type === 'AWS::KMS::Key') return '1234abcd-12ab-34cd-56ef-1234567890ab';
    return `${ID_PREFIXES[type] ?? ''}${hex(id, 17)}`;
  }

  /** A plausible ARN for the resource, in its service's documented format. */
  arn(id: string): string {
    const type = this.typeOf(id);
    const name = this.physicalName(id);
    const at = (service: string, resource: string, region = REGION, account = ACCOUNT) =>
      `arn:${PARTITION}:${service}:${region}:${account}:${resource}`;
    switch (type) {
      case 'AWS::S3::Bucket':
        return at('s3', name, '', '');
      case 'AWS::IAM::Role':
        return at('iam', `role/${name}`, '');
      case 'AWS::IAM::ManagedPolicy':
        return at('iam', `policy/${name}`, '');
      case 'AWS::KMS::Key':
        return at('kms', `key/${this.id(id)}`);
      case 'AWS::KMS::Alias':
        return at('kms', name);
      case 'AWS::SNS::Topic':
        return at('sns', name);
      case 'AWS::SNS::Subscription':
        return `${String(this.property(id, 'TopicArn'))}:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
      case 'AWS::ECR::Repository':
        return at('ecr', `repository/${name}`);
      case 'AWS::Logs::LogGroup':
        // GetAtt Arn of a log group carries the `:*` suffix.
        return at('logs', `log-group:${name}:*`);
      case 'AWS::CodeBuild::Project':
        return at('codebuild', `project/${name}`);
      case 'AWS::CodeBuild::ReportGroup':
        return at('codebuild', `report-group/${name}`);
      case 'AWS::CodePipeline::Pipeline':
        return at('codepipeline', name);
      case 'AWS::CodePipeline::Webhook':
        return at('codepipeline', `webhook:${name}`);
      case 'AWS::SecretsManager::Secret':
        return at('secretsmanager', `secret:${name}-AbCdEf`);
      case 'AWS::ECS::Cluster':
        return at('ecs', `cluster/${name}`);
      case 'AWS::ECS::TaskDefinition':
        return at('ecs', `task-definition/${name}:1`);
      case 'AWS::ECS::Service': {
        const cluster = this.property(id, 'Cluster');
        return at('ecs', `service/${typeof cluster === 'string' ? cluster.split('/').pop() : 'default'}/${name}`);
      }
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        return at('elasticloadbalancing', `loadbalancer/app/${name}/${hex(id, 16)}`);
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
        return at('elasticloadbalancing', `targetgroup/${name}/${hex(id, 16)}`);
      case 'AWS::ElasticLoadBalancingV2::Listener':
        return `${String(this.property(id, 'LoadBalancerArn')).replace(':loadbalancer/', ':listener/')}/${hex(id, 16)}`;
      case 'AWS::ElasticLoadBalancingV2::ListenerRule':
        return `${String(this.property(id, 'ListenerArn')).replace(':listener/', ':listener-rule/')}/${hex(id, 16)}`;
      case 'AWS::Lambda::Function':
        return at('lambda', `function:${name}`);
      case 'AWS::Events::Rule':
        return at('events', `rule/${name}`);
      case 'AWS::CodeDeploy::Application':
        return at('codedeploy', `application:${name}`);
      case 'AWS::CodeDeploy::DeploymentGroup':
        return at('codedeploy', `deploymentgroup:${String(this.property(id, 'ApplicationName'))}/${name}`);
      case 'AWS::CloudWatch::Alarm':
        return at('cloudwatch', `alarm:${name}`);
      case 'AWS::EC2::VPC':
        return at('ec2', `vpc/${this.id(id)}`);
      case 'AWS::EC2::Subnet':
        return at('ec2', `subnet/${this.id(id)}`);
      case 'AWS::EC2::SecurityGroup':
        return at('ec2', `security-group/${this.id(id)}`);
      case 'AWS::ServiceCatalog::Portfolio':
        return at('catalog', `portfolio/${this.id(id)}`);
      case 'AWS::ServiceCatalog::CloudFormationProduct':
        return at('catalog', `product/${this.id(id)}`);
      case 'AWS::Signer::SigningProfile':
        // A generated name: Signer allows letters, digits and underscores only.
        return at('signer', `/signing-profiles/${id}_1A2B3C4D5E6F`);
      default: {
        // AWS::Service::Thing → arn:aws:service:region:account:thing/name, the common shape.
        const [, service = 'unknown', thing = 'resource'] = type.split('::');
        return at(service.toLowerCase(), `${thing.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}/${name}`);
      }
    }
  }

  /** `!Sub` text with each `${X}` / `${X.Attr}` replaced; `${!X}` is the literal `${X}`. */
  private sub(text: string, vars: JsonObject): string {
    return text.replace(/\$\{([^}]+)\}/g, (_, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      if (inner in vars) return String(this.resolve(vars[inner] as Json));
      const dot = inner.indexOf('.');
      if (dot > 0 && !inner.startsWith('AWS::')) return this.getAtt(inner.slice(0, dot), inner.slice(dot + 1));
      const value = this.ref(inner);
      if (value === NO_VALUE) throw new Error(`\${${inner}} in a Sub`);
      return String(value);
    });
  }

  /** Evaluates a condition expression (or a named condition) with the example parameter values. */
  condition(node: Json): boolean {
    if (isJsonObject(node)) {
      const [fn, arg] = Object.entries(node)[0] ?? ['', null];
      const args = Array.isArray(arg) ? arg : [arg];
      switch (fn) {
        case 'Condition': {
          const named = (this.template['Conditions'] as JsonObject | undefined)?.[String(arg)];
          if (named === undefined) throw new Error(`condition ${String(arg)} is not declared`);
          return this.condition(named);
        }
        case 'Fn::Equals':
          return JSON.stringify(this.resolve(args[0] as Json)) === JSON.stringify(this.resolve(args[1] as Json));
        case 'Fn::Not':
          return !this.condition(args[0] as Json);
        case 'Fn::And':
          return args.every((a) => this.condition(a));
        case 'Fn::Or':
          return args.some((a) => this.condition(a));
        default:
      }
    }
    if (typeof node === 'string') return this.condition({ Condition: node });
    throw new Error(`not a condition: ${JSON.stringify(node)}`);
  }

  private value(node: Json): Resolved {
    if (Array.isArray(node)) return node.map((n) => this.value(n)).filter((n): n is Json => n !== NO_VALUE);
    if (!isJsonObject(node)) return node;
    const keys = Object.keys(node);
    const fn = keys.length === 1 ? (keys[0] as string) : '';
    const arg = node[fn] as Json;
    const args = Array.isArray(arg) ? arg : [];
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, ...attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        return this.getAtt(id as string, attribute.join('.'));
      }
      case 'Fn::Sub':
        return typeof arg === 'string' ? this.sub(arg, {}) : this.sub(String(args[0]), (args[1] ?? {}) as JsonObject);
      case 'Fn::Join':
        return (this.resolve(args[1] as Json) as Json[]).map(String).join(String(args[0]));
      case 'Fn::Select':
        return (this.resolve(args[1] as Json) as Json[])[Number(this.resolve(args[0] as Json))] ?? null;
      case 'Fn::Split':
        return String(this.resolve(args[1] as Json)).split(String(args[0]));
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${REGION}${z}`);
      case 'Fn::Cidr':
        return Array.from({ length: Number(this.resolve(args[1] as Json)) }, (_, i) => `10.40.${i}.0/24`);
      case 'Fn::FindInMap': {
        const [map, top, second] = args.map((a) => String(this.resolve(a)));
        const found = (this.template['Mappings'] as Record<string, Record<string, JsonObject>> | undefined)?.[
          map as string
        ]?.[top as string]?.[second as string];
        if (found === undefined) throw new Error(`FindInMap ${map}/${top}/${second} has no value`);
        return this.value(found);
      }
      case 'Fn::If':
        return this.value((this.condition({ Condition: args[0] as Json }) ? args[1] : args[2]) as Json);
      case 'Fn::Base64':
        return Buffer.from(String(this.resolve(arg))).toString('base64');
      case 'Fn::ImportValue':
        return `imported-${String(this.resolve(arg))}`;
      default:
        return Object.fromEntries(
          Object.entries(node)
            .map(([k, v]) => [k, this.value(v)] as const)
            .filter((e): e is readonly [string, Json] => e[1] !== NO_VALUE),
        );
    }
  }
}
