// The Fargate service that CodeDeploy deploys: cluster, task definition, roles and the service
// with the CODE_DEPLOY controller. The task definition's properties are built once here; the
// build stage writes taskdef.json from the same object, so the two cannot drift.
import { Cluster, Service, TaskDefinition } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { ECR_PULL_FOR_TASKS, LOGS_WRITE } from '../iam/actions.js';
import type { Role } from '../iam/policy.js';
import { allow, allowAnyResource, serviceRole } from '../iam/policy.js';
import type { SubJson, Value } from '../intrinsics.js';
import { arn, findInMap, getAtt, ref, sub } from '../intrinsics.js';
import { Ids, Mappings, Params, physicalName, physicalNameText } from '../naming.js';
import type { KeyRef } from './encryption.js';
import type { LogGroup } from './logging.js';
import { logGroup } from './logging.js';
import type { LoadBalancing, Network } from './network.js';
import type { Repository } from './registry.js';

export type TaskDefinitionProperties = ConstructorParameters<typeof TaskDefinition>[0];

/** Task definition properties, in CloudFormation's shape, for a given container image. */
export function taskDefinitionProperties(image: Value<string>): NonNullable<TaskDefinitionProperties> {
  return {
    Family: physicalName('app'),
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: findInMap(Mappings.TaskSizes, ref(Params.TaskSize), 'Cpu'),
    Memory: findInMap(Mappings.TaskSizes, ref(Params.TaskSize), 'Memory'),
    ExecutionRoleArn: getAtt(Ids.TaskExecutionRole, 'Arn'),
    TaskRoleArn: getAtt(Ids.TaskRole, 'Arn'),
    ContainerDefinitions: [
      {
        Name: ref(Params.ContainerName),
        Image: image,
        Essential: true,
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

/**
 * The AppSpec CodeDeploy reads: which service, container and port receive the new task set, and on
 * which capacity providers. CodeDeploy starts the replacement task set with the AppSpec's strategy,
 * not the service's (CodeDeploy User Guide, "AppSpec 'resources' section (Amazon ECS ...)").
 */
export function appSpec(): SubJson {
  return {
    text: [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: <TASK_DEFINITION>',
      '        LoadBalancerInfo:',
      `          ContainerName: "\${${Params.ContainerName}}"`,
      `          ContainerPort: \${${Params.ContainerPort}}`,
      '        CapacityProviderStrategy:',
      '          - CapacityProvider: FARGATE',
      '            Base: 0',
      '            Weight: ${FargateWeight}',
      '          - CapacityProvider: FARGATE_SPOT',
      '            Base: 0',
      '            Weight: ${SpotWeight}',
    ].join('\n'),
    vars: { FargateWeight: spotWeights('Fargate'), SpotWeight: spotWeights('Spot') },
  };
}

export interface ServiceProps {
  readonly key: KeyRef;
  readonly repository: Part<Repository>;
  readonly network: Network;
  readonly loadBalancing: LoadBalancing;
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
  // The Spot share lives on the cluster's default strategy, not on the service: a CODE_DEPLOY service
  // refuses a new strategy through UpdateService, while the cluster's default may change any time.
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
      allow('PullImage', ECR_PULL_FOR_TASKS, [getAtt(props.repository, 'Arn')]),
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
  const taskDefinition = part(
    Ids.TaskDefinition,
    new TaskDefinition(taskDefinitionProperties(ref(Params.InitialImage))),
  );
  const service = part(
    Ids.Service,
    new Service({
      ServiceName: physicalName('service'),
      Cluster: ref(cluster),
      // The family, not a revision: CodeDeploy owns the revision after creation, and ECS refuses a new
      // task definition through UpdateService for a CODE_DEPLOY service (ECS API Reference, UpdateService).
      // A changed TaskSize or image registers a new revision that the next pipeline deployment uses.
      TaskDefinition: sub(physicalNameText('app')),
      DesiredCount: ref(Params.DesiredCount),
      DeploymentController: { Type: 'CODE_DEPLOY' },
      PlatformVersion: 'LATEST',
      HealthCheckGracePeriodSeconds: 60,
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'ENABLED',
          Subnets: props.network.subnets.map((s) => ref(s)),
          SecurityGroups: [ref(props.network.serviceSecurityGroup)],
        },
      },
      LoadBalancers: [
        {
          ContainerName: ref(Params.ContainerName),
          ContainerPort: ref(Params.ContainerPort),
          TargetGroupArn: ref(props.loadBalancing.blueTargetGroup),
        },
      ],
      PropagateTags: 'SERVICE',
      EnableECSManagedTags: true,
    }).dependsOn([taskDefinition.id, props.loadBalancing.productionListener.id, props.loadBalancing.testListener.id]),
  );
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
