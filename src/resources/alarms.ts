// The alarms both deployment engines roll back on: target 5xx responses and unhealthy hosts, for
// each of the two target groups a deployment moves traffic between. Each also tells someone: its
// state changes go to the notification topic, whatever the deployment engine does with the state.
import { Alarm } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import type { Named, Value } from '../intrinsics.js';
import { getAtt, ref } from '../intrinsics.js';
import { Ids, Params, physicalName } from '../naming.js';
import type { LoadBalancing } from './network.js';

/** Where an alarm's state changes go: the topic, into ALARM and back to OK. */
export const alarmActions = (topic: Named) => ({ AlarmActions: [ref(topic)], OKActions: [ref(topic)] });

function alarm(
  id: string,
  name: string,
  description: string,
  metric: string,
  threshold: Value<number>,
  targetGroup: Part,
  lb: Part,
  topic: Named,
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
      ...alarmActions(topic),
    }),
  );
}

/** 5xx and unhealthy-host alarms of the blue and the green target group, notifying `topic`. */
export function deploymentAlarms(lb: LoadBalancing, topic: Named): Part[] {
  return [
    alarm(
      Ids.Blue5xxAlarm,
      'blue-5xx',
      'Blue targets answer 5xx: roll back',
      'HTTPCode_Target_5XX_Count',
      ref(Params.Http5xxAlarmThreshold),
      lb.blueTargetGroup,
      lb.loadBalancer,
      topic,
    ),
    alarm(
      Ids.Green5xxAlarm,
      'green-5xx',
      'Green targets answer 5xx: roll back',
      'HTTPCode_Target_5XX_Count',
      ref(Params.Http5xxAlarmThreshold),
      lb.greenTargetGroup,
      lb.loadBalancer,
      topic,
    ),
    alarm(
      Ids.BlueUnhealthyAlarm,
      'blue-unhealthy',
      'Blue targets fail health checks: roll back',
      'UnHealthyHostCount',
      1,
      lb.blueTargetGroup,
      lb.loadBalancer,
      topic,
    ),
    alarm(
      Ids.GreenUnhealthyAlarm,
      'green-unhealthy',
      'Green targets fail health checks: roll back',
      'UnHealthyHostCount',
      1,
      lb.greenTargetGroup,
      lb.loadBalancer,
      topic,
    ),
  ];
}
