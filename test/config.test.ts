import { expect } from 'chai';
import { DEFAULT_CONFIG, parseConfig } from '../src/config.js';
import { InputError } from '../src/errors.js';

describe('config', () => {
  it('defaults project and tags', () => {
    expect(parseConfig({})).to.deep.equal(DEFAULT_CONFIG);
  });

  it('accepts a project and extra tags', () => {
    expect(parseConfig({ project: 'payments', tags: { CostCenter: 'cc-1', Owner: 'team@example.com' } })).to.deep.equal(
      {
        project: 'payments',
        tags: { CostCenter: 'cc-1', Owner: 'team@example.com' },
        deployment: { engine: 'ecs' },
      },
    );
  });

  it('accepts the CodeDeploy engine', () => {
    expect(parseConfig({ deployment: { engine: 'codedeploy' } }).deployment).to.deep.equal({ engine: 'codedeploy' });
  });

  const bad: [unknown, RegExp][] = [
    [[], /must be a JSON object/],
    [{ projekt: 'x' }, /unknown key "projekt"/],
    [{ project: '' }, /project "" must be/],
    [{ project: 'a;b' }, /project "a;b" must be/],
    [{ tags: ['a'] }, /tags must be an object/],
    [{ tags: { 'aws:x': 'v' } }, /tag key "aws:x"/],
    [{ tags: { Environment: 'v' } }, /tag key "Environment" is set by cfn-cicd/],
    [{ tags: { Owner: 7 } }, /tag "Owner" value 7/],
    [{ tags: { Owner: 'é' } }, /tag "Owner" value "é"/],
    [{ deployment: 'ecs' }, /deployment must be an object such as \{"engine": "ecs"\}/],
    [{ deployment: null }, /deployment must be an object/],
    [{ deployment: { engine: 'blue' } }, /deployment.engine "blue" must be one of "ecs", "codedeploy"/],
    [{ deployment: { engine: 'ecs', canary: 1 } }, /unknown key "deployment.canary"; allowed: "engine"/],
    [{ tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }, /11 tags given; at most 10/],
  ];
  for (const [raw, message] of bad) {
    it(`refuses ${JSON.stringify(raw).slice(0, 60)} naming the value`, () => {
      expect(() => parseConfig(raw)).to.throw(InputError, message);
    });
  }
});
