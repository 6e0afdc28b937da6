import { expect } from 'chai';
import { TemplateModel } from '../../src/model/template.js';
import { ANY_RESOURCE_ACTIONS } from '../../src/iam/any-resource.js';
import { allow, allowAnyResource, passRole, serviceRole } from '../../src/iam/policy.js';
import { getAtt, ifCondition, noValue, ref, sub } from '../../src/intrinsics.js';
import { generateDocs } from '../../src/docs/generate.js';
import { permissionsMarkdown } from '../../src/docs/permissions.js';
import type { Json, JsonObject } from '../../src/model/json.js';
import { normalize } from '../../src/render/yaml.js';
import { emitted } from './support.js';

type Statement = { Sid?: string; Action?: string | string[]; Resource?: Json; Principal?: Json };

const list = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** A statement list entry as statements: both branches of an `!If`, none for `AWS::NoValue`. */
const branches = (entry: Json | undefined): Statement[] => {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return [];
  if ('Fn::If' in entry) return list(entry['Fn::If']).slice(1).flatMap(branches);
  return 'Ref' in entry ? [] : [entry as Statement];
};
const statements = (doc: Json | undefined): Statement[] =>
  list((doc as { Statement?: Json } | undefined)?.Statement).flatMap(branches);

/** The markdown between `#### <heading>` and the next heading of level 4 or above. */
function block(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n#### ${heading}\n`);
  expect(start, `#### ${heading}`).to.be.greaterThan(-1);
  const next = markdown.slice(start + 1).search(/\n#{2,4} /);
  return markdown.slice(start, next < 0 ? undefined : start + 1 + next);
}

const roles = (resources: Record<string, JsonObject>) =>
  Object.entries(resources).filter(([, r]) => r['Type'] === 'AWS::IAM::Role');

describe('docs/permissions.md', () => {
  const markdown = generateDocs().permissions;

  for (const t of emitted()) {
    const templateSection = markdown.slice(markdown.indexOf(`\n## templates/${t.file}\n`));

    it(`templates/${t.file}: lists every action of every role statement, trust included, under the role`, () => {
      for (const [id, role] of roles(t.resources)) {
        const section = block(templateSection, id);
        const props = role['Properties'] as JsonObject;
        for (const s of statements(props['AssumeRolePolicyDocument'])) {
          for (const action of list(s.Action)) expect(section, `${id} trust`).to.include(`\`${String(action)}\``);
        }
        for (const policy of list(props['Policies']) as JsonObject[]) {
          for (const s of statements(policy['PolicyDocument'])) {
            const row = section.split('\n').find((l) => l.includes(` / ${s.Sid ?? ''} `)) ?? section;
            expect(row, `${id} ${s.Sid} row`).to.match(/^\| /);
            for (const action of list(s.Action)) expect(row, `${id} ${s.Sid}`).to.include(`\`${String(action)}\``);
          }
        }
      }
    });

    it(`templates/${t.file}: lists every statement of the key, bucket and topic policies`, () => {
      const policies: [string, string, Json | undefined][] = Object.entries(t.resources).flatMap(([id, r]) => {
        const p = (r['Properties'] ?? {}) as JsonObject;
        if (r.Type === 'AWS::KMS::Key') return [[id, 'key policy', p['KeyPolicy']]];
        if (r.Type === 'AWS::S3::BucketPolicy') return [[id, 'bucket policy', p['PolicyDocument']]];
        if (r.Type === 'AWS::SNS::TopicPolicy') return [[id, 'topic policy', p['PolicyDocument']]];
        return [];
      });
      for (const [id, label, doc] of policies) {
        const section = block(templateSection, `${id} ${label}`);
        for (const s of statements(doc)) {
          const row = section.split('\n').find((l) => l.startsWith(`| ${s.Sid ?? '#'} `)) as string;
          expect(row, `${id} ${s.Sid}`).to.be.a('string');
          for (const action of list(s.Action)) expect(row).to.include(`\`${String(action)}\``);
        }
      }
    });

    it(`templates/${t.file}: lists every statement of each standalone IAM policy`, () => {
      for (const [id, r] of Object.entries(t.resources)) {
        if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
        const start = templateSection.indexOf(`\n#### ${id} `);
        expect(start, `#### ${id}`).to.be.greaterThan(-1);
        const section = templateSection.slice(start, templateSection.indexOf('\n#### ', start + 1));
        for (const s of statements((r.Properties as JsonObject)['PolicyDocument'])) {
          const row = section.split('\n').find((l) => l.startsWith(`| ${s.Sid ?? '#'} `)) as string;
          expect(row, `${id} ${s.Sid}`).to.be.a('string');
          for (const action of list(s.Action)) expect(row).to.include(`\`${String(action)}\``);
        }
      }
    });

    it(`templates/${t.file}: gives each Resource "*" action of a role its reason from ANY_RESOURCE_ACTIONS`, () => {
      const section = templateSection.slice(templateSection.indexOf('### Actions on every resource'));
      for (const [id, role] of roles(t.resources)) {
        for (const policy of list((role['Properties'] as JsonObject)['Policies']) as JsonObject[]) {
          for (const s of statements(policy['PolicyDocument']).filter((x) => list(x.Resource).includes('*'))) {
            for (const action of list(s.Action).map(String)) {
              const row = section.split('\n').find((l) => l.includes(`\`${id}\``) && l.includes(`\`${action}\``));
              expect(row, `${id} ${action}`).to.be.a('string');
              expect(ANY_RESOURCE_ACTIONS[action], `${action} documented`).to.be.a('string');
            }
          }
        }
      }
    });
  }

  describe('on a role built with the policy helpers', () => {
    const role = serviceRole({
      id: 'ExampleRole',
      nameType: 'example-role',
      service: 'codebuild.amazonaws.com',
      description: 'example',
      sourceArn: sub(
        'arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/cicd-example-${EnvironmentSuffix}',
      ),
      statements: [
        allow('ReadArtifacts', ['s3:GetObject', 's3:GetObjectVersion'], [sub('${ArtifactBucket.Arn}/*')]),
        allow('UseKey', ['kms:Decrypt'], [getAtt('PipelineKey', 'Arn')]),
        allowAnyResource('RegistryLogin', ['ecr:GetAuthorizationToken']),
        passRole('PassTaskRole', [getAtt('ExampleRole', 'Arn')], 'ecs-tasks.amazonaws.com'),
        ifCondition(
          'UseConnection',
          allow('UseTheConnection', ['codeconnections:UseConnection'], [ref('CodeConnectionArn')]),
          noValue(),
        ),
        ifCondition('UseConnection', noValue(), allowAnyResource('DescribeTasks', ['ecs:DescribeTaskDefinition'])),
      ],
    });
    const template = normalize({
      AWSTemplateFormatVersion: '2010-09-09',
      Description: 'example',
      Resources: {
        ExampleRole: role.resource,
        ArtifactBucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: { 'Fn::Sub': 'cicd-artifacts-${EnvironmentSuffix}-${AWS::AccountId}-${AWS::Region}' },
          },
        },
        PipelineKey: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    });
    const md = permissionsMarkdown([{ file: 'example.yaml', model: new TemplateModel(template) }]);
    const row = (sid: string) => md.split('\n').find((l) => l.includes(`least-privilege / ${sid} `)) ?? '';

    it('writes resources as readable ARN patterns, resolving !Sub, !GetAtt and names', () => {
      expect(row('ReadArtifacts')).to.include('`arn:aws:s3:::cicd-artifacts-<suffix>-<account>-<region>/*`');
      expect(row('UseKey')).to.include('`<PipelineKey.Arn>`');
      expect(row('PassTaskRole')).to.include('`arn:aws:iam::<account>:role/cicd-example-role-<suffix>`');
      expect(row('PassTaskRole')).to.include('`iam:PassedToService` StringEquals `ecs-tasks.amazonaws.com`');
    });

    it('states the trust principal and its conditions', () => {
      expect(md).to.include(
        '- Allow: service `codebuild.amazonaws.com` may `sts:AssumeRole`, when `aws:SourceAccount` StringEquals `<account>` and `aws:SourceArn` ArnLike `arn:aws:codebuild:<region>:<account>:project/cicd-example-<suffix>`',
      );
    });

    it('says when a statement written inside !If exists, in each table it appears in', () => {
      expect(row('UseTheConnection')).to.match(
        /`codeconnections:UseConnection` *\| `<CodeConnectionArn>` *\| only if `UseConnection` *\|$/,
      );
      expect(row('DescribeTasks')).to.match(/\| only if not `UseConnection` *\|$/);
      expect(md).to.match(
        /\| `ExampleRole` *\| DescribeTasks<br>only if not `UseConnection` *\| `ecs:DescribeTaskDefinition` /,
      );
      const conditionalTrust = structuredClone(template) as JsonObject;
      const trust = (
        (conditionalTrust['Resources'] as JsonObject)['ExampleRole'] as {
          Properties: { AssumeRolePolicyDocument: { Statement: Json[] } };
        }
      ).Properties.AssumeRolePolicyDocument;
      trust.Statement = [
        {
          'Fn::If': [
            'AllowEcs',
            { Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' },
            { Ref: 'AWS::NoValue' },
          ],
        },
      ];
      expect(permissionsMarkdown([{ file: 'x.yaml', model: new TemplateModel(conditionalTrust) }])).to.include(
        '- Allow: service `ecs.amazonaws.com` may `sts:AssumeRole`, only if `AllowEcs`\n',
      );
    });

    it('shows the pipeline role’s CodeConnections statement with the condition that keeps it', () => {
      const pipelineRole = block(markdown, 'PipelineRole');
      expect(pipelineRole).to.match(
        /\| least-privilege \/ UseThisConnection +\| Allow +\| .*\| only if `UseCodeConnection` +\|\n/,
      );
      expect(pipelineRole).to.not.include('undefined');
    });

    it('explains each action on "*" and flags one without a documented reason', () => {
      const login = md
        .split('\n')
        .find((l) => l.startsWith('| `ExampleRole`') && l.includes('`ecr:GetAuthorizationToken`'));
      expect(login).to.include(`| ${ANY_RESOURCE_ACTIONS['ecr:GetAuthorizationToken']} `);
      const undocumented = structuredClone(template) as JsonObject;
      const doc = (
        (undocumented['Resources'] as JsonObject)['ExampleRole'] as {
          Properties: { Policies: { PolicyDocument: { Statement: JsonObject[] } }[] };
        }
      ).Properties.Policies[0]?.PolicyDocument;
      doc?.Statement.push({ Sid: 'Wide', Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: '*' });
      expect(permissionsMarkdown([{ file: 'x.yaml', model: new TemplateModel(undocumented) }])).to.match(
        /`s3:ListAllMyBuckets` *\| \*\*not in ANY_RESOURCE_ACTIONS/,
      );
    });
  });
  describe('on statement forms the emitted templates do not use yet', () => {
    const bucketArn = 'arn:aws:s3:::public-site/*';
    const body: JsonObject = {
      Description: 'forms',
      Resources: {
        // A role without a name, with a boundary and a managed policy; statements without a Sid.
        PlainRole: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { Federated: 'cognito-identity.amazonaws.com' },
                  Action: 'sts:AssumeRoleWithWebIdentity',
                },
              ],
            },
            PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
            ManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
            Policies: [
              {
                PolicyName: 'guard',
                PolicyDocument: {
                  Statement: [
                    { Effect: 'Deny', NotAction: ['s3:GetObject'], Resource: bucketArn },
                    { Effect: 'Deny', Action: 's3:*', NotResource: [bucketArn, 'arn:aws:s3:::public-site'] },
                  ],
                },
              },
            ],
          },
        },
        SitePolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: 'public-site',
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: bucketArn },
                {
                  Effect: 'Allow',
                  Principal: { CanonicalUser: 'abc123' },
                  Action: 's3:GetObject',
                  Resource: bucketArn,
                },
              ],
            },
          },
        },
      },
    };
    const md = permissionsMarkdown([{ file: 'forms.yaml', model: new TemplateModel(body) }]);
    const role = block(md, 'PlainRole');
    const site = block(md, 'SitePolicy bucket policy');

    it('states a role’s generated name, boundary, managed policies and a trust of another principal kind', () => {
      expect(role).to.include(
        'Name generated by CloudFormation. Used by no resource in this template. Managed policies: `arn:aws:iam::aws:policy/ReadOnlyAccess`. Permissions boundary `arn:aws:iam::aws:policy/PowerUserAccess`.',
      );
      expect(role).to.include(
        '- Allow: federated `cognito-identity.amazonaws.com` may `sts:AssumeRoleWithWebIdentity`\n',
      );
    });

    it('numbers statements without a Sid and reads NotAction and NotResource as "all except"', () => {
      expect(role).to.match(
        /\| guard \/ #1 +\| Deny +\| all except<br>`s3:GetObject` +\| `arn:aws:s3:::public-site\/\*` +\|/,
      );
      expect(role).to.match(
        /\| guard \/ #2 +\| Deny +\| `s3:\*` +\| all except<br>`arn:aws:s3:::public-site\/\*`<br>`arn:aws:s3:::public-site` +\|/,
      );
    });

    it('calls the "*" principal anyone, and names other principal kinds', () => {
      expect(site).to.match(/\| #1 +\| Allow +\| anyone \(`\*`\) +\| `s3:GetObject` /);
      expect(site).to.match(/\| #2 +\| Allow +\| canonical user `abc123` +\| `s3:GetObject` /);
    });

    it('says when a template has no roles and grants nothing on "*"', () => {
      const policyOnly: JsonObject = {
        Resources: { SitePolicy: (body['Resources'] as JsonObject)['SitePolicy'] as JsonObject },
      };
      const only = permissionsMarkdown([{ file: 'site.yaml', model: new TemplateModel(policyOnly) }]);
      expect(only).to.include('### Roles (0)\n\nNo IAM roles in this template.\n');
      expect(only).to.include('### Actions on every resource (`Resource: "*"`)\n\nNone.\n');
      expect(only).to.include('### Resource policies (1)\n');
    });
  });
});
