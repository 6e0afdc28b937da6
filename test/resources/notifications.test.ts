import { expect } from 'chai';
import { normalize } from '../../src/render/yaml.js';
import { STACK_KEY } from '../../src/resources/encryption.js';
import { eventBridgePublisher, notificationTopic } from '../../src/resources/notifications.js';

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
