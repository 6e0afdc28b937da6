// Where the tasks run. With the network the template creates, TaskSubnets chooses public subnets
// with public IPs (the default: no endpoint hours to pay) or private subnets that reach ECR, S3,
// CloudWatch Logs, Secrets Manager and KMS through VPC endpoints. With the team's own VPC (build
// config `network: "existing"`) the VPC and both subnet lists are required typed parameters.
import type { NetworkChoice } from '../config.js';
import { equals, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterSpec } from './spec.js';

/** The TaskSubnets values: the cheaper public subnets, or private subnets with VPC endpoints. */
export const TASK_SUBNET_CHOICES = ['Public', 'Private'] as const;

export const TASK_SUBNETS: ParameterSpec = {
  name: Params.TaskSubnets,
  label: 'Task subnets',
  definition: {
    Type: 'String',
    Description:
      'Public: the tasks run in the public subnets with public IPv4 addresses (no endpoint hours to pay). Private: the tasks run in private subnets without public IPs and reach ECR, S3, CloudWatch Logs, Secrets Manager and KMS through VPC endpoints the stack creates (billed per endpoint and Availability Zone hour).',
    Default: 'Public',
    AllowedValues: TASK_SUBNET_CHOICES,
    ConstraintDescription: 'Public or Private',
  },
};

/** The team's own network: the load balancer in the public subnets, the tasks in the private ones. */
export const EXISTING_NETWORK_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.VpcId,
    label: 'VPC',
    definition: {
      Type: 'AWS::EC2::VPC::Id',
      Description:
        'The VPC the load balancer and the tasks run in. Its private subnets reach ECR, S3, CloudWatch Logs, Secrets Manager and KMS through VPC endpoints or a NAT gateway the VPC provides.',
      ConstraintDescription: 'the ID of a VPC in this account and Region, such as vpc-0123456789abcdef0',
    },
    fixedAfterCreate:
      'the security groups and target groups (named, so never replaced) belong to this VPC; deploy a new stack',
  },
  {
    name: Params.PublicSubnetIds,
    label: 'Public subnets (load balancer)',
    definition: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description:
        'Subnets of VpcId, in at least two Availability Zones, with a route to an internet gateway: the internet-facing load balancer runs in them.',
      ConstraintDescription:
        'subnet IDs of VpcId, comma-separated, such as subnet-0123456789abcdef0,subnet-0fedcba9876543210',
    },
  },
  {
    name: Params.PrivateSubnetIds,
    label: 'Private subnets (tasks)',
    definition: {
      Type: 'List<AWS::EC2::Subnet::Id>',
      Description:
        'Subnets of VpcId the tasks run in, without public IPs; they need a way to ECR, S3, CloudWatch Logs, Secrets Manager and KMS (VPC endpoints or a NAT gateway).',
      ConstraintDescription:
        'subnet IDs of VpcId, comma-separated, such as subnet-0123456789abcdef0,subnet-0fedcba9876543210',
    },
  },
];

/** Conditions on the network parameters: only the created network has a choice to make. */
export function networkConditions(choice: NetworkChoice): Record<string, unknown> {
  return choice === 'existing'
    ? {}
    : { [Conditions.TasksInPrivateSubnets]: equals(ref(Params.TaskSubnets), 'Private') };
}
