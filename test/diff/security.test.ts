import { expect } from 'chai';
import { securityChanges } from '../../src/diff/security.js';
import type { JsonObject } from '../../src/model/json.js';
import { TemplateModel } from '../../src/model/template.js';

const policyRole = (statements: JsonObject[]): JsonObject => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: 'r',
    AssumeRolePolicyDocument: {
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: ['sts:AssumeRole'] },
      ],
    },
    Policies: [{ PolicyName: 'least-privilege', PolicyDocument: { Statement: statements } }],
  },
});
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
const group = (ingress: JsonObject[], egress: JsonObject[] = []): JsonObject => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'g', SecurityGroupIngress: ingress, SecurityGroupEgress: egress },
});
const bucketPolicy = (statements: JsonObject[]): JsonObject => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: { Bucket: 'site', PolicyDocument: { Statement: statements } },
});
const template = (resources: JsonObject): TemplateModel => new TemplateModel({ Resources: resources });
const read = { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] };
const summary = (before: TemplateModel, after: TemplateModel) =>
  securityChanges(before, after).map((c) => [`${c.subject}: ${c.change}`, ...c.details].join(' | '));

describe('diff/security', () => {
  describe('policies and rules', () => {
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
    it('reports each field of a statement that changes what it allows', () => {
      const open = {
        Sid: 'Site',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::site/*',
      };
      const account = { ...open, Principal: { AWS: ['arn:aws:iam::111122223333:root'] } };
      expect(summary(template({ P: bucketPolicy([open]) }), template({ P: bucketPolicy([account]) }))).to.deep.equal([
        'statement Site: changed | Principal: * → AWS arn:aws:iam::111122223333:root',
      ]);
      const narrowed = { ...read, Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-1', 'o-2'] } } };
      expect(summary(template({ R: role([narrowed]) }), template({ R: role([read]) }))).to.deep.equal([
        'statement Read: changed | Condition: aws:PrincipalOrgID StringEquals o-1 or o-2 → (none)',
      ]);
      const denied = { ...read, Effect: 'Deny' };
      expect(summary(template({ R: role([read]) }), template({ R: role([denied]) }))).to.deep.equal([
        'statement Read: changed | Effect: Allow → Deny',
      ]);
    });

    it('writes NotAction, NotResource and Condition of a whole statement added or removed', () => {
      const guard = {
        Effect: 'Deny',
        NotAction: ['s3:GetObject'],
        NotResource: ['arn:aws:s3:::b/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      };
      expect(summary(template({ R: role([]) }), template({ R: role([guard]) }))).to.deep.equal([
        'statement (Deny on arn:aws:s3:::b/*): added | + all except s3:GetObject | + on all except arn:aws:s3:::b/* | + when aws:SecureTransport Bool false',
      ]);
      expect(summary(template({ R: role([guard]) }), template({ R: role([]) }))[0]).to.equal(
        'statement (Deny on arn:aws:s3:::b/*): removed | - all except s3:GetObject | - on all except arn:aws:s3:::b/* | - when aws:SecureTransport Bool false',
      );
    });

    it('reports the NotAction and NotResource of a statement that changes', () => {
      const guard = { Sid: 'Guard', Effect: 'Deny', NotAction: ['s3:GetObject'], NotResource: ['arn:aws:s3:::b/*'] };
      const wider = { ...guard, NotAction: ['s3:GetObject', 's3:ListBucket'], NotResource: ['arn:aws:s3:::c/*'] };
      expect(summary(template({ R: role([guard]) }), template({ R: role([wider]) }))).to.deep.equal([
        'statement Guard: changed | + all except s3:ListBucket | + on all except arn:aws:s3:::c/* | - on all except arn:aws:s3:::b/*',
      ]);
    });

    it('reports nothing for statements and rules that differ only in key or list order', () => {
      const both = { ...read, Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:::c/*'] };
      const scope = { Effect: 'Allow', Resource: 'arn:aws:s3:::d/*' };
      const before = template({
        R: role([both, { ...scope, Action: ['s3:GetObject', 's3:PutObject'] }]),
        G: group([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }]),
      });
      const after = template({
        R: role([
          { Resource: [...both.Resource].reverse(), Action: both.Action, Effect: both.Effect, Sid: both.Sid },
          { Action: ['s3:PutObject', 's3:GetObject'], Resource: scope.Resource, Effect: 'Allow' },
        ]),
        G: group([{ CidrIp: '0.0.0.0/0', ToPort: 443, FromPort: 443, IpProtocol: 'tcp' }]),
      });
      expect(securityChanges(before, after)).to.deep.equal([]);
    });

    it('tells apart statements that differ only in their actions and have no Sid', () => {
      const scope = { Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' };
      const before = template({
        R: role([
          { ...scope, Action: 's3:GetObject' },
          { ...scope, Action: 's3:PutObject' },
        ]),
      });
      const after = template({
        R: role([
          { ...scope, Action: 's3:GetObject' },
          { ...scope, Action: 's3:DeleteObject' },
        ]),
      });
      expect(summary(before, after)).to.deep.equal([
        'statement (Allow on arn:aws:s3:::b/*): changed | + s3:DeleteObject | - s3:PutObject',
      ]);
    });

    it('reports every statement of a role removed, and its managed policies', () => {
      const changes = securityChanges(
        template({ Gone: role([read], ['arn:aws:iam::aws:policy/ReadOnlyAccess']) }),
        template({}),
      );
      expect(changes.map((c) => `${c.resourceId} ${c.where}, ${c.subject}: ${c.change}`)).to.deep.equal([
        'Gone trust policy, statement (Allow Service codebuild.amazonaws.com): removed',
        'Gone policy least-privilege, statement Read: removed',
        'Gone managed policies, managed policy arn:aws:iam::aws:policy/ReadOnlyAccess: removed',
      ]);
    });

    it('reports a permissions boundary set, changed or lifted', () => {
      const bounded = (arn: string | undefined): JsonObject => {
        const r = role([read]);
        return arn === undefined
          ? r
          : { ...r, Properties: { ...(r['Properties'] as JsonObject), PermissionsBoundary: arn } };
      };
      const boundary = 'arn:aws:iam::111122223333:policy/boundary';
      expect(summary(template({ R: bounded(undefined) }), template({ R: bounded(boundary) }))).to.deep.equal([
        `permissions boundary: changed | (none) → ${boundary}`,
      ]);
      expect(summary(template({ R: bounded(boundary) }), template({ R: bounded(undefined) }))).to.deep.equal([
        `permissions boundary: changed | ${boundary} → (none)`,
      ]);
    });

    it('names each rule by protocol, ports and peer, egress included', () => {
      const rules: [JsonObject, string][] = [
        [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv6: '::/0' }, 'rule tcp 443-443 from ::/0'],
        [
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: { Ref: 'Lb' } },
          'rule tcp 80-80 from <Lb>',
        ],
        [{ IpProtocol: 'tcp', FromPort: 53, ToPort: 53, SourcePrefixListId: 'pl-1' }, 'rule tcp 53-53 from pl-1'],
        [{ IpProtocol: 'icmp', CidrIp: '10.0.0.0/8' }, 'rule icmp from 10.0.0.0/8'],
      ];
      expect(summary(template({ G: group([]) }), template({ G: group(rules.map(([rule]) => rule)) }))).to.deep.equal(
        rules.map(([, text]) => `${text}: added`),
      );
      const egress: [JsonObject, string][] = [
        [{ IpProtocol: '-1', DestinationSecurityGroupId: { Ref: 'Db' } }, 'rule all traffic to <Db>'],
        [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: 'pl-2' },
          'rule tcp 443-443 to pl-2',
        ],
      ];
      const changes = securityChanges(
        template({
          G: group(
            [],
            egress.map(([rule]) => rule),
          ),
        }),
        template({ G: group([]) }),
      );
      expect(changes.map((c) => `${c.where} ${c.subject}: ${c.change}`)).to.deep.equal(
        egress.map(([, text]) => `egress ${text}: removed`),
      );
    });

    it('reports a rule description added or removed', () => {
      const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' };
      const described = { ...ssh, Description: 'bastion' };
      expect(summary(template({ G: group([ssh]) }), template({ G: group([described]) }))).to.deep.equal([
        'rule tcp 22-22 from 10.0.0.0/8: changed | Description: null → "bastion"',
      ]);
      expect(summary(template({ G: group([described]) }), template({ G: group([ssh]) }))).to.deep.equal([
        'rule tcp 22-22 from 10.0.0.0/8: changed | Description: "bastion" → null',
      ]);
    });
  });

  describe('statements written inside !If', () => {
    const connection = {
      Sid: 'UseThisConnection',
      Effect: 'Allow',
      Action: ['codeconnections:UseConnection'],
      Resource: [{ Ref: 'CodeConnectionArn' }],
    };
    const noValue = { Ref: 'AWS::NoValue' };
    const conditional = (statement: JsonObject, holds = true): JsonObject => ({
      'Fn::If': holds ? ['UseCodeConnection', statement, noValue] : ['UseCodeConnection', noValue, statement],
    });

    it('reports the statement inside, with the condition that keeps it, when it is added or removed', () => {
      const without = template({ PipelineRole: policyRole([]) });
      const withIt = template({ PipelineRole: policyRole([conditional(connection)]) });
      expect(summary(without, withIt)).to.deep.equal([
        'statement UseThisConnection (only if UseCodeConnection): added | + codeconnections:UseConnection | + on <CodeConnectionArn>',
      ]);
      expect(summary(withIt, without)).to.deep.equal([
        'statement UseThisConnection (only if UseCodeConnection): removed | - codeconnections:UseConnection | - on <CodeConnectionArn>',
      ]);
    });

    it('reports an action added inside the !If as a change of that statement', () => {
      const wider = { ...connection, Action: [...connection.Action, 'codestar-connections:UseConnection'] };
      expect(
        summary(
          template({ R: policyRole([conditional(connection)]) }),
          template({ R: policyRole([conditional(wider)]) }),
        ),
      ).to.deep.equal([
        'statement UseThisConnection (only if UseCodeConnection): changed | + codestar-connections:UseConnection',
      ]);
    });

    it('reports a statement that gains, loses or inverts its condition', () => {
      const always = template({ R: policyRole([connection]) });
      const onlyIf = template({ R: policyRole([conditional(connection)]) });
      const unless = template({ R: policyRole([conditional(connection, false)]) });
      expect(summary(always, onlyIf)).to.deep.equal([
        'statement UseThisConnection (only if UseCodeConnection): changed | Exists: (always) → UseCodeConnection',
      ]);
      expect(summary(onlyIf, always)).to.deep.equal([
        'statement UseThisConnection: changed | Exists: UseCodeConnection → (always)',
      ]);
      expect(summary(onlyIf, unless)).to.deep.equal([
        'statement UseThisConnection (only if not UseCodeConnection): changed | Exists: UseCodeConnection → not UseCodeConnection',
      ]);
    });
  });
});
