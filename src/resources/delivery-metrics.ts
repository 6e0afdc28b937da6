// Delivery metrics per pipeline, computed by AWS services: an EventBridge rule hands the pipeline's
// production-stage and execution endings to a small function (scripts/delivery-metrics.ts), which
// prints one JSON line per figure into its KMS-encrypted log group; a metric filter per figure turns
// the lines into CloudWatch metrics, and CloudWatch's statistics and metric math do the rest (sums
// per day, averages, the failure ratio). The function only subtracts times; no server keeps state.
//
// Why a function writes the deployment lines, not EventBridge into a log group: a CloudWatch Logs
// target needs an account-wide logs resource policy (ten per Region), whose PutResourcePolicy takes
// no resource ARN, so every stack and the Service Catalog launch role would need it on `*`.
import { EventsRule, LambdaPermission, MetricFilter } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { Alarm } from '../cfn/resources.js';
import { FunctionV2, skipCheckov } from '../cfn/extensions.js';
import { CODEPIPELINE_HISTORY_READ, LOGS_WRITE } from '../iam/actions.js';
import { allow, serviceRole } from '../iam/policy.js';
import type { Named, Value } from '../intrinsics.js';
import { arn, getAtt, ref, sub } from '../intrinsics.js';
import { Ids, physicalName, physicalNameText } from '../naming.js';
import { alarmActions } from './alarms.js';
import type { KeyRef } from './encryption.js';
import { logGroup } from './logging.js';
import { DELIVERY_METRICS_HANDLER, METRIC_LINES, PRODUCTION_STAGE_VARIABLE } from './scripts/delivery-metrics.js';

/** Namespace of the metrics the filters publish; each carries the pipeline's name as its Pipeline dimension. */
export const DELIVERY_NAMESPACE = 'cicd/Delivery';

/** One metric a filter makes from the function's lines. */
export interface DeliveryMetric {
  /** CloudWatch metric name. */
  readonly name: string;
  /** Logical ID of its metric filter. */
  readonly filterId: string;
  /** Physical name type of the filter: `cicd-<nameType>-<suffix>`. */
  readonly nameType: string;
  /** The `metric` field of the lines it counts or measures. */
  readonly line: string;
  /** The `result` field the lines must also carry (deployments). @default - any */
  readonly result?: 'SUCCEEDED' | 'FAILED';
  /** `Count` (each line counts 1) or `Seconds` (the line's `seconds`). */
  readonly unit: 'Count' | 'Seconds';
  /** Dimensions beyond Pipeline, each read from the line's field of that name in lower case. @default - Pipeline only */
  readonly dimensions?: readonly string[];
  /** What it means, for the dashboard and the README. */
  readonly description: string;
}

/** Every metric the filters publish, by what it measures. */
export const DELIVERY_METRICS = {
  deployments: {
    name: 'ProductionDeployments',
    filterId: 'ProductionDeploymentsMetricFilter',
    nameType: 'production-deployments',
    line: METRIC_LINES.deployment,
    result: 'SUCCEEDED',
    unit: 'Count',
    description: 'production deployments that succeeded',
  },
  failedDeployments: {
    name: 'FailedProductionDeployments',
    filterId: 'FailedProductionDeploymentsMetricFilter',
    nameType: 'failed-deployments',
    line: METRIC_LINES.deployment,
    result: 'FAILED',
    unit: 'Count',
    description: 'production deployments that failed (rolled back)',
  },
  leadTime: {
    name: 'LeadTime',
    filterId: 'LeadTimeMetricFilter',
    nameType: 'lead-time',
    line: METRIC_LINES.leadTime,
    unit: 'Seconds',
    description: 'commit to production, per successful production deployment',
  },
  stageDuration: {
    name: 'StageDuration',
    filterId: 'StageDurationMetricFilter',
    nameType: 'stage-duration',
    line: METRIC_LINES.stageDuration,
    unit: 'Seconds',
    dimensions: ['Stage'],
    description: 'how long a stage ran in an execution that succeeded or failed',
  },
  timeToRecover: {
    name: 'TimeToRecover',
    filterId: 'TimeToRecoverMetricFilter',
    nameType: 'time-to-recover',
    line: METRIC_LINES.timeToRecover,
    unit: 'Seconds',
    description: 'start of the first failed execution to the start of the next successful one',
  },
  timeBetweenFailures: {
    name: 'TimeBetweenFailures',
    filterId: 'TimeBetweenFailuresMetricFilter',
    nameType: 'time-between-failures',
    line: METRIC_LINES.timeBetweenFailures,
    unit: 'Seconds',
    description: 'start of the first successful execution to the start of the next failed one',
  },
} as const satisfies Record<string, DeliveryMetric>;

export type DeliveryMetricKey = keyof typeof DELIVERY_METRICS;

/** The filter pattern that selects a metric's lines (CloudWatch Logs JSON filter syntax). */
export function filterPattern(metric: DeliveryMetric): string {
  const terms = [`($.metric = "${metric.line}")`, ...(metric.result ? [`($.result = "${metric.result}")`] : [])];
  return `{ ${terms.join(' && ')} }`;
}

/** The endings the function is told of: every execution that succeeded or failed, and the production stage's. */
export function deliveryEventPattern(pipelineArn: Value<string>, productionStage: string) {
  const ended = ['SUCCEEDED', 'FAILED'];
  return {
    source: ['aws.codepipeline'],
    resources: [pipelineArn],
    $or: [
      { 'detail-type': ['CodePipeline Pipeline Execution State Change'], detail: { state: ended } },
      {
        'detail-type': ['CodePipeline Stage Execution State Change'],
        detail: { stage: [productionStage], state: ended },
      },
    ],
  };
}

