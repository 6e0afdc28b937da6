import { expect } from 'chai';
import { diffTemplates, formatDiff, isEmpty } from '../../src/diff/report.js';
import type { JsonObject } from '../../src/model/json.js';
import { TemplateModel } from '../../src/model/template.js';

const role = (statements: JsonObject[], managed: string[] = []): JsonObject => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: 'r',
    AssumeRolePolicyDocument: {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: ['sts:AssumeRole'] }],
    },
    ManagedPolicyArns: managed,
    Policies: [{ PolicyName: 'least-privilege', PolicyDocument: { Statement: statements } }],
  },
});
const template = (resources: JsonObject): TemplateModel => new TemplateModel({ Resources: resources });
const read = { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] };

describe('diff/report', () => {
  it('prints security-relevant changes first, each with its details', () => {
    const before = template({ R: role([read, { Effect: 'Deny', Action: 's3:*', Resource: '*' }]) });
    const after = template({
      R: role(
        [{ ...read, Resource: ['arn:aws:s3:::c/*'], Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
        ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      ),
    });
    const lines = formatDiff(diffTemplates(before, after), 'old.yaml', 'new.yaml');
    expect(lines.slice(0, 3)).to.deep.equal([
      'Changes from old.yaml (-) to a fresh build of new.yaml (+)',
      '',
      'Security-relevant changes (3)',
    ]);
    expect(lines).to.include.members([
      '  ~ R (AWS::IAM::Role) policy least-privilege, statement Read: changed',
      '      + on arn:aws:s3:::c/*',
      '      - on arn:aws:s3:::b/*',
      '      Condition: (none) → aws:SecureTransport Bool true',
      '  - R (AWS::IAM::Role) policy least-privilege, statement (Deny on *): removed',
      '      - s3:*',
      '  + R (AWS::IAM::Role) managed policies, managed policy arn:aws:iam::aws:policy/ReadOnlyAccess: added',
    ]);
    expect(lines.indexOf('Resources changed (1)')).to.be.greaterThan(lines.indexOf('      - s3:*'));
  });

  it('lists added, removed and changed resources with the changed property paths', () => {
    const before = template({
      Kept: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'a', Tags: [{ Key: 'k', Value: 'v' }] } },
      Gone: { Type: 'AWS::SNS::Topic' },
    });
    const after = template({
      Kept: {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: { 'Fn::Sub': 'a-${AWS::Region}' }, Tags: [{ Key: 'k', Value: 'w' }] },
      },
      New: { Type: 'AWS::SQS::Queue' },
    });
    const d = diffTemplates(before, after);
    expect(d.added).to.deep.equal([{ id: 'New', type: 'AWS::SQS::Queue' }]);
    expect(d.removed).to.deep.equal([{ id: 'Gone', type: 'AWS::SNS::Topic' }]);
    expect(d.changed).to.deep.equal([
      { id: 'Kept', type: 'AWS::SNS::Topic', paths: ['Properties.TopicName', 'Properties.Tags[0].Value'] },
    ]);
    expect(formatDiff(d, 'a', 'b').slice(2)).to.deep.equal([
      'Security-relevant changes (0): none',
      '',
      'Resources added (1)',
      '  + New (AWS::SQS::Queue)',
      '',
      'Resources removed (1)',
      '  - Gone (AWS::SNS::Topic)',
      '',
      'Resources changed (1)',
      '  ~ Kept (AWS::SNS::Topic): Properties.TopicName, Properties.Tags[0].Value',
    ]);
  });

  it('finds no change in a template whose keys are only in another order', () => {
    const before = template({ T: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'a', DisplayName: 'A' } } });
    const after = new TemplateModel({
      Resources: { T: { Properties: { DisplayName: 'A', TopicName: 'a' }, Type: 'AWS::SNS::Topic' } },
    });
    expect(isEmpty(diffTemplates(before, after))).to.equal(true);
  });

  it('cuts a long list of changed paths after twelve, counting the rest', () => {
    const tags = (value: string) => Array.from({ length: 14 }, (_, i) => ({ Key: `k${i}`, Value: value }));
    const d = diffTemplates(
      template({ T: { Type: 'AWS::SNS::Topic', Properties: { Tags: tags('a') } } }),
      template({ T: { Type: 'AWS::SNS::Topic', Properties: { Tags: tags('b') } } }),
    );
    const line = formatDiff(d, 'a', 'b').find((l) => l.startsWith('  ~ T '));
    expect(line).to.equal(
      `  ~ T (AWS::SNS::Topic): ${Array.from({ length: 12 }, (_, i) => `Properties.Tags[${i}].Value`).join(', ')} … and 2 more`,
    );
  });

  it('reports paths of other sections, and nothing at all for equal templates', () => {
    const before = new TemplateModel({ Parameters: { A: { Default: 1 } }, Resources: {} });
    const after = new TemplateModel({ Parameters: { A: { Default: 2 }, B: {} }, Resources: {} });
    const d = diffTemplates(before, after);
    expect(d.otherSections).to.deep.equal(['Parameters.A.Default', 'Parameters.B']);
    expect(formatDiff(d, 'a', 'b').slice(-3)).to.deep.equal([
      'Other sections changed (2)',
      '  ~ Parameters.A.Default',
      '  ~ Parameters.B',
    ]);
    const same = template({ T: { Type: 'AWS::SNS::Topic' } });
    const none = diffTemplates(same, new TemplateModel(structuredClone(same.body)));
    expect(isEmpty(none)).to.equal(true);
    expect(formatDiff(none, 'a', 'b')).to.deep.equal(['No changes: a matches a fresh build of b.']);
  });
});
