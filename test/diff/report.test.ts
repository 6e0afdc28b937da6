import { expect } from 'chai';
import { changedPaths } from '../../src/diff/paths.js';
import { diffTemplates, formatDiff } from '../../src/diff/report.js';
import { securityChanges } from '../../src/diff/security.js';
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
const group = (ingress: JsonObject[]): JsonObject => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'g', SecurityGroupIngress: ingress },
});
const template = (resources: JsonObject): TemplateModel => new TemplateModel({ Resources: resources });
const read = { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] };

describe('diff', () => {
  describe('security changes', () => {
    it('names the role, statement and each action added or removed', () => {
      const before = template({ BuildRole: role([read]) });
      const after = template({ BuildRole: role([{ ...read, Action: ['s3:PutObject', 's3:GetObject'] }]) });
      expect(securityChanges(before, after)).to.deep.equal([
        {
          resourceId: 'BuildRole',
          type: 'AWS::IAM::Role',
          where: 'policy least-privilege',
          subject: 'statement Read',
          change: 'changed',
          details: ['+ s3:PutObject'],
        },
      ]);
      expect(securityChanges(after, before)[0]?.details).to.deep.equal(['- s3:PutObject']);
    });

    it('reports resource, condition and principal changes, added and removed statements and managed policies', () => {
      const before = template({ R: role([read, { Effect: 'Deny', Action: 's3:*', Resource: '*' }]) });
      const after = template({
        R: role(
          [{ ...read, Resource: ['arn:aws:s3:::c/*'], Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
          ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        ),
      });
      const lines = formatDiff(diffTemplates(before, after), 'old.yaml', 'new.yaml');
      expect(lines).to.include.members([
        '  ~ R (AWS::IAM::Role) policy least-privilege, statement Read: changed',
        '      + on arn:aws:s3:::c/*',
        '      - on arn:aws:s3:::b/*',
        '      Condition: (none) → aws:SecureTransport Bool true',
        '  - R (AWS::IAM::Role) policy least-privilege, statement (Deny on *): removed',
        '      - s3:*',
        '  + R (AWS::IAM::Role) managed policies, managed policy arn:aws:iam::aws:policy/ReadOnlyAccess: added',
      ]);
    });

    it('covers key, bucket and topic policies and a whole role added', () => {
      const keyPolicy = (actions: string[]) => ({
        Type: 'AWS::KMS::Key',
        Properties: {
          KeyPolicy: {
            Statement: [{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: '*' }, Action: actions, Resource: '*' }],
          },
        },
      });
      const changes = securityChanges(
        template({ Key: keyPolicy(['kms:Decrypt']) }),
        template({ Key: keyPolicy(['kms:Decrypt', 'kms:*']), NewRole: role([read]) }),
      );
      expect(changes.map((c) => `${c.resourceId} ${c.where} ${c.subject} ${c.change}`)).to.deep.equal([
        'Key key policy statement Admin changed',
        'NewRole trust policy statement (Allow Service codebuild.amazonaws.com) added',
        'NewRole policy least-privilege statement Read added',
      ]);
      expect(changes[0]?.details).to.deep.equal(['+ kms:*']);
    });

    it('reports security group rules added, removed and re-described, inline and standalone', () => {
      const https = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0', Description: 'a' };
      const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' };
      const before = template({
        G: group([https]),
        In: {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: { Ref: 'G' }, IpProtocol: '-1', CidrIp: '1.2.3.4/32' },
        },
      });
      const after = template({ G: group([{ ...https, Description: 'b' }, ssh]) });
      expect(
        securityChanges(before, after).map((c) => `${c.resourceId} ${c.subject} ${c.change} ${c.details.join()}`),
      ).to.deep.equal([
        'G rule tcp 443-443 from 0.0.0.0/0 changed Description: "a" → "b"',
        'G rule tcp 22-22 from 10.0.0.0/8 added ',
        'In rule all traffic from 1.2.3.4/32 removed ',
      ]);
    });
  });

  describe('resource changes', () => {
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
    });

    it('reports paths of other sections and nothing at all for equal templates', () => {
      expect(
        changedPaths({ Parameters: { A: { Default: 1 } } }, { Parameters: { A: { Default: 2 }, B: {} } }),
      ).to.deep.equal(['Parameters.A.Default', 'Parameters.B']);
      const same = template({ T: { Type: 'AWS::SNS::Topic' } });
      expect(formatDiff(diffTemplates(same, new TemplateModel(structuredClone(same.body))), 'a', 'b')).to.deep.equal([
        'No changes: a matches a fresh build of b.',
      ]);
    });
  });
});
