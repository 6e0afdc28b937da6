// Deploying to a local moto server (`cfn-cicd deploy --emulator`): the template rewritten around the
// few things the pinned moto (5.2.5) fails on outright, throwaway credentials, and a local endpoint
// only, so a rewritten template can never reach a real account. Each rewrite keeps what the
// resource means; the comment on motoCompatible quotes the failure it answers.
import { connect } from 'node:net';
import { InputError, ToolError } from '../errors.js';
import type { Json, JsonObject } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import { TemplateModel } from '../model/template.js';
import { conditionHolds } from './update-checks.js';
import type { AwsConnection } from '../tools/aws.js';
import { aws } from '../tools/aws.js';
import { firstLine } from '../tools/run.js';

/**
 * Resource types moto 5.2.5's CloudFormation creates for real (moto.cloudformation.parsing's
 * get_model_map()); it skips the others, leaving no physical resource. A test holds this list to
 * the pinned moto.
 */
export const MOTO_MODELED_TYPES: ReadonlySet<string> = new Set([
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::RestApi',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::AutoScaling::ScheduledAction',
  'AWS::Batch::ComputeEnvironment',
  'AWS::Batch::JobDefinition',
  'AWS::Batch::JobQueue',
  'AWS::CloudFormation::Stack',
  'AWS::CloudWatch::Dashboard',
  'AWS::DataPipeline::Pipeline',
  'AWS::DynamoDB::Table',
  'AWS::EC2::EIP',
  'AWS::EC2::FlowLog',
  'AWS::EC2::Instance',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::LaunchTemplate',
  'AWS::EC2::NatGateway',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::Route',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SpotFleet',
  'AWS::EC2::Subnet',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::VPC',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::VPCPeeringConnection',
  'AWS::EC2::VPNGateway',
  'AWS::EC2::Volume',
  'AWS::EC2::VolumeAttachment',
  'AWS::ECR::Repository',
  'AWS::ECS::Cluster',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::EFS::AccessPoint',
  'AWS::EFS::FileSystem',
  'AWS::EFS::MountTarget',
  'AWS::EMR::Cluster',
  'AWS::EMR::InstanceGroupConfig',
  'AWS::EMR::SecurityConfiguration',
  'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::Events::Archive',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::IAM::AccessKey',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IoT::BillingGroup',
  'AWS::IoT::JobTemplate',
  'AWS::IoT::Policy',
  'AWS::IoT::RoleAlias',
  'AWS::IoT::Thing',
  'AWS::IoT::ThingType',
  'AWS::KMS::Alias',
  'AWS::KMS::Key',
  'AWS::Kinesis::Stream',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Lambda::LayerVersion',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
  'AWS::Logs::LogGroup',
  'AWS::Logs::ResourcePolicy',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBParameterGroup',
  'AWS::RDS::DBSecurityGroup',
  'AWS::RDS::DBSubnetGroup',
  'AWS::Redshift::Cluster',
  'AWS::Redshift::ClusterParameterGroup',
  'AWS::Redshift::ClusterSubnetGroup',
  'AWS::Route53::HealthCheck',
  'AWS::Route53::HostedZone',
  'AWS::Route53::RecordSet',
  'AWS::Route53::RecordSetGroup',
  'AWS::S3::Bucket',
  'AWS::SERVICE::RESOURCE',
  'AWS::SNS::Topic',
  'AWS::SQS::Queue',
  'AWS::SSM::Document',
  'AWS::SSM::Parameter',
  'AWS::SageMaker::Endpoint',
  'AWS::SageMaker::EndpointConfig',
  'AWS::SageMaker::Model',
  'AWS::SageMaker::NotebookInstance',
  'AWS::SageMaker::NotebookInstanceLifecycleConfig',
  'AWS::StepFunctions::StateMachine',
]);

/** Region of the emulator when none is given: moto's default. */
export const EMULATOR_REGION = 'us-east-1';

/** Bucket the template is uploaded through when it is over the inline limit and no --s3-bucket is given. */
export const EMULATOR_BUCKET = 'cfn-cicd-emulator-uploads';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The connection for an emulator: the endpoint must be on this machine, and is addressed as
 * `localhost` because moto fetches an uploaded template only from a localhost URL.
 */
