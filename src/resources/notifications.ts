// Where pipeline events go: an encrypted SNS topic, TLS-only, with an optional e-mail subscriber.
import { EventsRule, Subscription, Topic, TopicPolicy } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { SNS_PUBLISH } from '../iam/actions.js';
import type { Statement } from '../iam/policy.js';
import { denyInsecureTransport, policyDocument } from '../iam/policy.js';
import type { Named, Value } from '../intrinsics.js';
import { arn, arnText, getAtt, ref, sub } from '../intrinsics.js';
import { Conditions, Ids, Params, physicalName, physicalNameText } from '../naming.js';
import type { KeyRef } from './encryption.js';

export type Topic = InstanceType<typeof Topic>;

/** The notification topic as builders reference it before it is built (alarms, chat channels): `!Ref NotificationTopic`. */
export const NOTIFICATION_TOPIC: Named = { id: Ids.NotificationTopic };

/** The topic's ARN as `!Sub` text, for the key policy, which cannot reference the topic the key encrypts. */
export const NOTIFICATION_TOPIC_ARN_TEXT = arnText('sns', physicalNameText('notifications'));

/** The notification topic and who may publish to it. */
export interface NotificationTopicProps {
  /** Key that encrypts messages at rest. */
  readonly key: KeyRef;
  /** Statements admitting each publisher, e.g. the pipeline's EventBridge rule. @default - no publisher */
  readonly publishers?: readonly Statement[];
}

export interface NotificationTopic {
  readonly topic: Part<Topic>;
  readonly policy: Part<InstanceType<typeof TopicPolicy>>;
  readonly emailSubscription: Part<InstanceType<typeof Subscription>>;
  readonly outputs: Record<string, Output>;
}

export function notificationTopic(props: NotificationTopicProps): NotificationTopic {
  const topic = part(
    Ids.NotificationTopic,
    new Topic({
      TopicName: physicalName('notifications'),
      DisplayName: physicalName('notifications'),
      KmsMasterKeyId: getAtt(props.key, 'Arn'),
    }),
  );
  const policy = part(
    Ids.NotificationTopicPolicy,
    new TopicPolicy({
      Topics: [ref(topic)],
      PolicyDocument: policyDocument([
        denyInsecureTransport('DenyInsecureTransport', SNS_PUBLISH, [ref(topic)]),
        ...(props.publishers ?? []),
      ]),
    }),
  );
  const emailSubscription = part(
    Ids.NotificationEmailSubscription,
    new Subscription({ TopicArn: ref(topic), Protocol: 'email', Endpoint: ref(Params.NotificationEmail) }).condition(
      Conditions.HasNotificationEmail,
    ),
  );
  return {
    topic,
    policy,
    emailSubscription,
    outputs: {
      NotificationTopicArn: { Description: 'SNS topic that receives pipeline notifications.', Value: ref(topic) },
    },
  };
}

/** Pipeline events worth a message: how an execution ended, and an approval waiting for a person. */
export const PIPELINE_EVENT_PATTERN = {
  source: ['aws.codepipeline'],
  $or: [
    {
      'detail-type': ['CodePipeline Pipeline Execution State Change'],
      detail: { state: ['FAILED', 'SUCCEEDED', 'SUPERSEDED'] },
    },
    {
      'detail-type': ['CodePipeline Action Execution State Change'],
      detail: { state: ['STARTED'], type: { category: ['Approval'] } },
    },
  ],
} as const;

/** Topic-policy statement: only this EventBridge rule may publish. */
export function eventBridgePublisher(ruleId: string): Statement {
  return {
    Sid: 'AllowPipelineEventsRuleToPublish',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: [...SNS_PUBLISH],
    Resource: [ref(Ids.NotificationTopic)],
    Condition: { ArnEquals: { 'aws:SourceArn': getAtt(ruleId, 'Arn') } },
  };
}

/**
 * Topic-policy statement: CloudWatch may publish for exactly these alarms of this account
 * (SNS Developer Guide, "Example cases for Amazon SNS access control": alarms publish as
 * cloudwatch.amazonaws.com, naming the alarm in aws:SourceArn).
 */
export function cloudWatchAlarmsPublisher(
  alarmIds: readonly string[],
  /** Alarms that may not exist (kept by a condition), by their name's ARN. @default - none */
  conditionalAlarmArns: readonly Value<string>[] = [],
): Statement {
  return {
    Sid: 'AllowThisStacksAlarmsToPublish',
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: [...SNS_PUBLISH],
    Resource: [ref(Ids.NotificationTopic)],
    Condition: {
      ArnEquals: { 'aws:SourceArn': [...alarmIds.map((id) => getAtt(id, 'Arn')), ...conditionalAlarmArns] },
      StringEquals: { 'aws:SourceAccount': sub('${AWS::AccountId}') },
    },
  };
}

/** EventBridge rule sending this pipeline's notable events to the topic. */
export function pipelineEventsRule(topic: Part<Topic>, pipelineId: string): Part<InstanceType<typeof EventsRule>> {
  return part(
    Ids.PipelineEventsRule,
    new EventsRule({
      Name: physicalName('pipeline-events'),
      Description: 'Pipeline failed, succeeded or superseded; a manual approval is waiting',
      State: 'ENABLED',
      EventPattern: {
        ...PIPELINE_EVENT_PATTERN,
        resources: [arn('codepipeline', `\${${pipelineId}}`)],
      },
      Targets: [{ Id: 'notification-topic', Arn: ref(topic) }],
    }),
  );
}
