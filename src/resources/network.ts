// The service's network: by default a small one the template creates, two public subnets in two
// zones and an internet gateway, where the tasks get public IPs (the cost choice; see README) or,
// with TaskSubnets Private, run in private subnets that reach AWS through VPC endpoints
// (endpoints.ts); with the build config's `network: "existing"`, the team's own VPC and subnets.
// Either way, security groups let clients reach only the load balancer and the load balancer reach
// only the containers. No NAT gateway.
import {
  InternetGateway,
  Listener,
  LoadBalancer,
  Route,
  RouteTable,
  SecurityGroup,
  SecurityGroupEgress,
  SecurityGroupIngress,
  Subnet,
  SubnetRouteTableAssociation,
  TargetGroup,
  Vpc,
  VpcGatewayAttachment,
} from '../cfn/resources.js';
import type { Action as ListenerActionType } from 'cloudform-types/types/elasticLoadBalancingV2/listener.js';
import type { LoadBalancerAttribute } from 'cloudform-types/types/elasticLoadBalancingV2/loadBalancer.js';
import type { ResourceTag } from 'cloudform-types/types/resource.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { skipCheckov } from '../cfn/extensions.js';
import type { NetworkChoice } from '../config.js';
import type { IntrinsicFunction, List, Value } from '../intrinsics.js';
import { cidr, getAtt, getAZs, ifCondition, ref, select, sub } from '../intrinsics.js';
import { Conditions, Ids, Params, physicalName } from '../naming.js';
import { VPC_CIDR } from '../parameters/engines.js';
import { accessLogs } from './access-logs.js';
import type { KeyRef } from './encryption.js';
import { privateTaskNetwork } from './endpoints.js';

/** A port clients may reach on the load balancer, and from where. */
export interface ClientPort {
  /** Parameter holding the port. */
  readonly port: string;
  /** Parameter holding the CIDR admitted. */
  readonly cidr: string;
  readonly description: string;
}

/** What the network admits to the load balancer, and what its endpoints admit. */
export interface NetworkProps {
  /** The listener ports and who may reach each. */
  readonly clientPorts: readonly ClientPort[];
  /** The network the template creates, or the team's own VPC. @default 'create' */
  readonly choice?: NetworkChoice;
  /** The stack key: the private tasks' kms endpoint admits it alone. */
  readonly key: KeyRef;
  /** The repository the tasks pull from: the private tasks' ECR endpoints admit it alone. */
  readonly repositoryArn: Value<string>;
}

/** A listener's default action, as cloudform types it. */
export type ListenerAction = ListenerActionType;

export interface Network {
  /** The VPC's ID: the created VPC's `!Ref`, or the VpcId parameter. */
  readonly vpcId: IntrinsicFunction;
  /** Where the internet-facing load balancer runs: the public subnets. */
  readonly loadBalancerSubnets: List<Value<string>>;
  /** Where the tasks run, and whether they get a public IPv4 address there. */
  readonly tasks: { readonly subnets: List<Value<string>>; readonly assignPublicIp: Value<string> };
  readonly loadBalancerSecurityGroup: Part;
  readonly serviceSecurityGroup: Part;
  readonly parts: readonly Part[];
}

/** HTTPS out to anywhere: ECR, CloudWatch Logs and the AWS APIs over the internet gateway (or the team's NAT). */
const HTTPS_ANYWHERE = {
  IpProtocol: 'tcp',
  FromPort: 443,
  ToPort: 443,
  CidrIp: '0.0.0.0/0',
  Description: 'HTTPS to ECR, CloudWatch Logs and AWS APIs (no NAT, no VPC endpoints)',
};

/** An egress rule that matches no packet (ICMP type 252, code 86 to 255.255.255.255/32). */
export const NO_TRAFFIC = {
  IpProtocol: 'icmp',
  FromPort: 252,
  ToPort: 86,
  CidrIp: '255.255.255.255/32',
  Description: 'no traffic: removes the default allow-all egress',
};

function publicSubnet(id: string, index: number): Part {
  return part(
    id,
    new Subnet({
      VpcId: ref(Ids.Vpc),
      AvailabilityZone: select(index, getAZs()),
      CidrBlock: select(index, cidr(VPC_CIDR, 2, 8)),
      // Tasks get their public IP from the service's AssignPublicIp; nothing else here should.
      MapPublicIpOnLaunch: false,
    }),
  );
}