export function emulatorConnection(connection: AwsConnection): AwsConnection {
  const url = connection.endpointUrl === undefined ? undefined : new URL(connection.endpointUrl);
  if (url === undefined || !LOCAL_HOSTS.has(url.hostname) || url.port === '') {
    throw new InputError(
      '--emulator needs --endpoint-url on this machine, with its port: http://localhost:5001 where moto_server listens',
    );
  }
  if (connection.profile !== undefined) {
    throw new InputError('--emulator takes no --profile: the emulator gets throwaway credentials, never yours');
  }
  url.hostname = 'localhost';
  return { region: connection.region ?? EMULATOR_REGION, endpointUrl: url.origin, emulator: true };
}

const toNumber = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** Fn::Cidr on a literal block, as CloudFormation computes it: `count` consecutive blocks of 2^bits addresses. */
export function cidrBlocks(block: string, count: number, bits: number): string[] {
  const base = toNumber(block.split('/')[0] as string);
  return Array.from({ length: count }, (_, i) => `${toIp(base + i * 2 ** bits)}/${32 - bits}`);
}

/**
 * The template as moto can take it. Each rewrite answers one way moto fails on our template:
 * 1. AWS::KMS::Key Tags are dropped: moto's KMS model passes CloudFormation's Key/Value tags to
 *    create_key, which wants TagKey/TagValue → `KeyError: 'TagKey'` (HTTP 500 on ExecuteChangeSet).
 * 2. Fn::GetAtt on a type moto skips becomes a placeholder ARN: moto raises "Template error:
 *    instance of Fn::GetAtt references undefined resource BuildProject" (PipelineRole's policy).
 * 3. Fn::Cidr on a literal block is computed here: moto does not implement Fn::Cidr, so
 *    `!Select [0, !Cidr …]` fails with `KeyError: 0` (HTTP 500).
 * 4. A Number parameter used as a Fn::FindInMap key is passed through Fn::Sub: moto resolves Number
 *    parameters to int and looks the int up among the mapping's string keys → `KeyError: 0`.
 * 5. `${X.Attr}` inside a Fn::Sub (the dashboard's body) is rewritten as in 2 when moto skips X's type;
 *    a target group's `TargetGroupFullName` becomes a Sub variable computed from its ARN (the ARN's
 *    resource part, which is what the attribute is): moto's target group has no attributes at all →
 *    `AttributeError: 'FakeTargetGroup' object has no attribute 'get_cfn_attribute'` (HTTP 500).
 * 6. A resource whose condition does not hold for `values` is left out, as CloudFormation leaves it
 *    out: on a stack update moto updates such a resource though it never created it → `AttributeError:
 *    'NoneType' object has no attribute 'arn'` (the HTTPS listeners without a certificate; HTTP 500 on
 *    ExecuteChangeSet). A condition these checks cannot evaluate keeps its resource.
 */
