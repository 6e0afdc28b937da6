// The pipeline's CloudWatch dashboard, written from the parts the other builders made: every widget
// names a metric of a resource it is handed (the delivery metric filters, the load balancer and its
// target groups, the alarms), so the dashboard cannot show a metric the template does not create.
// The body is JSON in a `!Sub`, with `${Resource.Attr}` where a dimension or an alarm ARN goes.
import { Dashboard } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { getAtt, ref, sub, subJson } from '../intrinsics.js';
import { Ids, physicalName } from '../naming.js';
import { normalize } from '../render/yaml.js';
import type { DeliveryMetric } from './delivery-metrics.js';
import { DELIVERY_METRICS, DELIVERY_NAMESPACE } from './delivery-metrics.js';
import type { LoadBalancing } from './network.js';

const DAY = 86_400;
const WEEK = 7 * DAY;
const HOUR = 3_600;

/** Grid of the dashboard: 24 columns; each widget is a third of a row, six units high. */
const WIDTH = 8;
const HEIGHT = 6;

/** What the dashboard shows. */
export interface DashboardProps {
  /** Logical ID of the pipeline whose name is the delivery metrics' Pipeline dimension. */
  readonly pipelineId: string;
  /** The pipeline's stage names, in order: one StageDuration line each. */
  readonly stages: readonly string[];
  /**
   * The load balancer and the target groups a deployment moves traffic between.
   * @default - none: the environments' own stacks hold them (a promoting pipeline)
   */
  readonly loadBalancing?: LoadBalancing;
  /** The alarms whose state the dashboard shows. */
  readonly alarms: readonly Part[];
}

/** One line of a metric widget: a metric with its dimensions and options, or a math expression. */
type MetricLine = readonly unknown[];

interface Widget {
  readonly type: 'metric' | 'alarm';
  readonly properties: Record<string, unknown>;
}

/** A delivery metric of this pipeline, as a widget line: namespace, name, Pipeline dimension, then more. */
function delivery(
  metric: DeliveryMetric,
  pipelineId: string,
  options: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): MetricLine {
  const dims = Object.entries(extra).flat();
  return [DELIVERY_NAMESPACE, metric.name, 'Pipeline', ref(pipelineId), ...dims, options];
}

function metricWidget(title: string, period: number, metrics: readonly MetricLine[], yLabel?: string): Widget {
  return {
    type: 'metric',
    properties: {
      title,
      view: 'timeSeries',
      region: sub('${AWS::Region}'),
      period,
      metrics,
      ...(yLabel && { yAxis: { left: { label: yLabel, showUnits: false } } }),
    },
  };
}

/** A Seconds metric averaged over `period`, shown in hours. */
function hours(title: string, metric: DeliveryMetric, pipelineId: string, period: number): Widget {
  return metricWidget(
    title,
    period,
    [
      delivery(metric, pipelineId, { id: 'seconds', stat: 'Average', visible: false }),
      [{ id: 'hours', expression: `seconds / ${HOUR}`, label: `${title} (hours)` }],
    ],
    'hours',
  );
}

/** The service's traffic, errors, latency and health behind the load balancer. */
function serviceWidgets(loadBalancing: LoadBalancing): Widget[] {
  const lb = getAtt(loadBalancing.loadBalancer, 'LoadBalancerFullName');
  const groups = [loadBalancing.blueTargetGroup, loadBalancing.greenTargetGroup];
  const perTargetGroup = (metric: string, stat: string) =>
    groups.map((tg) => [
      'AWS/ApplicationELB',
      metric,
      'TargetGroup',
      getAtt(tg, 'TargetGroupFullName'),
      'LoadBalancer',
      lb,
      { stat, label: tg.id },
    ]);
  return [
    metricWidget(
      'Requests',
      60,
      [['AWS/ApplicationELB', 'RequestCount', 'LoadBalancer', lb, { stat: 'Sum', label: 'requests' }]],
      'count',
    ),
    metricWidget('Target 5xx responses', 60, perTargetGroup('HTTPCode_Target_5XX_Count', 'Sum'), 'count'),
    metricWidget('Target response time (p90)', 60, perTargetGroup('TargetResponseTime', 'p90'), 'seconds'),
    metricWidget('Healthy hosts', 60, perTargetGroup('HealthyHostCount', 'Minimum'), 'hosts'),
  ];
}

/** The widgets, in reading order: delivery (DORA figures), the stages, the service, the alarms. */
export function dashboardWidgets(props: DashboardProps): Widget[] {
  const { pipelineId } = props;
  const { deployments, failedDeployments, leadTime, stageDuration, timeToRecover, timeBetweenFailures } =
    DELIVERY_METRICS;
  return [
    metricWidget(
      'Deploy frequency (production deployments per day)',
      DAY,
      [delivery(deployments, pipelineId, { id: 'deployed', stat: 'Sum', label: 'deployments' })],
      'per day',
    ),
    metricWidget(
      'Change failure rate (% of production deployments, per week)',
      WEEK,
      [
        delivery(deployments, pipelineId, { id: 'ok', stat: 'Sum', visible: false }),
        delivery(failedDeployments, pipelineId, { id: 'failed', stat: 'Sum', visible: false }),
        [{ id: 'rate', expression: '100 * FILL(failed, 0) / (FILL(ok, 0) + FILL(failed, 0))', label: 'failed %' }],
      ],
      '%',
    ),
    hours('Lead time', leadTime, pipelineId, DAY),
    hours('Mean time to recover', timeToRecover, pipelineId, WEEK),
    hours('Mean time between failures', timeBetweenFailures, pipelineId, WEEK),
    metricWidget(
      'Stage durations (average seconds)',
      DAY,
      props.stages.map((stage) =>
        delivery(stageDuration, pipelineId, { stat: 'Average', label: stage }, { Stage: stage }),
      ),
      'seconds',
    ),
    ...(props.loadBalancing === undefined ? [] : serviceWidgets(props.loadBalancing)),
    {
      type: 'alarm',
      properties: {
        title: 'Alarms (each notifies the topic)',
        alarms: props.alarms.map((alarm) => getAtt(alarm, 'Arn')),
      },
    },
  ];
}

/** The dashboard: three widgets a row, each a third of the width. */
export function pipelineDashboard(props: DashboardProps): Part {
  const widgets = dashboardWidgets(props).map((w, i) => ({
    ...w,
    x: (i % 3) * WIDTH,
    y: Math.floor(i / 3) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
  }));
  const body = subJson(normalize({ widgets }));
  return part(
    Ids.Dashboard,
    new Dashboard({
      DashboardName: physicalName('dashboard'),
      DashboardBody: sub(body.text, body.vars),
    }),
  );
}
