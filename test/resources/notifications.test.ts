import { expect } from 'chai';
import { normalize } from '../../src/render/yaml.js';
import { STACK_KEY } from '../../src/resources/encryption.js';
import { eventBridgePublisher, notificationTopic } from '../../src/resources/notifications.js';
import { emittedTemplates, resource, resourcesOfType, subText } from '../helpers.js';

const statementIds = (publishers?: Parameters<typeof notificationTopic>[0]['publishers']) => {
  const { policy } = notificationTopic({ key: STACK_KEY, ...(publishers !== undefined && { publishers }) });
  const document = normalize(policy.resource)['Properties'] as { PolicyDocument: { Statement: { Sid: string }[] } };
  return document.PolicyDocument.Statement.map((s) => s.Sid);
};

describe('resources/notifications: the notification topic', () => {
  it('admits only TLS when no publisher is given', () => {
    expect(statementIds()).to.deep.equal(['DenyInsecureTransport']);
  });

  it('adds a statement per publisher after the TLS guard', () => {
    expect(statementIds([eventBridgePublisher('Rule')])).to.deep.equal([
      'DenyInsecureTransport',
      'AllowPipelineEventsRuleToPublish',
    ]);
  });
});

/**
 * An alarm publishes to an encrypted topic as cloudwatch.amazonaws.com: the topic policy must admit
 * it and the key policy must let it make a data key for that topic (SNS Developer Guide, "Enable
 * compatibility between event sources from AWS services and encrypted topics").
 */
for (const { file, template } of emittedTemplates().filter((t) => t.file.endsWith('cicd-pipeline.yaml'))) {
  describe(`alarms that notify (${file})`, () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    type Statement = {
      Sid: string;
      Principal?: { Service?: string };
      Action: string[];
      Resource: unknown;
      Condition: Loose;
    };
    type Loose = Record<string, Record<string, unknown>>;
    const fromCloudWatch = (statements: Statement[]) =>
      statements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');

    it('sends every alarm’s ALARM and OK to the notification topic', () => {
      expect(alarms.length).to.be.greaterThan(0);
      for (const [id, alarm] of alarms) {
        expect(alarm.Properties.AlarmActions, id).to.deep.equal([{ Ref: 'NotificationTopic' }]);
        expect(alarm.Properties.OKActions, id).to.deep.equal([{ Ref: 'NotificationTopic' }]);
        expect(alarm.Properties.ActionsEnabled, id).to.not.equal(false);
      }
    });

    it('lets CloudWatch publish to the topic for exactly these alarms of this account', () => {
      const statements = resource(template, 'NotificationTopicPolicy').Properties.PolicyDocument
        .Statement as Statement[];
      const [allow] = fromCloudWatch(statements);
      expect(fromCloudWatch(statements)).to.have.length(1);
      expect(allow?.Action).to.deep.equal(['sns:Publish']);
      expect(allow?.Resource).to.deep.equal([{ Ref: 'NotificationTopic' }]);
      const sources = allow?.Condition['ArnEquals']?.['aws:SourceArn'] as { 'Fn::GetAtt': [string, string] }[];
      expect(sources.map((s) => s['Fn::GetAtt'][0]).sort()).to.deep.equal(alarms.map(([id]) => id).sort());
      expect(allow?.Condition['StringEquals']?.['aws:SourceAccount']).to.deep.equal({ 'Fn::Sub': '${AWS::AccountId}' });
    });

    it('lets CloudWatch use the key for the notification topic only', () => {
      const statements = resource(template, 'PipelineKey').Properties.KeyPolicy.Statement as Statement[];
      const [allow] = fromCloudWatch(statements);
      expect(fromCloudWatch(statements)).to.have.length(1);
      expect(allow?.Action.slice().sort()).to.deep.equal(['kms:Decrypt', 'kms:GenerateDataKey']);
      const topicArn = subText(allow?.Condition['StringEquals']?.['kms:EncryptionContext:aws:sns:topicArn']);
      const topicName = subText(resource(template, 'NotificationTopic').Properties.TopicName);
      expect(topicArn).to.equal(`arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${topicName}`);
    });
  });
}
