// The environment's synthetic probe (scripts/probe.ts): a small function an EventBridge schedule runs
// against the production URL, a metric filter counting its failed requests and an alarm on them,
// all kept or dropped by the SyntheticProbe parameter. Cheaper than a CloudWatch Synthetics canary
// (no browser runtime, no artifact bucket) and enough for "is the deployed service answering".
import { Alarm, EventsRule, LambdaPermission, MetricFilter } from '../cfn/resources.js';
import { FunctionV2, skipCheckov } from '../cfn/extensions.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { LOGS_WRITE } from '../iam/actions.js';
import { allow, serviceRole } from '../iam/policy.js';
import type { Named } from '../intrinsics.js';
import { arn, getAtt, ref, sub } from '../intrinsics.js';
import { Conditions, Ids, Params, physicalName, physicalNameText } from '../naming.js';
import { alarmActions } from './alarms.js';
import type { KeyRef } from './encryption.js';
import { logGroup } from './logging.js';
import { listenerUrl } from './network.js';
import { PROBE_FAILURES_METRIC, PROBE_HANDLER, PROBE_NAMESPACE } from './scripts/probe.js';

export interface ProbeProps {
  readonly key: KeyRef;
  /** The topic its alarm notifies. */
  readonly topic: Named;
}

export function syntheticProbe(props: ProbeProps): Part[] {
  const { key } = props;
  const group = logGroup({ id: Ids.ProbeLogGroup, nameType: 'probe-logs', key });
  const role = serviceRole({
    id: Ids.ProbeRole,
    nameType: 'probe-role',
    service: 'lambda.amazonaws.com',
    description: 'Synthetic probe: requests the production URL and writes its own logs',
    sourceArn: arn('lambda', `function:${physicalNameText('probe')}`),
    // Lambda's execution-role pages show no confused-deputy keys on AssumeRole.
    confusedDeputyKeysOptional: true,
    statements: [allow('WriteOwnLogs', LOGS_WRITE, [getAtt(group, 'Arn')])],
  });
  const fn = part(
    Ids.ProbeFunction,
    skipCheckov(
      new FunctionV2({
        FunctionName: physicalName('probe'),
        Description: 'Synthetic probe: requests the health-check (and smoke-test) path through the production listener',
        Runtime: 'python3.13',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        Code: { ZipFile: PROBE_HANDLER },
        Role: getAtt(role, 'Arn'),
        MemorySize: 128,
        // Two requests of up to 10 s each.
        Timeout: 30,
        // One scheduled run at a time.
        ReservedConcurrentExecutions: 1,
        KmsKeyArn: getAtt(key, 'Arn'),
        Environment: {
          Variables: {
            PROBE_URL: listenerUrl(Params.ProductionPort),
            ENVIRONMENT: ref(Params.EnvironmentSuffix),
            HEALTH_CHECK_PATH: ref(Params.HealthCheckPath),
            SMOKE_TEST_PATH: ref(Params.SmokeTestPath),
          },
        },
        LoggingConfig: { LogGroup: ref(group), LogFormat: 'Text' },
      }),
      [
        {
          id: 'CKV_AWS_116',
          comment: 'A failed run is the finding itself: the alarm counts it, a dead-letter queue would hold nothing',
        },
        {
          id: 'CKV_AWS_117',
          comment:
            'It requests the internet-facing load balancer as a client does; inside the VPC it would need a NAT gateway',
        },
      ],
    ),
  );
  const schedule = part(
    Ids.ProbeSchedule,
    new EventsRule({
      Name: physicalName('probe-schedule'),
      Description: 'Runs the synthetic probe of this environment',
      State: 'ENABLED',
      ScheduleExpression: ref(Params.SyntheticProbeSchedule),
      Targets: [{ Id: 'probe', Arn: getAtt(fn, 'Arn') }],
    }),
  );
  const permission = part(
    Ids.ProbeInvokePermission,
    new LambdaPermission({
      FunctionName: getAtt(fn, 'Arn'),
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: getAtt(schedule, 'Arn'),
      SourceAccount: sub('${AWS::AccountId}'),
    }),
  );
  const filter = part(
    Ids.ProbeFailuresMetricFilter,
    new MetricFilter({
      FilterName: physicalName('probe-failures'),
      LogGroupName: ref(group),
      // Every request line counts, 0 when it passed: a passing probe is data, a missing one is none.
      FilterPattern: '{ $.probe = "production" }',
      MetricTransformations: [
        {
          MetricNamespace: PROBE_NAMESPACE,
          MetricName: PROBE_FAILURES_METRIC,
          MetricValue: '$.failed',
          Unit: 'Count',
          Dimensions: [{ Key: 'Environment', Value: '$.environment' }],
        },
      ],
    }),
  );
  const alarm = part(
    Ids.ProbeAlarm,
    new Alarm({
      AlarmName: physicalName('probe'),
      AlarmDescription: 'The synthetic probe failed, or did not run: the deployed service is not answering clients',
      Namespace: PROBE_NAMESPACE,
      MetricName: PROBE_FAILURES_METRIC,
      Dimensions: [{ Name: 'Environment', Value: ref(Params.EnvironmentSuffix) }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No data means no probe ran: that is a failure of the check, not a pass.
      TreatMissingData: 'breaching',
      ...alarmActions(props.topic),
    }),
  );
  const parts = [group, role, fn, schedule, permission, filter, alarm];
  for (const p of parts) p.resource.condition(Conditions.HasSyntheticProbe);
  return parts;
}
