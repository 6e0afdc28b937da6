// Good and bad values for every parameter live in test/fixtures/parameter-values.ts, which drives
// the pre-flight, CLI and deploy tests; this file checks the declarations themselves.
import { expect } from 'chai';
import { renderedPipeline } from './helpers.js';

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
    expect(Object.keys(parameters)).to.include.members([
      'EnvironmentSuffix',
      'GitHubTokenSecretArn',
      'GitHubOwner',
      'GitHubRepo',
      'GitHubBranch',
      'NotificationEmail',
      'ContainerName',
      'ContainerPort',
      'HealthCheckPath',
      'DesiredCount',
      'DeploymentStrategy',
      'ScanSeverityThreshold',
      'Image',
    ]);
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

  it('makes the e-mail subscription conditional on an address being given', () => {
    expect(template['Conditions']).to.deep.include({
      HasNotificationEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'NotificationEmail' }, ''] }] },
    });
    expect(template.Resources['NotificationEmailSubscription']?.Condition).to.equal('HasNotificationEmail');
  });
});