/** The VPC, subnets, internet gateway and routes the template creates: the public side of the network. */
function createdNetwork() {
  const vpc = part(Ids.Vpc, new Vpc({ CidrBlock: VPC_CIDR, EnableDnsHostnames: true, EnableDnsSupport: true }));
  const igw = part(Ids.InternetGateway, new InternetGateway({}));
  const attachment = part(
    Ids.InternetGatewayAttachment,
    new VpcGatewayAttachment({ VpcId: ref(vpc), InternetGatewayId: ref(igw) }),
  );
  const routeTable = part(Ids.PublicRouteTable, new RouteTable({ VpcId: ref(vpc) }));
  const defaultRoute = part(
    Ids.PublicDefaultRoute,
    new Route({ RouteTableId: ref(routeTable), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref(igw) }).dependsOn(
      attachment.id,
    ),
  );
  const subnetA = publicSubnet(Ids.PublicSubnetA, 0);
  const subnetB = publicSubnet(Ids.PublicSubnetB, 1);
  const associations = (
    [
      [Ids.PublicSubnetARouteTableAssociation, subnetA],
      [Ids.PublicSubnetBRouteTableAssociation, subnetB],
    ] as const
  ).map(([id, subnet]) =>
    part(id, new SubnetRouteTableAssociation({ SubnetId: ref(subnet), RouteTableId: ref(routeTable) })),
  );
  return {
    vpc,
    subnets: [subnetA, subnetB],
    parts: [vpc, igw, attachment, routeTable, defaultRoute, subnetA, subnetB, ...associations],
  };
}

export function network(props: NetworkProps): Network {
  const created = props.choice === 'existing' ? undefined : createdNetwork();
  const vpcId = created === undefined ? ref(Params.VpcId) : ref(created.vpc);
  const clientPort = ({ port, cidr: cidrParameter, description }: ClientPort) => ({
    IpProtocol: 'tcp',
    FromPort: ref(port),
    ToPort: ref(port),
    CidrIp: ref(cidrParameter),
    Description: description,
  });
  const loadBalancerSecurityGroup = part(
    Ids.LoadBalancerSecurityGroup,
    skipCheckov(
      new SecurityGroup({
        GroupName: physicalName('alb-sg'),
        GroupDescription: 'Load balancer: clients on the listener ports only',
        VpcId: vpcId,
        SecurityGroupIngress: props.clientPorts.map(clientPort),
        // Any egress rule here replaces EC2's default allow-all; this one matches no packet (ICMP
        // type 252, code 86 to 255.255.255.255/32), so the only egress is the rule to the service below.
        SecurityGroupEgress: [NO_TRAFFIC],
      }),
      [{ id: 'CKV_AWS_260', comment: 'Public HTTP listener by design; AllowedIngressCidr narrows the clients' }],
    ),
  );
  const serviceSecurityGroup = part(
    Ids.ServiceSecurityGroup,
    new SecurityGroup({
      GroupName: physicalName('service-sg'),
      GroupDescription: 'Service tasks: the container port from the load balancer only; HTTPS out',
      VpcId: vpcId,
      SecurityGroupEgress:
        created === undefined
          ? [HTTPS_ANYWHERE]
          : ifCondition(
              Conditions.TasksInPrivateSubnets,
              [
                {
                  IpProtocol: 'tcp',
                  FromPort: 443,
                  ToPort: 443,
                  DestinationSecurityGroupId: ref(Ids.EndpointSecurityGroup),
                  Description: 'HTTPS to the interface endpoints: ECR, CloudWatch Logs, Secrets Manager, KMS',
                },
                {
                  // The S3 prefix list's ID differs by Region, and the gateway endpoint does not return it.
                  ...HTTPS_ANYWHERE,
                  Description:
                    'HTTPS to S3 for image layers: the private route table leads only to the S3 gateway endpoint',
                },
              ],
              [HTTPS_ANYWHERE],
            ),
    }),
  );
  // Separate rule resources: the two groups reference each other.
  const loadBalancerEgress = part(
    Ids.LoadBalancerToServiceEgress,
    new SecurityGroupEgress({
      GroupId: ref(loadBalancerSecurityGroup),
      IpProtocol: 'tcp',
      FromPort: ref(Params.ContainerPort),
      ToPort: ref(Params.ContainerPort),
      DestinationSecurityGroupId: ref(serviceSecurityGroup),
      Description: 'to the service tasks on the container port',
    }),
  );
  const serviceIngress = part(
    Ids.ServiceFromLoadBalancerIngress,
    new SecurityGroupIngress({
      GroupId: ref(serviceSecurityGroup),
      IpProtocol: 'tcp',
      FromPort: ref(Params.ContainerPort),
      ToPort: ref(Params.ContainerPort),
      SourceSecurityGroupId: ref(loadBalancerSecurityGroup),
      Description: 'from the load balancer on the container port',
    }),
  );
  const privateTasks =
    created === undefined
      ? undefined
      : privateTaskNetwork({
          vpc: created.vpc,
          serviceSecurityGroup,
          key: props.key,
          repositoryArn: props.repositoryArn,
        });
  const publicSubnets = created?.subnets.map((s) => ref(s)) ?? ref(Params.PublicSubnetIds);
  return {
    vpcId,
    loadBalancerSubnets: publicSubnets,
    tasks:
      privateTasks === undefined
        ? // The team's own VPC: its private subnets, whose endpoints or NAT gateway the VPC provides.
          { subnets: ref(Params.PrivateSubnetIds), assignPublicIp: 'DISABLED' }
        : {
            subnets: ifCondition(
              Conditions.TasksInPrivateSubnets,
              privateTasks.subnets.map((s) => ref(s)),
              publicSubnets,
            ),
            assignPublicIp: ifCondition(Conditions.TasksInPrivateSubnets, 'DISABLED', 'ENABLED'),
          },
    loadBalancerSecurityGroup,
    serviceSecurityGroup,
    parts: [
      ...(created?.parts ?? []),
      loadBalancerSecurityGroup,
      serviceSecurityGroup,
      loadBalancerEgress,
      serviceIngress,
      ...(privateTasks?.parts ?? []),
    ],
  };
}

