// The alarms both deployment engines roll back on: target 5xx responses and unhealthy hosts, for
// each of the two target groups a deployment moves traffic between.
import { Alarm } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import type { Value } from '../intrinsics.js';
import { getAtt, ref } from '../intrinsics.js';
import { Ids, Params, physicalName } from '../naming.js';
import type { LoadBalancing } from './network.js';

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

/** 5xx and unhealthy-host alarms of the blue and the green target group. */
export function deploymentAlarms(lb: LoadBalancing): Part[] {
  return [
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
}
