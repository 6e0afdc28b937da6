// Private tasks (TaskSubnets Private): two private subnets with their own route table and no route
// to the internet gateway, and the VPC endpoints Fargate needs to start a task there without a NAT
// gateway (Amazon ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)"): ecr.api
// and ecr.dkr interface endpoints, the S3 gateway endpoint ECR serves image layers through, and the
// logs endpoint of the awslogs driver; secretsmanager and kms for what the application reads with
// its task role. Each endpoint's policy admits only this stack's resources: an endpoint policy grants
// nothing, it only narrows what IAM already allows through that endpoint.
import {
  RouteTable,
  SecurityGroup,
  SecurityGroupIngress,
  Subnet,
  SubnetRouteTableAssociation,
  VpcEndpoint,
} from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { ECR_PULL_FOR_TASKS, KMS_ENCRYPT_DECRYPT, LOGS_WRITE } from '../iam/actions.js';
import type { Statement } from '../iam/policy.js';
import { allow, allowAnyResource, policyDocument } from '../iam/policy.js';
import type { Value } from '../intrinsics.js';
import { arn, cidr, getAZs, getAtt, ref, select, sub } from '../intrinsics.js';
import { Conditions, Ids, physicalName, physicalNameText } from '../naming.js';
import { VPC_CIDR } from '../parameters/engines.js';
import type { KeyRef } from './encryption.js';
import { NO_TRAFFIC } from './network.js';

/** Secrets Manager actions the application may call through the endpoint, on this stack's secrets. */
export const SECRETS_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] as const;

/** Where the application keeps its secrets, which the secretsmanager endpoint admits: `cicd-app-<suffix>/<name>`. */
export const APPLICATION_SECRETS = `${physicalNameText('app')}/`;

/** The ECR layer bucket of the stack's Region: ECR serves image layers from it (ECR User Guide, "Minimum Amazon S3 bucket permissions for Amazon ECR"). */
export const ECR_LAYER_BUCKET_OBJECTS = 'arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*';

/** The interface endpoints, by the service name after `com.amazonaws.<region>.`. */
export const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'kms'] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

export interface PrivateTaskNetworkProps {
  /** The VPC the stack creates. */
  readonly vpc: Part;
  /** The tasks' security group: the only source the endpoints admit. */
  readonly serviceSecurityGroup: Part;
  /** The stack key: the one key the kms endpoint admits. */
  readonly key: KeyRef;
  /** The repository the tasks pull from: the one repository the ECR endpoints admit. */
  readonly repositoryArn: Value<string>;
}

export interface PrivateTaskNetwork {
  /** The private subnets, one per Availability Zone. */
  readonly subnets: readonly Part[];
  readonly endpointSecurityGroup: Part;
  /** Every resource, each under TasksInPrivateSubnets, in template order. */
  readonly parts: readonly Part[];
}

/** Third and fourth /24 of the VPC: the public subnets hold the first two. */
function privateSubnet(id: string, index: number): Part {
  return part(
    id,
    new Subnet({
      VpcId: ref(Ids.Vpc),
      AvailabilityZone: select(index, getAZs()),
      CidrBlock: select(index + 2, cidr(VPC_CIDR, 4, 8)),
      MapPublicIpOnLaunch: false,
    }).condition(Conditions.TasksInPrivateSubnets),
  );
}

/** An endpoint policy statement: anyone of this account, these actions, these resources. */
function ownAccount({ Sid, Effect, Action, Resource }: Statement): Statement {
  return {
    Sid,
    Effect,
    Principal: '*',
    Action,
    Resource,
    Condition: { StringEquals: { 'aws:PrincipalAccount': sub('${AWS::AccountId}') } },
  };
}

