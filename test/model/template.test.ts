import { expect } from 'chai';
import { InputError } from '../../src/errors.js';
import type { JsonObject } from '../../src/model/json.js';
import { canonical, parseTemplate, TemplateModel, templateFromBody } from '../../src/model/template.js';

const role = (RoleName: unknown, principal: unknown): JsonObject =>
  ({
    Type: 'AWS::IAM::Role',
    Properties: {
      ...(RoleName !== undefined && { RoleName }),
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] },
    },
  }) as JsonObject;

describe('model/template: one model of a template', () => {
  describe('sections', () => {
    it('reads an absent section as empty', () => {
      const model = new TemplateModel({ Resources: { T: { Type: 'AWS::SNS::Topic' } } });
      expect(model.section('Outputs')).to.deep.equal({});
      expect(model.parameters()).to.deep.equal({});
      expect(model.types()).to.deep.equal(['AWS::SNS::Topic']);
    });

    it('reads `Parameters:` with nothing under it as no parameters, and refuses one that is not a mapping', () => {
      expect(parseTemplate('Parameters:\nResources: {}\n', 't.yaml').parameters()).to.deep.equal({});
      expect(() => parseTemplate('Parameters: [A]\nResources: {}\n', 't.yaml').parameters()).to.throw(
        InputError,
        /^the template’s Parameters section is not a mapping$/,
      );
    });

    it('skips a resource that is not a mapping', () => {
      const model = new TemplateModel({ Resources: { A: { Type: 'AWS::SNS::Topic' }, B: 'nonsense' } });
      expect(model.resources().map(([id]) => id)).to.deep.equal(['A']);
    });
  });

  describe('assumed roles', () => {
    it('lists each named role with the one service that assumes it, the suffix as *', () => {
      const model = new TemplateModel({
        Resources: {
          Named: role({ 'Fn::Sub': 'cicd-build-${EnvironmentSuffix}' }, { Service: 'codebuild.amazonaws.com' }),
          Literal: role('fixed-name', { Service: 'ecs-tasks.amazonaws.com' }),
          Generated: role(undefined, { Service: 'codebuild.amazonaws.com' }),
          TwoServices: role('two', { Service: ['a.amazonaws.com', 'b.amazonaws.com'] }),
          Account: role('account', { AWS: 'arn:aws:iam::123456789012:root' }),
          Everyone: role('everyone', '*'),
        },
      });
      expect(model.assumedRoles()).to.deep.equal([
        { namePattern: 'cicd-build-*', service: 'codebuild.amazonaws.com' },
        { namePattern: 'fixed-name', service: 'ecs-tasks.amazonaws.com' },
      ]);
    });
  });

  describe('template bodies', () => {
    it('reads YAML text, JSON text and an already parsed object alike, GetAtt strings included', () => {
      const yaml = templateFromBody(
        'Resources:\n  A:\n    Type: X\n    Properties:\n      P: !GetAtt B.Arn\n',
        's',
      ).body;
      const json = templateFromBody(
        '{"Resources":{"A":{"Type":"X","Properties":{"P":{"Fn::GetAtt":"B.Arn"}}}}}',
        's',
      ).body;
      const object = templateFromBody(
        { Resources: { A: { Type: 'X', Properties: { P: { 'Fn::GetAtt': ['B', 'Arn'] } } } } },
        's',
      ).body;
      expect(yaml).to.deep.equal(object);
      expect(json).to.deep.equal(object);
      expect(canonical({ 'Fn::GetAtt': 'B.Arn' })).to.deep.equal({ 'Fn::GetAtt': ['B', 'Arn'] });
    });

    it('keeps a GetAtt string it cannot split as written', () => {
      expect(canonical({ 'Fn::GetAtt': 'NoAttribute' })).to.deep.equal({ 'Fn::GetAtt': 'NoAttribute' });
      expect(canonical({ 'Fn::GetAtt': '.Arn' })).to.deep.equal({ 'Fn::GetAtt': '.Arn' });
    });

    it('refuses text that is not a template with one line naming the source', () => {
      expect(() => templateFromBody('- a list', '--against x.yaml')).to.throw(
        InputError,
        /^--against x\.yaml: not a CloudFormation template/,
      );
      expect(() => templateFromBody('a: [', '--against x.yaml')).to.throw(InputError, /^[^\n]+$/);
      expect(() => templateFromBody({ Parameters: {} }, '--stack s')).to.throw(
        InputError,
        /^--stack s: .*no Resources/,
      );
      expect(() => templateFromBody(['Resources'], '--stack s')).to.throw(InputError, /^--stack s: .*no Resources/);
      expect(() => parseTemplate('Resources: [A]\n', 't.yaml')).to.throw(InputError, /^t\.yaml: .*no Resources/);
    });
  });
});
