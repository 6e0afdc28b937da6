// CodeDeploy blue/green for the ECS service: traffic moves from the blue to the green target
// group by the chosen strategy, and rolls back on failure or when an alarm fires.
import { Alarm, Application, DeploymentGroup } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import {
  CLOUDWATCH_DESCRIBE_ALARMS,
  CODEDEPLOY_ECS_SERVICE,
  ECS_CREATE_TASK_SET,
  ECS_DELETE_TASK_SET,
  CODEDEPLOY_ELB_LISTENERS,
  ELB_DESCRIBE,
} from '../iam/actions.js';
import type { Role } from '../iam/policy.js';
import { allow, allowAnyResource, passRole, serviceRole } from '../iam/policy.js';
import type { Value } from '../intrinsics.js';
import { arn, findInMap, getAtt, ref } from '../intrinsics.js';
import { Ids, Mappings, Params, physicalName, physicalNameText } from '../naming.js';
import type { LoadBalancing } from './network.js';
import type { FargateService } from './service.js';

export interface DeploymentProps {
  readonly loadBalancing: LoadBalancing;
  readonly service: FargateService;
}

export interface BlueGreenDeployment {
  readonly application: Part;
  readonly deploymentGroup: Part;
  readonly role: Part<Role>;
  readonly alarms: readonly Part[];
  readonly parts: readonly Part[];
  readonly outputs: Record<string, Output>;
}

function alarm(
  id: string,
  name: string,
  description: string,
  metric: string,
  threshold: Value<number>,
  targetGroup: Part,
  lb: Part,
): Part {
  return part(
    id,
    new Alarm({
      AlarmName: physicalName(name),
      AlarmDescription: description,
      Namespace: 'AWS/ApplicationELB',
      MetricName: metric,
      Dimensions: [
        { Name: 'LoadBalancer', Value: getAtt(lb, 'LoadBalancerFullName') },
        { Name: 'TargetGroup', Value: getAtt(targetGroup, 'TargetGroupFullName') },
      ],
      Statistic: metric === 'UnHealthyHostCount' ? 'Maximum' : 'Sum',
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
}

export function blueGreenDeployment(props: DeploymentProps): BlueGreenDeployment {
  const lb = props.loadBalancing;
  const application = part(
    Ids.CodeDeployApplication,
    new Application({ ApplicationName: physicalName('deploy-app'), ComputePlatform: 'ECS' }),
  );
  const alarms = [
    alarm(
      Ids.Blue5xxAlarm,
      'blue-5xx',
      'Blue targets answer 5xx: roll back',
      'HTTPCode_Target_5XX_Count',
      ref(Params.Http5xxAlarmThreshold),
      lb.blueTargetGroup,
      lb.loadBalancer,
    ),
    alarm(
      Ids.Green5xxAlarm,
      'green-5xx',
      'Green targets answer 5xx: roll back',
      'HTTPCode_Target_5XX_Count',
      ref(Params.Http5xxAlarmThreshold),
      lb.greenTargetGroup,
      lb.loadBalancer,
    ),
    alarm(
      Ids.BlueUnhealthyAlarm,
      'blue-unhealthy',
      'Blue targets fail health checks: roll back',
      'UnHealthyHostCount',
      1,
      lb.blueTargetGroup,
      lb.loadBalancer,
    ),
    alarm(
      Ids.GreenUnhealthyAlarm,
      'green-unhealthy',
      'Green targets fail health checks: roll back',
      'UnHealthyHostCount',
      1,
      lb.greenTargetGroup,
      lb.loadBalancer,
    ),
  ];
  const serviceArn = ref(props.service.service);
  const role = serviceRole({
    id: Ids.CodeDeployRole,
    nameType: 'codedeploy-role',
    service: 'codedeploy.amazonaws.com',
    description: 'CodeDeploy: shifts traffic between the blue and green task sets of this one service',
    sourceArn: arn('codedeploy', `deploymentgroup:${physicalNameText('deploy-app')}/*`),
    statements: [
      allow('ManageThisService', CODEDEPLOY_ECS_SERVICE, [serviceArn]),
      allowAnyResource('CreateTaskSetsOfThisService', ECS_CREATE_TASK_SET, {
        ArnEquals: { 'ecs:service': serviceArn },
      }),
      allow('DeleteTaskSetsOfThisService', ECS_DELETE_TASK_SET, [
        arn('ecs', `task-set/${physicalNameText('cluster')}/${physicalNameText('service')}/*`),
      ]),
      allow('ShiftListenerTraffic', CODEDEPLOY_ELB_LISTENERS, [
        ref(lb.productionListener),
        ref(lb.testListener),
        arn('elasticloadbalancing', `listener-rule/app/${physicalNameText('alb')}/*`),
      ]),
      allowAnyResource('DescribeLoadBalancing', ELB_DESCRIBE),
      // Each alarm by ARN: a `cicd-*-<suffix>` pattern would also match another environment ending in -<suffix>.
      allow(
        'ReadRollbackAlarms',
        CLOUDWATCH_DESCRIBE_ALARMS,
        alarms.map((a) => getAtt(a, 'Arn')),
      ),
      passRole(
        'PassTaskRoles',
        [getAtt(props.service.executionRole, 'Arn'), getAtt(props.service.taskRole, 'Arn')],
        'ecs-tasks.amazonaws.com',
      ),
    ],
  });
  const deploymentGroup = part(
    Ids.DeploymentGroup,
    new DeploymentGroup({
      ApplicationName: ref(application),
      DeploymentGroupName: physicalName('deploy-group'),
      ServiceRoleArn: getAtt(role, 'Arn'),
      DeploymentConfigName: findInMap(Mappings.DeploymentConfigs, ref(Params.DeploymentStrategy), 'Name'),
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      BlueGreenDeploymentConfiguration: {
        DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT', WaitTimeInMinutes: 0 },
        TerminateBlueInstancesOnDeploymentSuccess: {
          Action: 'TERMINATE',
          TerminationWaitTimeInMinutes: ref(Params.BlueTerminationWaitMinutes),
        },
      },
      AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      AlarmConfiguration: { Enabled: true, Alarms: alarms.map((a) => ({ Name: ref(a) })) },
      ECSServices: [{ ClusterName: ref(props.service.cluster), ServiceName: getAtt(props.service.service, 'Name') }],
      LoadBalancerInfo: {
        TargetGroupPairInfoList: [
          {
            TargetGroups: [
              { Name: getAtt(lb.blueTargetGroup, 'TargetGroupName') },
              { Name: getAtt(lb.greenTargetGroup, 'TargetGroupName') },
            ],
            ProdTrafficRoute: { ListenerArns: [ref(lb.productionListener)] },
            TestTrafficRoute: { ListenerArns: [ref(lb.testListener)] },
          },
        ],
      },
    }),
  );
  return {
    application,
    deploymentGroup,
    role,
    alarms,
    parts: [application, role, ...alarms, deploymentGroup],
    outputs: {
      CodeDeployApplicationName: { Description: 'CodeDeploy application.', Value: ref(application) },
      DeploymentGroupName: { Description: 'CodeDeploy deployment group.', Value: ref(deploymentGroup) },
    },
  };
}