/** What each interface endpoint admits: only this stack's repository, log group, key and secrets. */
function interfacePolicy(service: InterfaceEndpointService, props: PrivateTaskNetworkProps): Statement[] {
  switch (service) {
    case 'ecr.api':
    case 'ecr.dkr':
      return [
        ownAccount(allow('PullThisRepository', ECR_PULL_FOR_TASKS, [props.repositoryArn])),
        // ecr:GetAuthorizationToken takes no resource ARN.
        ownAccount(allowAnyResource('RegistryLogin', ['ecr:GetAuthorizationToken'])),
      ];
    case 'logs':
      return [ownAccount(allow('WriteServiceLogs', LOGS_WRITE, [sub(`\${${Ids.ServiceLogGroup}.Arn}`)]))];
    case 'secretsmanager':
      // The application's secrets, under its task family's name: a pattern ending in the suffix would match other stacks too.
      return [
        ownAccount(
          allow('ReadTheApplicationsSecrets', SECRETS_READ, [arn('secretsmanager', `secret:${APPLICATION_SECRETS}*`)]),
        ),
      ];
    case 'kms':
      return [ownAccount(allow('UseTheStackKey', KMS_ENCRYPT_DECRYPT, [getAtt(props.key, 'Arn')]))];
  }
}

const ENDPOINT_IDS: Readonly<Record<InterfaceEndpointService, string>> = {
  'ecr.api': Ids.EcrApiEndpoint,
  'ecr.dkr': Ids.EcrDockerEndpoint,
  logs: Ids.LogsEndpoint,
  secretsmanager: Ids.SecretsManagerEndpoint,
  kms: Ids.KmsEndpoint,
};

export function privateTaskNetwork(props: PrivateTaskNetworkProps): PrivateTaskNetwork {
  const routeTable = part(
    Ids.PrivateRouteTable,
    new RouteTable({ VpcId: ref(props.vpc) }).condition(Conditions.TasksInPrivateSubnets),
  );
  const subnets = [privateSubnet(Ids.PrivateSubnetA, 0), privateSubnet(Ids.PrivateSubnetB, 1)];
  const associations = (
    [
      [Ids.PrivateSubnetARouteTableAssociation, subnets[0]],
      [Ids.PrivateSubnetBRouteTableAssociation, subnets[1]],
    ] as const
  ).map(([id, subnet]) =>
    part(
      id,
      new SubnetRouteTableAssociation({ SubnetId: ref(subnet as Part), RouteTableId: ref(routeTable) }).condition(
        Conditions.TasksInPrivateSubnets,
      ),
    ),
  );
  const endpointSecurityGroup = part(
    Ids.EndpointSecurityGroup,
    new SecurityGroup({
      GroupName: physicalName('endpoints-sg'),
      GroupDescription: 'VPC endpoints: HTTPS from the service tasks only',
      VpcId: ref(props.vpc),
      // As the load balancer's: a rule that matches no packet replaces EC2's default allow-all egress.
      SecurityGroupEgress: [NO_TRAFFIC],
    }).condition(Conditions.TasksInPrivateSubnets),
  );
  // A rule of its own: the service group's egress names this group, so inline rules would be a cycle.
  const fromService = part(
    Ids.EndpointFromServiceIngress,
    new SecurityGroupIngress({
      GroupId: ref(endpointSecurityGroup),
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: ref(props.serviceSecurityGroup),
      Description: 'HTTPS from the service tasks',
    }).condition(Conditions.TasksInPrivateSubnets),
  );
  const interfaceEndpoints = INTERFACE_ENDPOINT_SERVICES.map((service) =>
    part(
      ENDPOINT_IDS[service],
      new VpcEndpoint({
        VpcId: ref(props.vpc),
        ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SubnetIds: subnets.map((s) => ref(s)),
        SecurityGroupIds: [ref(endpointSecurityGroup)],
        PolicyDocument: policyDocument(interfacePolicy(service, props)),
      }).condition(Conditions.TasksInPrivateSubnets),
    ),
  );
  const s3 = part(
    Ids.S3GatewayEndpoint,
    new VpcEndpoint({
      VpcId: ref(props.vpc),
      ServiceName: sub('com.amazonaws.${AWS::Region}.s3'),
      VpcEndpointType: 'Gateway',
      RouteTableIds: [ref(routeTable)],
      // ECR hands the layer download to S3; the ECR User Guide's minimum policy names the bucket for anyone.
      PolicyDocument: policyDocument([
        {
          Sid: 'EcrImageLayers',
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject'],
          Resource: [sub(ECR_LAYER_BUCKET_OBJECTS)],
        },
      ]),
    }).condition(Conditions.TasksInPrivateSubnets),
  );
  return {
    subnets,
    endpointSecurityGroup,
    parts: [routeTable, ...subnets, ...associations, endpointSecurityGroup, fromService, ...interfaceEndpoints, s3],
  };
}