/** The production listener's clients: AllowedIngressCidr on ProductionPort. */
export const PRODUCTION_CLIENTS: ClientPort = {
  port: Params.ProductionPort,
  cidr: Params.AllowedIngressCidr,
  description: 'production listener',
};

/** The load balancer and the two target groups blue/green moves traffic between. */
export interface LoadBalancing {
  readonly loadBalancer: Part;
  readonly blueTargetGroup: Part;
  readonly greenTargetGroup: Part;
  readonly parts: readonly Part[];
  readonly outputs: Record<string, Output>;
}

function targetGroup(id: string, color: string, net: Network): Part {
  return part(
    id,
    new TargetGroup({
      Name: physicalName(`tg-${color}`),
      TargetType: 'ip',
      Protocol: 'HTTP',
      Port: ref(Params.ContainerPort),
      VpcId: net.vpcId,
      HealthCheckPath: ref(Params.HealthCheckPath),
      HealthCheckIntervalSeconds: 15,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
      // Short drain: blue/green shifts traffic between groups, so old connections need little time.
      TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    }),
  );
}

/** Internet-facing ALB in both public subnets, its access logs, and its blue and green target groups. */
export function loadBalancing(net: Network): LoadBalancing {
  const logs = accessLogs();
  const loadBalancer = part(
    Ids.LoadBalancer,
    skipCheckov(
      new LoadBalancer({
        Name: physicalName('alb'),
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: net.loadBalancerSubnets,
        SecurityGroups: [ref(net.loadBalancerSecurityGroup)],
        LoadBalancerAttributes: [
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          // Literal text in each branch: CT.ELASTICLOADBALANCING.PR.6 reads a `Ref` in any attribute as a missing resource.
          {
            Key: 'deletion_protection.enabled',
            Value: ifCondition(Conditions.IsDeletionProtected, 'true', 'false'),
          },
          ...(logs.attributes as LoadBalancerAttribute[]),
        ],
        Tags: [logs.policyTag as ResourceTag],
      }),
      [
        {
          id: 'CKV_AWS_91',
          comment:
            'Access logs are the AccessLogs parameter, off by default for cost; checkov cannot evaluate the condition that turns them on',
        },
      ],
    ),
  );
  const blueTargetGroup = targetGroup(Ids.BlueTargetGroup, 'blue', net);
  const greenTargetGroup = targetGroup(Ids.GreenTargetGroup, 'green', net);
  return {
    loadBalancer,
    blueTargetGroup,
    greenTargetGroup,
    parts: [loadBalancer, ...logs.parts, blueTargetGroup, greenTargetGroup],
    outputs: {
      LoadBalancerDnsName: { Description: 'DNS name of the load balancer.', Value: getAtt(loadBalancer, 'DNSName') },
    },
  };
}

/** An HTTP listener of the load balancer on the port a parameter holds. */
export function httpListener(
  id: string,
  lb: LoadBalancing,
  port: string,
  defaultActions: readonly ListenerAction[],
): Part {
  return part(
    id,
    skipCheckov(
      new Listener({
        LoadBalancerArn: ref(lb.loadBalancer),
        Port: ref(port),
        Protocol: 'HTTP',
        DefaultActions: [...defaultActions],
      }),
      [
        {
          id: 'CKV_AWS_2',
          comment: 'HTTP until the team adds a domain and ACM certificate (accepted risk, docs/SECURITY.md)',
        },
        { id: 'CKV_AWS_103', comment: 'No TLS listener to set a policy on until a certificate is added' },
      ],
    ),
  );
}

/** `http://<load balancer>:<port>` for the port a parameter holds. */
export const listenerUrl = (port: string) => sub(`http://\${${Ids.LoadBalancer}.DNSName}:\${${port}}`);