/** What the delivery metrics measure, and where the figures go. */
export interface DeliveryMetricsProps {
  /** Key that encrypts the function's environment and its log group. */
  readonly key: KeyRef;
  /** Logical ID of the pipeline measured. */
  readonly pipelineId: string;
  /**
   * The stage whose success is a production deployment: deploy frequency and change failure rate count
   * its endings, lead time ends there.
   */
  readonly productionStage: string;
  /** Topic the function's errors alarm notifies. */
  readonly topic: Named;
}

/** The delivery metrics' resources: the function, its role, rule, permission, log group, filters and alarm. */
export interface DeliveryMetrics {
  readonly parts: readonly Part[];
  readonly function: Part;
  readonly logGroup: Part;
  readonly errorsAlarm: Part;
}

function metricFilter(metric: DeliveryMetric, group: Part): Part {
  return part(
    metric.filterId,
    new MetricFilter({
      FilterName: physicalName(metric.nameType),
      LogGroupName: ref(group),
      FilterPattern: filterPattern(metric),
      MetricTransformations: [
        {
          MetricNamespace: DELIVERY_NAMESPACE,
          MetricName: metric.name,
          MetricValue: metric.unit === 'Count' ? '1' : '$.seconds',
          Unit: metric.unit,
          Dimensions: [
            { Key: 'Pipeline', Value: '$.pipeline' },
            ...(metric.dimensions ?? []).map((name) => ({ Key: name, Value: `$.${name.toLowerCase()}` })),
          ],
        },
      ],
    }),
  );
}

export function deliveryMetrics(props: DeliveryMetricsProps): DeliveryMetrics {
  const { key } = props;
  const group = logGroup({ id: Ids.DeliveryMetricsLogGroup, nameType: 'delivery-metrics-logs', key });
  const pipelineArn = arn('codepipeline', `\${${props.pipelineId}}`);
  const role = serviceRole({
    id: Ids.DeliveryMetricsRole,
    nameType: 'delivery-metrics-role',
    service: 'lambda.amazonaws.com',
    description: 'Delivery metrics: reads the executions of this pipeline and writes its own logs',
    sourceArn: arn('lambda', `function:${physicalNameText('delivery-metrics')}`),
    // Lambda's execution-role pages show no confused-deputy keys on AssumeRole.
    confusedDeputyKeysOptional: true,
    statements: [
      allow('WriteOwnLogs', LOGS_WRITE, [getAtt(group, 'Arn')]),
      allow('ReadThisPipelinesHistory', CODEPIPELINE_HISTORY_READ, [pipelineArn]),
    ],
  });
  const fn = part(
    Ids.DeliveryMetricsFunction,
    skipCheckov(
      new FunctionV2({
        FunctionName: physicalName('delivery-metrics'),
        Description: 'Delivery metrics: lead time, deployments, stage durations, time to recover and between failures',
        Runtime: 'python3.13',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        Code: { ZipFile: DELIVERY_METRICS_HANDLER },
        Role: getAtt(role, 'Arn'),
        MemorySize: 128,
        // Two API reads, paged through a streak of executions.
        Timeout: 60,
        // A production stage and its execution end together; EventBridge retries what is throttled.
        ReservedConcurrentExecutions: 2,
        KmsKeyArn: getAtt(key, 'Arn'),
        Environment: { Variables: { [PRODUCTION_STAGE_VARIABLE]: props.productionStage } },
        LoggingConfig: { LogGroup: ref(group), LogFormat: 'Text' },
      }),
      [
        {
          id: 'CKV_AWS_116',
          comment:
            'Lambda retries a failed event twice and the errors alarm notifies; a lost event thins an average only',
        },
        {
          id: 'CKV_AWS_117',
          comment: 'It calls only the CodePipeline API; inside the VPC it would need a NAT gateway or an endpoint',
        },
      ],
    ),
  );
  const rule = part(
    Ids.DeliveryEventsRule,
    new EventsRule({
      Name: physicalName('delivery-events'),
      Description: `Pipeline executions that succeeded or failed, and the ends of the ${props.productionStage} stage: the delivery metrics`,
      State: 'ENABLED',
      EventPattern: deliveryEventPattern(pipelineArn, props.productionStage),
      Targets: [{ Id: 'delivery-metrics', Arn: getAtt(fn, 'Arn') }],
    }),
  );
  const permission = part(
    Ids.DeliveryMetricsInvokePermission,
    new LambdaPermission({
      FunctionName: getAtt(fn, 'Arn'),
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: getAtt(rule, 'Arn'),
      SourceAccount: sub('${AWS::AccountId}'),
    }),
  );
  const errorsAlarm = part(
    Ids.DeliveryMetricsErrorsAlarm,
    new Alarm({
      AlarmName: physicalName('delivery-metrics-errors'),
      AlarmDescription: 'The delivery-metrics function failed: figures are missing until it is fixed',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(fn) }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...alarmActions(props.topic),
    }),
  );
  const filters = Object.values(DELIVERY_METRICS).map((m) => metricFilter(m, group));
  return {
    parts: [group, role, fn, rule, permission, ...filters, errorsAlarm],
    function: fn,
    logGroup: group,
    errorsAlarm,
  };
}
