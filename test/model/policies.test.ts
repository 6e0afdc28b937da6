import { expect } from 'chai';
import type { Json, JsonObject } from '../../src/model/json.js';
import { onlyIfText, policyDocumentsOf, statementsOf } from '../../src/model/policies.js';

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
      expect(statementsOf(document)).to.deep.equal(expected.map((body) => ({ body, onlyIf: [] })));
    });
  }

  describe('statements written inside !If', () => {
    const write = { ...read, Sid: 'Write', Action: 's3:PutObject' };
    const noValue = { Ref: 'AWS::NoValue' };
    const shown = (document: Json) =>
      statementsOf(document).map((s) => `${String(s.body['Sid'])} ${onlyIfText(s.onlyIf) || 'always'}`);

    it('reads a statement kept only when a condition holds, dropping the AWS::NoValue branch', () => {
      expect(statementsOf({ Statement: [read, { 'Fn::If': ['UseConnection', write, noValue] }] })).to.deep.equal([
        { body: read, onlyIf: [] },
        { body: write, onlyIf: [{ condition: 'UseConnection', holds: true }] },
      ]);
      expect(shown({ Statement: [{ 'Fn::If': ['UseWebhook', noValue, write] }] })).to.deep.equal([
        'Write not UseWebhook',
      ]);
    });

    it('reads both branches of a choice between two statements, and a choice nested in a branch', () => {
      expect(shown({ Statement: { 'Fn::If': ['Prod', read, write] } })).to.deep.equal(['Read Prod', 'Write not Prod']);
      expect(shown({ Statement: [{ 'Fn::If': ['Prod', { 'Fn::If': ['Eu', read, noValue] }, write] }] })).to.deep.equal([
        'Read Prod and Eu',
        'Write not Prod',
      ]);
    });

    it('reads a bare AWS::NoValue and a branch left out as no statement', () => {
      expect(statementsOf({ Statement: [noValue, { 'Fn::If': ['Prod', read] }] })).to.deep.equal([
        { body: read, onlyIf: [{ condition: 'Prod', holds: true }] },
      ]);
    });

    it('writes the conditions with the names formatted by the caller', () => {
      const tests = [
        { condition: 'Prod', holds: true },
        { condition: 'Eu', holds: false },
      ];
      expect(onlyIfText(tests, (name) => `<${name}>`)).to.equal('<Prod> and not <Eu>');
      expect(onlyIfText([])).to.equal('');
    });
  });

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
