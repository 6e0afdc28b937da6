import { expect } from 'chai';
import type { Json, JsonObject } from '../../src/model/json.js';
import { policyDocumentsOf, statementsOf } from '../../src/model/policies.js';

const read = { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('model/policies: every policy document of a resource', () => {
  const rows: [string, Json | undefined, JsonObject[]][] = [
    ['a list of statements', { Statement: [read, { ...read, Sid: 'Again' }] }, [read, { ...read, Sid: 'Again' }]],
    ['a single statement written without a list', { Statement: read }, [read]],
    ['JSON text, as ECR repository policies may be written', JSON.stringify({ Statement: [read] }), [read]],
    ['nothing in text that is not JSON', '{"Statement": [', []],
    ['nothing in a document that is not a map', [read] as Json, []],
    ['nothing when there is no document', undefined, []],
    ['only the statements that are maps', { Statement: [read, 'Allow everything'] }, [read]],
  ];
  for (const [what, document, expected] of rows) {
    it(`reads ${what}`, () => {
      expect(statementsOf(document)).to.deep.equal(expected);
    });
  }

  it('finds a role’s trust policy and each inline policy, labelled by name', () => {
    const role: JsonObject = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'x' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          { PolicyName: 'least-privilege', PolicyDocument: { Statement: [read] } },
          { PolicyName: { 'Fn::Sub': 'reads-${EnvironmentSuffix}' }, PolicyDocument: { Statement: [read] } },
          { PolicyName: { Ref: 'PolicyNameParameter' }, PolicyDocument: { Statement: [read] } },
        ],
      },
    };
    const docs = policyDocumentsOf('AppRole', role);
    expect(docs.map((d) => [d.resourceId, d.label, d.kind, d.statements.length])).to.deep.equal([
      ['AppRole', 'trust policy', 'trust', 1],
      ['AppRole', 'policy least-privilege', 'identity', 1],
      ['AppRole', 'policy reads-${EnvironmentSuffix}', 'identity', 1],
      ['AppRole', 'policy (unnamed)', 'identity', 1],
    ]);
  });

  it('finds standalone and resource policies by the row of their type', () => {
    const of = (Type: string, Properties: JsonObject) =>
      policyDocumentsOf('X', { Type, Properties }).map((d) => `${d.type} | ${d.label} | ${d.kind}`);
    const document = { Statement: [read] };
    expect(of('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'launch-1', PolicyDocument: document })).to.deep.equal([
      'AWS::IAM::ManagedPolicy | managed policy launch-1 | identity',
    ]);
    expect(of('AWS::IAM::Policy', { PolicyName: 'extra', PolicyDocument: document })).to.deep.equal([
      'AWS::IAM::Policy | policy extra | identity',
    ]);
    expect(of('AWS::KMS::Key', { KeyPolicy: document })).to.deep.equal(['AWS::KMS::Key | key policy | resource']);
    expect(of('AWS::ECR::Repository', { RepositoryPolicyText: JSON.stringify(document) })).to.deep.equal([
      'AWS::ECR::Repository | repository policy | resource',
    ]);
  });

  it('finds none where the type takes no policy or the resource sets none', () => {
    expect(policyDocumentsOf('X', { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'r' } })).to.deep.equal(
      [],
    );
    expect(
      policyDocumentsOf('X', { Type: 'AWS::SNS::Topic', Properties: { PolicyDocument: { Statement: [read] } } }),
    ).to.deep.equal([]);
    expect(policyDocumentsOf('X', { Type: 'Custom::Thing' })).to.deep.equal([]);
  });
});