export function motoCompatible(
  template: JsonObject,
  values: Readonly<Record<string, string>> = {},
  modeled: ReadonlySet<string> = MOTO_MODELED_TYPES,
): JsonObject {
  const resources = template['Resources'] as Record<string, JsonObject>;
  const parameters = (template['Parameters'] ?? {}) as Record<string, JsonObject>;
  const typeOf = (id: Json | undefined): string | undefined =>
    typeof id === 'string' ? (resources[id]?.['Type'] as string | undefined) : undefined;

  const unmodeled = (id: string, attribute: string): string =>
    `arn:\${AWS::Partition}:moto-unmodeled:\${AWS::Region}:\${AWS::AccountId}:${id}/${attribute}`;
  /** Fn::Sub text and variables with each `${X.Attr}` moto cannot resolve rewritten (5). */
  const rewriteSub = (text: string, vars: JsonObject): Json | undefined => {
    const added: JsonObject = {};
    const replaced = text.replace(/\$\{([A-Za-z0-9]+)\.([A-Za-z0-9]+)\}/g, (whole, id: string, attribute: string) => {
      const type = typeOf(id);
      if (type === undefined) return whole;
      if (!modeled.has(type)) return unmodeled(id, attribute);
      if (type !== 'AWS::ElasticLoadBalancingV2::TargetGroup' || attribute !== 'TargetGroupFullName') return whole;
      added[`${id}${attribute}`] = { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: id }] }] };
      return `\${${id}${attribute}}`;
    });
    if (replaced === text) return undefined;
    const all = { ...(rewrite(vars) as JsonObject), ...added };
    return { 'Fn::Sub': Object.keys(all).length > 0 ? [replaced, all] : replaced };
  };

  const rewrite = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isJsonObject(node)) return node;
    const subValue = node['Fn::Sub'];
    const subbed =
      typeof subValue === 'string'
        ? rewriteSub(subValue, {})
        : Array.isArray(subValue) && typeof subValue[0] === 'string' && isJsonObject(subValue[1])
          ? rewriteSub(subValue[0], subValue[1])
          : undefined;
    if (subbed !== undefined) return subbed;
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) {
      const type = typeOf(getAtt[0]);
      if (type !== undefined && !modeled.has(type)) {
        return { 'Fn::Sub': unmodeled(String(getAtt[0]), String(getAtt[1])) };
      }
    }
    const cidr = node['Fn::Cidr'];
    if (Array.isArray(cidr) && typeof cidr[0] === 'string') {
      return cidrBlocks(cidr[0], Number(cidr[1]), Number(cidr[2]));
    }
    const findInMap = node['Fn::FindInMap'];
    if (Array.isArray(findInMap)) {
      return {
        'Fn::FindInMap': findInMap.map((key) => {
          const name = isJsonObject(key) ? key['Ref'] : undefined;
          return typeof name === 'string' && parameters[name]?.['Type'] === 'Number'
            ? { 'Fn::Sub': `\${${name}}` }
            : rewrite(key);
        }),
      };
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, rewrite(value)]));
  };

  const compatible = JSON.parse(JSON.stringify(template)) as JsonObject;
  const copied = compatible['Resources'] as Record<string, JsonObject>;
  const model = new TemplateModel(template);
  for (const resource of Object.values(copied)) {
    if (resource['Type'] === 'AWS::KMS::Key' && isJsonObject(resource['Properties']))
      delete resource['Properties']['Tags'];
  }
  const kept = Object.entries(copied).filter(([, resource]) => {
    const condition = resource['Condition'];
    return typeof condition !== 'string' || conditionHolds(model, condition, values) !== false;
  });
  compatible['Resources'] = rewrite(Object.fromEntries(kept) as JsonObject);
  return compatible;
}

/** Creates the upload bucket on the emulator unless it is already there. */
export async function ensureBucket(bucket: string, connection: AwsConnection, signal: AbortSignal): Promise<void> {
  const region = connection.region ?? EMULATOR_REGION;
  // Outside us-east-1, S3 wants the bucket's region spelled out.
  const where = region === EMULATOR_REGION ? [] : ['--create-bucket-configuration', `LocationConstraint=${region}`];
  const result = await aws(['s3api', 'create-bucket', '--bucket', bucket, ...where], connection, { signal });
  if (result.exitCode !== 0 && !/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(result.stderr)) {
    throw new ToolError(`--s3-bucket ${bucket}: cannot create it on the emulator (${firstLine(result.stderr)})`);
  }
}

/** How long `--emulator` waits for an emulator that was just started to listen. */
export const EMULATOR_START_MS = 15_000;

/** Whether something accepts connections at the URL's host and port. */
function listening(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits up to `waitMs` for the emulator to listen, so `moto_server … &` followed at once by
 * `cfn-cicd deploy --emulator` works; then fails with one line saying how to start one.
 */
export async function waitForEmulator(endpointUrl: string, waitMs = EMULATOR_START_MS): Promise<void> {
  const url = new URL(endpointUrl);
  const deadline = Date.now() + waitMs;
  while (!(await listening(url))) {
    if (Date.now() >= deadline) {
      throw new ToolError(
        `no emulator listens at ${endpointUrl} (waited ${waitMs / 1000} s); start one: .venv/bin/moto_server -H 127.0.0.1 -p ${url.port}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
