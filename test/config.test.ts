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
        network: 'create',
      },
    );
  });

  it('accepts the team’s own VPC, and creates the network by default', () => {
    expect(parseConfig({ network: 'existing' }).network).to.equal('existing');
    expect(parseConfig({}).network).to.equal('create');
  });

  it('accepts the CodeDeploy engine', () => {
    expect(parseConfig({ deployment: { engine: 'codedeploy' } }).deployment).to.deep.equal({ engine: 'codedeploy' });
  });

  it('reads environments in promotion order, approval false unless given', () => {
    const config = parseConfig({ environments: [{ name: 'beta' }, { name: 'prod', approval: true }] });
    expect(config.environments).to.deep.equal([
      { name: 'beta', approval: false },
      { name: 'prod', approval: true },
    ]);
    expect(parseConfig({}).environments).to.equal(undefined);
  });

  it('reads accounts and Regions, with the pipeline home they are relative to', () => {
    const config = parseConfig({
      pipeline: { account: '111111111111', region: 'us-east-1' },
      environments: [
        { name: 'beta', account: '222222222222' },
        { name: 'prod', account: '333333333333', regions: ['us-east-1', 'eu-west-1'], approval: true },
      ],
    });
    expect(config.pipeline).to.deep.equal({ account: '111111111111', region: 'us-east-1' });
    expect(config.environments).to.deep.equal([
      { name: 'beta', approval: false, account: '222222222222' },
      { name: 'prod', approval: true, account: '333333333333', regions: ['us-east-1', 'eu-west-1'] },
    ]);
  });

  const home = { account: '111111111111', region: 'us-east-1' };
  const bad: [unknown, RegExp][] = [
    [
      { environments: [{ name: 'prod', account: '12345' }], pipeline: home },
      /environments\[0\].account "12345" must be an AWS account ID of 12 digits/,
    ],
    [
      { environments: [{ name: 'prod', account: 123456789012 }], pipeline: home },
      /account 123456789012 must be an AWS account ID/,
    ],
    [
      { environments: [{ name: 'prod', regions: ['us-east-1', 'useast2'] }], pipeline: home },
      /environments\[0\].regions\[1\] "useast2" must be a Region code/,
    ],
    [
      { environments: [{ name: 'prod', regions: ['eu-west-1', 'eu-west-1'] }], pipeline: home },
      /environments\[0\].regions lists eu-west-1 twice/,
    ],
    [
      { environments: [{ name: 'prod', regions: [] }], pipeline: home },
      /environments\[0\].regions must be a list of 1-4 Region codes/,
    ],
    [{ environments: [{ name: 'prod', regions: 'us-east-1' }], pipeline: home }, /regions must be a list of 1-4/],
    [
      { environments: [{ name: 'prod', account: '222222222222' }] },
      /environment "prod" names an account or Regions, so "pipeline" must give/,
    ],
    [{ pipeline: home }, /"pipeline" is for a promoting pipeline; give "environments" too/],
    [{ environments: [{ name: 'beta' }], pipeline: 'us-east-1' }, /pipeline must be an object such as/],
    [
      { environments: [{ name: 'beta' }], pipeline: { ...home, role: 'x' } },
      /unknown key "pipeline.role"; allowed: "account", "region"/,
    ],
    [
      { environments: [{ name: 'beta' }], pipeline: { ...home, account: '1111' } },
      /pipeline.account "1111" must be an AWS account ID of 12 digits/,
    ],
    [
      { environments: [{ name: 'beta' }], pipeline: { ...home, region: 'US-EAST-1' } },
      /pipeline.region "US-EAST-1" must be a Region code/,
    ],
    [{ environments: [] }, /environments must be a list of 1-5 objects/],
    [{ environments: { name: 'beta' } }, /environments must be a list/],
    [{ environments: Array.from({ length: 6 }, (_, i) => ({ name: `e${i}` })) }, /list of 1-5/],
    [{ environments: ['beta'] }, /environments\[0\] must be an object/],
    [{ environments: [{ name: 'Beta' }] }, /environments\[0\].name "Beta" must be 1-8 lowercase/],
    [{ environments: [{ name: 'production' }] }, /environments\[0\].name "production" must be 1-8/],
    [{ environments: [{ name: 'beta' }, { name: 'beta' }] }, /environment "beta" is listed twice/],
    [{ environments: [{ name: 'prod', approval: 'yes' }] }, /environments\[0\].approval "yes" must be true or false/],
    [
      { environments: [{ name: 'prod', region: 'x' }] },
      /unknown key "environments\[0\].region"; allowed: "name", "approval", "account", "regions"/,
    ],
    [
      { deployment: { engine: 'codedeploy' }, environments: [{ name: 'beta' }] },
      /environments need deployment.engine "ecs" \(got "codedeploy"\)/,
    ],
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
    [{ network: 'own' }, /^config: network "own" must be one of "create", "existing"$/],
    [{ network: ['existing'] }, /^config: network \["existing"\] must be one of "create", "existing"$/],
    [{ tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }, /11 tags given; at most 10/],
  ];
  for (const [raw, message] of bad) {
    it(`refuses ${JSON.stringify(raw).slice(0, 60)} naming the value`, () => {
      expect(() => parseConfig(raw)).to.throw(InputError, message);
    });
  }
});
