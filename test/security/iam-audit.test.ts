import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANY_RESOURCE_ACTIONS } from '../../src/iam/any-resource.js';
import { BOOTSTRAP_STACKSET_TEMPLATE_FILE } from '../../src/naming.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import type { CfnTemplate } from '../helpers.js';
import { iamViolations, policyDocuments, TRUST_CONDITION_KEYS } from './iam-rules.js';
import { emittedTemplates } from '../helpers.js';

// Resource types that always carry a policy document the audit must find.
const POLICY_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::KMS::Key',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SecretsManager::ResourcePolicy',
]);

const ACCOUNT = { 'Fn::Sub': '${AWS::AccountId}' };
const TOOLS_ROOT = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::111111111111:root' };
const toolsRole = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::111111111111:role/${name}` });
const template = (resources: Record<string, { Type: string; Properties: object }>) =>
  ({ Resources: resources }) as unknown as CfnTemplate;
const role = (statements: object[], trust?: object[]) =>
  template({
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: trust ?? [
            {
              Effect: 'Allow',
              Principal: { Service: 'codepipeline.amazonaws.com' },
              Action: ['sts:AssumeRole'],
              Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
            },
          ],
        },
        Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    },
  });
const trust = (principal: object, condition: object) => [
  { Effect: 'Allow', Principal: principal, Action: ['sts:AssumeRole'], Condition: condition },
];
const resourcePolicy = (type: string, property: string, statements: object[]) =>
  template({ Policy: { Type: type, Properties: { [property]: { Version: '2012-10-17', Statement: statements } } } });
const bucketArn = { 'Fn::GetAtt': ['Bucket', 'Arn'] };
const roleArn = { 'Fn::GetAtt': ['TaskRole', 'Arn'] };
const tlsGuard = {
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: ['s3:*'],
  Resource: [bucketArn],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

// (what, template, the violation expected, or null for a template that keeps every rule)
const CASES: [string, CfnTemplate, RegExp | null][] = [
  ['a least-privilege role', role([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [bucketArn] }]), null],
  ['a service wildcard', role([{ Effect: 'Allow', Action: ['s3:*'], Resource: [bucketArn] }]), /wildcard action/],
  ['a partial wildcard', role([{ Effect: 'Allow', Action: ['s3:Get*'], Resource: [bucketArn] }]), /wildcard action/],
  ['every action', role([{ Effect: 'Allow', Action: '*', Resource: [bucketArn] }]), /wildcard action/],
  ['Allow with NotAction', role([{ Effect: 'Allow', NotAction: ['iam:*'], Resource: [bucketArn] }]), /NotAction/],
  [
    'Resource "*" for an action that takes an ARN',
    role([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }]),
    /Resource "\*" for s3:GetObject/,
  ],
  [
    'Resource "*" for a documented account-wide action',
    role([{ Effect: 'Allow', Action: Object.keys(ANY_RESOURCE_ACTIONS), Resource: '*' }]),
    null,
  ],
  [
    'iam:PassRole to any role',
    role([
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*' }],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
    ]),
    /iam:PassRole without explicit role ARNs/,
  ],
  [
    'iam:PassRole to any service',
    role([{ Effect: 'Allow', Action: ['iam:PassRole'], Resource: [roleArn] }]),
    /without an iam:PassedToService condition/,
  ],
  [
    'iam:PassRole pinned to roles and a service',
    role([
      {
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [roleArn],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
    ]),
    null,
  ],
  [
    'a trust policy for two services',
    role([], trust({ Service: ['codebuild.amazonaws.com', 'codepipeline.amazonaws.com'] }, {})),
    /exactly one service principal or one account/,
  ],
  [
    'a trust policy for an account, by its ID',
    role([], trust({ AWS: ACCOUNT }, { StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
    /an AWS principal must be an account root/,
  ],
  [
    'a trust policy for an account root without aws:PrincipalArn',
    role([], trust({ AWS: TOOLS_ROOT }, {})),
    /an account principal without ArnEquals aws:PrincipalArn/,
  ],
  [
    'a trust policy for an account root, narrowed to one of its roles',
    role([], trust({ AWS: TOOLS_ROOT }, { ArnEquals: { 'aws:PrincipalArn': [toolsRole('cicd-pipeline-role-x')] } })),
    null,
  ],
  [
    'a trust policy for an account root, narrowed to a pattern of roles',
    role([], trust({ AWS: TOOLS_ROOT }, { ArnLike: { 'aws:PrincipalArn': [toolsRole('cicd-*')] } })),
    /without ArnEquals aws:PrincipalArn/,
  ],
  [
    'a trust policy for an account root, narrowed to a wildcard ARN',
    role([], trust({ AWS: TOOLS_ROOT }, { ArnEquals: { 'aws:PrincipalArn': [toolsRole('cicd-*')] } })),
    /is not an exact role of account 111111111111/,
  ],
  [
    "a trust policy for an account root, narrowed to another account's role",
    role(
      [],
      trust(
        { AWS: TOOLS_ROOT },
        { ArnEquals: { 'aws:PrincipalArn': [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::222222222222:role/x' }] } },
      ),
    ),
    /is not an exact role of account 111111111111/,
  ],
  [
    'a trust policy for everyone',
    role([], trust({ AWS: '*' }, { ArnEquals: { 'aws:PrincipalArn': [toolsRole('x')] } })),
    /an AWS principal must be an account root, not \*/,
  ],
  [
    'a trust policy without aws:SourceAccount',
    role([], trust({ Service: 'codepipeline.amazonaws.com' }, {})),
    /no aws:SourceAccount/,
  ],
  [
    'a CodeBuild trust policy without aws:SourceArn',
    role([], trust({ Service: 'codebuild.amazonaws.com' }, { StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
    /no aws:SourceArn condition; codebuild\.amazonaws\.com supports it/,
  ],
  [
    'a CodeBuild trust policy with both keys',
    role(
      [],
      trust(
        { Service: 'codebuild.amazonaws.com' },
        {
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Sub': 'arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/x',
            },
          },
        },
      ),
    ),
    null,
  ],
  [
    'a service nobody documented',
    role([], trust({ Service: 'glue.amazonaws.com' }, { StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
    /not in TRUST_CONDITION_KEYS/,
  ],
  [
    'an AWS managed policy',
    template({
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      },
    }),
    /ManagedPolicyArns names "arn:aws:iam::aws:policy\/AdministratorAccess"/,
  ],
  [
    'a customer-managed policy of this template, attached by Ref',
    template({
      Role: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ Ref: 'Policy' }] } },
      Policy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [bucketArn] }],
          },
        },
      },
    }),
    null,
  ],
  [
    'a wildcard in a customer-managed policy',
    template({
      Policy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['s3:*'], Resource: [bucketArn] }],
          },
        },
      },
    }),
    /wildcard action/,
  ],
  [
    'the TLS-only guard in a bucket policy',
    resourcePolicy('AWS::S3::BucketPolicy', 'PolicyDocument', [tlsGuard]),
    null,
  ],
  [
    'a wildcard Deny that is not the TLS guard',
    resourcePolicy('AWS::S3::BucketPolicy', 'PolicyDocument', [{ ...tlsGuard, Condition: undefined }]),
    /not the TLS-only guard/,
  ],
  [
    'a bucket policy allowing Resource "*"',
    resourcePolicy('AWS::S3::BucketPolicy', 'PolicyDocument', [
      { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: ['s3:PutObject'], Resource: '*' },
    ]),
    /resource policy allows Resource "\*"/,
  ],
  [
    'a topic open to everyone',
    resourcePolicy('AWS::SNS::TopicPolicy', 'PolicyDocument', [
      { Effect: 'Allow', Principal: '*', Action: ['sns:Publish'], Resource: [{ Ref: 'Topic' }] },
    ]),
    /allows Principal "\*"/,
  ],
  [
    'a key policy statement on Resource "*" (the key itself)',
    resourcePolicy('AWS::KMS::Key', 'KeyPolicy', [
      { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['kms:DescribeKey'], Resource: '*' },
    ]),
    null,
  ],
  [
    'an endpoint policy admitting any account',
    resourcePolicy('AWS::EC2::VPCEndpoint', 'PolicyDocument', [
      { Effect: 'Allow', Principal: '*', Action: ['logs:PutLogEvents'], Resource: [{ 'Fn::Sub': '${Logs.Arn}' }] },
    ]),
    /endpoint policy admits principals of other accounts/,
  ],
  [
    'an endpoint policy of this account on Resource "*" for an action that takes an ARN',
    resourcePolicy('AWS::EC2::VPCEndpoint', 'PolicyDocument', [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['ecr:BatchGetImage'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': { 'Fn::Sub': '${AWS::AccountId}' } } },
      },
    ]),
    /Resource "\*" for ecr:BatchGetImage, not in ANY_RESOURCE_ACTIONS/,
  ],
  [
    'the S3 gateway endpoint policy of the ECR User Guide: anyone, the Region’s ECR layer bucket only',
    resourcePolicy('AWS::EC2::VPCEndpoint', 'PolicyDocument', [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*' }],
      },
    ]),
    null,
  ],
  [
    'an ECR repository policy given as JSON text with a wildcard',
    template({
      Repo: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          RepositoryPolicyText: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'ecr:*' }],
          }),
        },
      },
    }),
    /wildcard action/,
  ],
];

describe('security/iam-audit', () => {
  describe('ANY_RESOURCE_ACTIONS (the documented `*` list)', () => {
    for (const [action, reason] of Object.entries(ANY_RESOURCE_ACTIONS)) {
      it(`${action}: has a reason and names one action`, () => {
        expect(reason.trim()).to.not.equal('');
        expect(action).to.match(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      });
    }

    it('is the `*` list docs/SECURITY.md shows: every action there, and no other', () => {
      const security = readFileSync(join(PACKAGE_ROOT, 'docs', 'SECURITY.md'), 'utf8');
      const section = security.split(/^## /m).find((s) => s.startsWith('The `*` list')) ?? '';
      const listed = [...section.matchAll(/^\|\s*`([a-z0-9-]+:[A-Za-z0-9]+)`\s*\|/gm)].map((m) => m[1] as string);
      expect(
        Object.keys(ANY_RESOURCE_ACTIONS).filter((a) => !listed.includes(a)),
        'missing from SECURITY.md',
      ).to.deep.equal([]);
      expect(
        listed.filter((a) => !(a in ANY_RESOURCE_ACTIONS)),
        'in SECURITY.md but not in the table',
      ).to.deep.equal([]);
    });
  });

  describe('TRUST_CONDITION_KEYS', () => {
    for (const [service, row] of Object.entries(TRUST_CONDITION_KEYS)) {
      it(`${service}: cites the AWS documentation and says what aws:SourceArn holds`, () => {
        expect(row.reference).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
        expect(row.sourceArnValue.trim()).to.not.equal('');
      });
    }
  });

  describe('the rules, on small examples', () => {
    for (const [what, example, expected] of CASES) {
      it(`${expected === null ? 'accepts' : 'rejects'} ${what}`, () => {
        const violations = iamViolations(example);
        if (expected === null) expect(violations).to.deep.equal([]);
        else
          expect(
            violations.filter((v) => expected.test(v)),
            violations.join('\n'),
          ).to.have.length.greaterThan(0);
      });
    }
  });

  for (const { file, template: emitted } of emittedTemplates()) {
    describe(file, () => {
      it('finds the policy document of every resource that carries one', () => {
        const holders = new Set(policyDocuments(emitted).map((d) => d.resource));
        const expected = Object.entries(emitted.Resources).filter(([, r]) => POLICY_TYPES.has(r.Type));
        // The StackSets hold the bootstrap as text; that template is audited as its own file.
        if (!file.endsWith(BOOTSTRAP_STACKSET_TEMPLATE_FILE)) {
          expect(expected.length, 'resources with policies').to.be.greaterThan(0);
        }
        expect(expected.map(([id]) => id).filter((id) => !holders.has(id))).to.deep.equal([]);
      });

      it('finds a trust policy on every role', () => {
        const trusted = policyDocuments(emitted)
          .filter((d) => d.kind === 'trust')
          .map((d) => d.resource);
        const roles = Object.entries(emitted.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
        expect(trusted.sort()).to.deep.equal(roles.map(([id]) => id).sort());
      });

      it('keeps every IAM rule: no wildcard action, `*` only where documented, no AWS managed policy, PassRole pinned, trust pinned', () => {
        expect(iamViolations(emitted)).to.deep.equal([]);
      });
    });
  }
});
