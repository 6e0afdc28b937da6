// The Fargate service: cluster, task definition, roles and the service. The deployment engine
// (src/resources/engines/) decides how new versions reach it: its controller, how CloudFormation
// refers to the task definition, and the blue/green settings. The task definition's properties are
// built once here; the CodeDeploy engine's build writes taskdef.json from the same object.
import type { EcsDeploymentConfiguration, EcsServiceLoadBalancer } from '../cfn/extensions.js';
import { ServiceV2 } from '../cfn/extensions.js';
import { Cluster, TaskDefinition } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { ECR_PULL_FOR_TASKS, LOGS_WRITE } from '../iam/actions.js';
import type { Role } from '../iam/policy.js';
import { allow, allowAnyResource, serviceRole } from '../iam/policy.js';
import type { Value } from '../intrinsics.js';
import { arn, findInMap, getAtt, ifCondition, noValue, ref, sub } from '../intrinsics.js';
import { Conditions, Ids, Mappings, Params, physicalName, physicalNameText } from '../naming.js';
import { architectureSetting } from '../parameters/architecture.js';
import { SCRATCH_VOLUME, starterCommand } from '../parameters/containers.js';
import type { KeyRef } from './encryption.js';
import type { LogGroup } from './logging.js';
import { logGroup } from './logging.js';
import type { LoadBalancing, Network } from './network.js';
import { scaledDesiredCount } from './scaling.js';

export type TaskDefinitionProperties = ConstructorParameters<typeof TaskDefinition>[0];

/**
 * Where a task definition goes: the stack's own resource (CloudFormation evaluates conditions), or
 * taskdef.json, the text the CodeDeploy engine's build writes, where a value is a `${}` placeholder.
 */
export type TaskDefinitionFlavour = 'resource' | 'file';

/** The placeholder taskdef.json writes the container's memory limit through (a number, unquoted). */
export const CONTAINER_MEMORY_VARIABLE = 'ContainerMemory';

/** The container's hard memory limit: the whole task's, so one container cannot take more than the task has. */
export const containerMemory = () => findInMap(Mappings.TaskSizes, ref(Params.TaskSize), 'ContainerMemory');

/** Task definition properties, in CloudFormation's shape, for a given container image. */
export function taskDefinitionProperties(
  image: Value<string>,
  flavour: TaskDefinitionFlavour = 'resource',
): NonNullable<TaskDefinitionProperties> {
  const resource = flavour === 'resource';
  return {
    Family: physicalName('app'),
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: findInMap(Mappings.TaskSizes, ref(Params.TaskSize), 'Cpu'),
    Memory: findInMap(Mappings.TaskSizes, ref(Params.TaskSize), 'Memory'),
    ExecutionRoleArn: getAtt(Ids.TaskExecutionRole, 'Arn'),
    TaskRoleArn: getAtt(Ids.TaskRole, 'Arn'),
    RuntimePlatform: { CpuArchitecture: architectureSetting('CpuArchitecture'), OperatingSystemFamily: 'LINUX' },
    Volumes: [{ Name: SCRATCH_VOLUME.name }],
    ContainerDefinitions: [
      {
        Name: ref(Params.ContainerName),
        Image: image,
        // Only the stack's task definition runs the starter image (CodeDeploy's file always runs a built one).
        ...(resource && {
          Command: ifCondition(Conditions.RunsStarterImage, starterCommand(Params.ContainerPort), noValue()),
        }),
        Essential: true,
        User: ref(Params.ContainerUser),
        ReadonlyRootFilesystem: resource
          ? ifCondition(Conditions.ReadOnlyRootFilesystem, true, false)
          : ref(Params.ReadOnlyRootFilesystem),
        Memory: resource ? containerMemory() : ref(CONTAINER_MEMORY_VARIABLE),
        MountPoints: [
          { SourceVolume: SCRATCH_VOLUME.name, ContainerPath: SCRATCH_VOLUME.containerPath, ReadOnly: false },
        ],
        PortMappings: [{ ContainerPort: ref(Params.ContainerPort), Protocol: 'tcp' }],
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: {
            'awslogs-group': ref(Ids.ServiceLogGroup),
            'awslogs-region': ref('AWS::Region'),
            'awslogs-stream-prefix': 'app',
          },
        },
      },
    ],
  };
}

/** Capacity-provider weights that put FargateSpotShare percent of the tasks on Fargate Spot. */
export const spotWeights = (provider: 'Fargate' | 'Spot') =>
  findInMap(Mappings.SpotShares, ref(Params.FargateSpotShare), provider);

