import { expect } from 'chai';
import { allow, allowAnyResource, passRole, serviceRole, trustPolicy } from '../../src/iam/policy.js';
import { normalize } from '../../src/render/yaml.js';

describe('iam/policy: statement builders', () => {
  it('refuses an Allow statement with no resource, naming it', () => {
    expect(() => allow('ReadNothing', ['s3:GetObject'], [])).to.throw(
      /^statement ReadNothing: name at least one resource$/,
    );
  });

  it('allows "*" only for documented actions, naming every other one', () => {
    expect(allowAnyResource('Login', ['ecr:GetAuthorizationToken'])).to.deep.equal({
      Sid: 'Login',
      Effect: 'Allow',
      Action: ['ecr:GetAuthorizationToken'],
      Resource: '*',
    });
    expect(() => allowAnyResource('Wide', ['ecr:GetAuthorizationToken', 's3:GetObject', 'iam:PassRole'])).to.throw(
      /^statement Wide: s3:GetObject, iam:PassRole not in ANY_RESOURCE_ACTIONS; scope it to an ARN$/,
    );
  });

  it('pins iam:PassRole to one service', () => {
    expect(
      passRole('Pass', ['arn:aws:iam::111122223333:role/task'], 'ecs-tasks.amazonaws.com').Condition,
    ).to.deep.equal({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
  });

  it('matches the confused-deputy keys with IfExists only when the service may not send them', () => {
    const strict = normalize(trustPolicy({ service: 'codebuild.amazonaws.com', sourceArn: 'arn:aws:codebuild:*' }));
    const lenient = normalize(trustPolicy({ service: 'codepipeline.amazonaws.com', confusedDeputyKeysOptional: true }));
    expect(Object.keys((strict['Statement'] as { Condition: object }[])[0]?.Condition ?? {})).to.deep.equal([
      'StringEquals',
      'ArnLike',
    ]);
    expect(Object.keys((lenient['Statement'] as { Condition: object }[])[0]?.Condition ?? {})).to.deep.equal([
      'StringEqualsIfExists',
    ]);
  });

  it('gives a role with nothing to do no policy at all (IAM refuses an empty one)', () => {
    const role = serviceRole({
      id: 'Idle',
      nameType: 'idle',
      service: 'ecs-tasks.amazonaws.com',
      description: 'idle',
      statements: [],
    });
    expect(normalize(role.resource)['Properties']).to.not.have.property('Policies');
  });
});
