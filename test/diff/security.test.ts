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
const template = (resources: JsonObject): TemplateModel => new TemplateModel({ Resources: resources });
const summary = (before: TemplateModel, after: TemplateModel) =>
  securityChanges(before, after).map((c) => [`${c.subject}: ${c.change}`, ...c.details].join(' | '));

describe('diff/security', () => {
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