/** What the deployment engine decides about the service. */
export interface ServiceDeployment {
  /** Who rolls out a new task definition: Amazon ECS itself, or CodeDeploy. */
  readonly controller: 'ECS' | 'CODE_DEPLOY';
  /** The image the stack's task definition runs: a parameter. */
  readonly image: Value<string>;
  /**
   * How the service names its task definition: the stack's revision (CloudFormation owns it), or
   * the family (CodeDeploy owns the revision, and ECS refuses a new one through UpdateService).
   */
  readonly taskDefinition: 'revision' | 'family';
  /** The alternate target group and the listener rules ECS moves traffic between. @default - none */
  readonly advanced?: EcsServiceLoadBalancer['AdvancedConfiguration'];
  /** Strategy, bake time, hooks, alarms. @default - ECS's rolling defaults */
  readonly configuration?: EcsDeploymentConfiguration;
  /** Listeners and rules the service must wait for (ECS registers tasks only behind a listener). */
  readonly dependsOn: readonly string[];
  /** Tags of the service beyond the standard ones. @default - none */
  readonly tags?: readonly { readonly Key: string; readonly Value: Value<string> }[];
}

export interface ServiceProps {
  readonly key: KeyRef;
  /** The repository the tasks pull from: this stack's, or the promoting pipeline's. */
  readonly repositoryArn: Value<string>;
  readonly network: Network;
  readonly loadBalancing: LoadBalancing;
  readonly deployment: ServiceDeployment;
}

export interface FargateService {
  readonly cluster: Part;
  readonly logGroup: Part<LogGroup>;
  readonly executionRole: Part<Role>;
  readonly taskRole: Part<Role>;
  readonly taskDefinition: Part;
  readonly service: Part;
  readonly parts: readonly Part[];
  readonly outputs: Record<string, Output>;
}

export function fargateService(props: ServiceProps): FargateService {
  const { deployment } = props;
  // The Spot share lives on the cluster's default strategy, not on the service: a CODE_DEPLOY service
  // refuses a new strategy through UpdateService, an ECS one takes it only with a new deployment,
  // while the cluster's default may change any time.
  const cluster = part(
    Ids.Cluster,
    new Cluster({
      ClusterName: physicalName('cluster'),
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      DefaultCapacityProviderStrategy: [
        { CapacityProvider: 'FARGATE', Weight: spotWeights('Fargate'), Base: 0 },
        { CapacityProvider: 'FARGATE_SPOT', Weight: spotWeights('Spot'), Base: 0 },
      ],
    }),
  );
  const serviceLogs = logGroup({ id: Ids.ServiceLogGroup, nameType: 'service-logs', key: props.key });
  const ecsTasksArn = arn('ecs', '*');
  const executionRole = serviceRole({
    id: Ids.TaskExecutionRole,
    nameType: 'task-execution-role',
    service: 'ecs-tasks.amazonaws.com',
    description: 'ECS agent: pulls the image from this repository and writes the container logs',
    sourceArn: ecsTasksArn,
    statements: [
      allow('PullImage', ECR_PULL_FOR_TASKS, [props.repositoryArn]),
      allowAnyResource('RegistryLogin', ['ecr:GetAuthorizationToken']),
      allow('WriteLogs', LOGS_WRITE, [sub(`\${${Ids.ServiceLogGroup}.Arn}`)]),
    ],
  });
  const taskRole = serviceRole({
    id: Ids.TaskRole,
    nameType: 'task-role',
    service: 'ecs-tasks.amazonaws.com',
    description: 'The application itself: no AWS permissions until the application team adds them',
    sourceArn: ecsTasksArn,
    statements: [],
  });
  const taskDefinition = part(Ids.TaskDefinition, new TaskDefinition(taskDefinitionProperties(props.deployment.image)));
  const service = part(
    Ids.Service,
    new ServiceV2({
      ServiceName: physicalName('service'),
      Cluster: ref(cluster),
      TaskDefinition: deployment.taskDefinition === 'family' ? sub(physicalNameText('app')) : ref(taskDefinition),
      DesiredCount: scaledDesiredCount(),
      DeploymentController: { Type: deployment.controller },
      ...(deployment.configuration !== undefined && { DeploymentConfiguration: deployment.configuration }),
      PlatformVersion: 'LATEST',
      HealthCheckGracePeriodSeconds: 60,
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: props.network.tasks.assignPublicIp,
          Subnets: props.network.tasks.subnets,
          SecurityGroups: [ref(props.network.serviceSecurityGroup)],
        },
      },
      LoadBalancers: [
        {
          ContainerName: ref(Params.ContainerName),
          ContainerPort: ref(Params.ContainerPort),
          TargetGroupArn: ref(props.loadBalancing.blueTargetGroup),
          ...(deployment.advanced !== undefined && { AdvancedConfiguration: deployment.advanced }),
        },
      ],
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
      ...(deployment.tags !== undefined && { Tags: [...deployment.tags] }),
    }),
  );
  // Named by family, the task definition is no reference: the service must still wait for it.
  const waitsFor = [...(deployment.taskDefinition === 'family' ? [taskDefinition.id] : []), ...deployment.dependsOn];
  if (waitsFor.length > 0) service.resource.dependsOn(waitsFor);
  return {
    cluster,
    logGroup: serviceLogs,
    executionRole,
    taskRole,
    taskDefinition,
    service,
    parts: [cluster, serviceLogs, executionRole, taskRole, taskDefinition, service],
    outputs: {
      ClusterName: { Description: 'ECS cluster name.', Value: ref(cluster) },
      ServiceName: { Description: 'ECS service name.', Value: getAtt(service, 'Name') },
    },
  };
}
