// Autoscaling of the service's task count with Application Auto Scaling: a scalable target between
// MinTasks and MaxTasks and two target-tracking policies, on average CPU and on requests per task.
// Application Auto Scaling registers the target with its service-linked role
// (AWSServiceRoleForApplicationAutoScaling_ECSService), which it creates on first use; the template
// names no role.
//
// Blue/green (both engines): "Application Auto Scaling turns off scale-in processes while Amazon ECS
// deployments are in progress ... scale-out processes continue to occur" (ECS Developer Guide,
// "Troubleshooting service auto scaling"). While both revisions run the service's average CPU halves
// and would call for scale-in: it cannot happen then. The ECS guide ("Use a target metric to scale
// Amazon ECS services") says ALBRequestCountPerTarget is not supported with blue/green: it names one
// target group, and blue/green moves production between two. The request policy sums
// RequestCountPerTarget over both instead; the load balancer publishes nothing for an idle group, so
// each is FILLed with 0 (a target-tracking policy does not scale on missing data), and the sum follows
// whichever group serves production. During a canary or linear shift (both groups serving, each at
// full size) it is still the requests per task.
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { ScalingPolicyV2 } from '../cfn/extensions.js';
import { ScalableTarget } from '../cfn/resources.js';
import type { Value } from '../intrinsics.js';
import { getAtt, ifCondition, noValue, ref, sub } from '../intrinsics.js';
import { Conditions, Ids, Params, physicalName } from '../naming.js';
import type { LoadBalancing } from './network.js';
import type { FargateService } from './service.js';

/** What scales and what its request metric counts. */
export interface ServiceScalingProps {
  /** The cluster and the service whose desired count is scaled. */
  readonly service: Pick<FargateService, 'cluster' | 'service'>;
  /** The load balancer and the two target groups production moves between. */
  readonly loadBalancing: Pick<LoadBalancing, 'loadBalancer' | 'blueTargetGroup' | 'greenTargetGroup'>;
  /** Seconds after a scale-out before the next. @default 60 */
  readonly scaleOutCooldown?: number;
  /** Seconds after a scale-in before the next; longer, so a brief lull does not drop tasks. @default 300 */
  readonly scaleInCooldown?: number;
}

export interface ServiceScaling {
  readonly target: Part;
  readonly policies: readonly Part[];
  readonly parts: readonly Part[];
}

/**
 * The service's DesiredCount: DesiredCount while Autoscaling is disabled; none with it enabled, so a
 * stack update (every ECS-engine release is one) leaves the scaler's count alone. AWS::ECS::Service
 * DesiredCount: "For existing services, if a desired count is not specified, it is omitted from the
 * operation"; a new service starts at 1 and the scalable target raises it to MinTasks.
 */
export const scaledDesiredCount = (): Value<number> =>
  ifCondition(Conditions.HasAutoscaling, noValue(), ref(Params.DesiredCount));

const DIMENSION = 'ecs:service:DesiredCount';

/** Requests per task on whichever group serves production: an idle group publishes nothing and counts 0. */
export const PRODUCTION_REQUESTS_PER_TASK = 'FILL(blue, 0) + FILL(green, 0)';

/** RequestCountPerTarget of one target group on this load balancer, summed per minute. */
const requestsPerTarget = (id: string, label: string, lb: ServiceScalingProps['loadBalancing'], group: Part) => ({
  Id: id,
  Label: label,
  ReturnData: false,
  MetricStat: {
    Stat: 'Sum',
    Metric: {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'RequestCountPerTarget',
      Dimensions: [
        { Name: 'TargetGroup', Value: getAtt(group, 'TargetGroupFullName') },
        { Name: 'LoadBalancer', Value: getAtt(lb.loadBalancer, 'LoadBalancerFullName') },
      ],
    },
  },
});

export function serviceScaling(props: ServiceScalingProps): ServiceScaling {
  const lb = props.loadBalancing;
  const cooldowns = { ScaleOutCooldown: props.scaleOutCooldown ?? 60, ScaleInCooldown: props.scaleInCooldown ?? 300 };
  const target = part(
    Ids.ScalableTarget,
    new ScalableTarget({
      ServiceNamespace: 'ecs',
      ScalableDimension: DIMENSION,
      ResourceId: sub(`service/\${${props.service.cluster.id}}/\${${props.service.service.id}.Name}`),
      MinCapacity: ref(Params.MinTasks),
      MaxCapacity: ref(Params.MaxTasks),
    }).condition(Conditions.HasAutoscaling),
  );
  const policy = (id: string, configuration: ConstructorParameters<typeof ScalingPolicyV2>[0]) =>
    part(id, new ScalingPolicyV2(configuration).condition(Conditions.HasAutoscaling));
  const cpu = policy(Ids.CpuScalingPolicy, {
    PolicyName: physicalName('cpu-scaling'),
    PolicyType: 'TargetTrackingScaling',
    ScalingTargetId: ref(target),
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: ref(Params.ScalingCpuTarget),
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      ...cooldowns,
    },
  });
  const requests = policy(Ids.RequestScalingPolicy, {
    PolicyName: physicalName('request-scaling'),
    PolicyType: 'TargetTrackingScaling',
    ScalingTargetId: ref(target),
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: ref(Params.ScalingRequestsPerTask),
      CustomizedMetricSpecification: {
        Metrics: [
          requestsPerTarget('blue', 'Requests per target, blue group', lb, lb.blueTargetGroup),
          requestsPerTarget('green', 'Requests per target, green group', lb, lb.greenTargetGroup),
          {
            Id: 'production',
            Label: 'Requests per task, production',
            Expression: PRODUCTION_REQUESTS_PER_TASK,
            ReturnData: true,
          },
        ],
      },
      ...cooldowns,
    },
  });
  return { target, policies: [cpu, requests], parts: [target, cpu, requests] };
}
