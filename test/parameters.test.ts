import { expect } from 'chai';
import { PIPELINE_PARAMETERS, SOURCE_PARAMETERS } from '../src/parameters.js';
import { renderedPipeline } from './helpers.js';

/** CloudFormation's check of a String value against a parameter's constraints. */
function admits(name: string, value: string): boolean {
  const spec = [...PIPELINE_PARAMETERS, ...SOURCE_PARAMETERS].find((p) => p.name === name);
  if (spec === undefined) throw new Error(`no parameter ${name}`);
  const d = spec.definition;
  if (d.AllowedValues !== undefined && !d.AllowedValues.map(String).includes(value)) return false;
  if (d.AllowedPattern !== undefined && !new RegExp(d.AllowedPattern).test(value)) return false;
  if (d.MinLength !== undefined && value.length < d.MinLength) return false;
  if (d.MaxLength !== undefined && value.length > d.MaxLength) return false;
  return true;
}

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:github/token-AbC123';

const ROWS: [parameter: string, good: string[], bad: string[]][] = [
  [
    'EnvironmentSuffix',
    ['dev', 'prod', 'pr-42', 'a', 'a'.repeat(16)],
    ['', 'Dev', 'dev_1', '-dev', 'dev-', 'a'.repeat(17), 'dév', 'dev;rm', 'dev env'],
  ],
  [
    'GitHubTokenSecretArn',
    [SECRET, 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:t-AbC123'],
    [
      '',
      'arn:aws:s3:::bucket',
      'arn:aws:secretsmanager:eu-west-1:12345:secret:t-AbC123',
      'arn:aws:secretsmanager:EU-WEST-1:123456789012:secret:t-AbC123',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:t',
      'arn:azure:secretsmanager:eu-west-1:123456789012:secret:t-AbC123',
    ],
  ],
  ['GitHubOwner', ['octo-org', 'a', 'A1'], ['', '-org', 'org-', 'a--b', 'a'.repeat(40), 'org/name', 'org;ls']],
  ['GitHubRepo', ['app', 'my.app_2-x'], ['', 'a/b', 'a b', 'a'.repeat(101), '$(id)']],
  ['GitHubBranch', ['main', 'release/1.2', 'feature_x'], ['', 'a b', 'main;rm', 'a'.repeat(101), 'ब्रांच']],
  [
    'NotificationEmail',
    ['', 'team@example.com', 'a.b+c@sub.example.org'],
    ['team', '@example.com', 'team@example', 'a b@example.com', 'team@example.com;'],
  ],
];

describe('parameters', () => {
  const template = renderedPipeline();
  const parameters = template['Parameters'] as Record<string, Record<string, unknown>>;
  const metadata = (template['Metadata'] as Record<string, Record<string, unknown>>)[
    'AWS::CloudFormation::Interface'
  ] as {
    ParameterGroups: { Label: { default: string }; Parameters: string[] }[];
    ParameterLabels: Record<string, { default: string }>;
  };

  it('declares the parameters the design names', () => {
    expect(Object.keys(parameters)).to.include.members(['EnvironmentSuffix', 'NotificationEmail']);
  });

  for (const [name, p] of Object.entries(renderedPipeline()['Parameters'] as Record<string, Record<string, unknown>>)) {
    it(`${name} has a constraint, a ConstraintDescription, a Description, a label and exactly one group`, () => {
      expect(p['AllowedPattern'] ?? p['AllowedValues'] ?? p['MinValue'], `${name} constraint`).to.not.equal(undefined);
      expect(p['ConstraintDescription']).to.be.a('string').and.not.equal('');
      expect(p['Description']).to.be.a('string').and.not.equal('');
      expect(metadata.ParameterLabels[name]?.default).to.be.a('string');
      expect(metadata.ParameterGroups.filter((g) => g.Parameters.includes(name))).to.have.length(1);
    });
  }

  for (const [name, good, bad] of ROWS) {
    for (const value of good)
      it(`${name} admits ${JSON.stringify(value)}`, () => expect(admits(name, value)).to.equal(true));
    for (const value of bad)
      it(`${name} refuses ${JSON.stringify(value)}`, () => expect(admits(name, value)).to.equal(false));
  }

  it('makes the e-mail subscription conditional on an address being given', () => {
    expect(template['Conditions']).to.deep.include({
      HasNotificationEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'NotificationEmail' }, ''] }] },
    });
    expect(template.Resources['NotificationEmailSubscription']?.Condition).to.equal('HasNotificationEmail');
  });
});
