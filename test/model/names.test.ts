import { expect } from 'chai';
import type { JsonObject } from '../../src/model/json.js';
import { namePattern, nameValue } from '../../src/model/names.js';

const resource = (Type: string, Properties: JsonObject = {}): JsonObject => ({ Type, Properties });

describe('model/names: physical names as the template writes them', () => {
  it('reads the name property of the type’s row, as !Sub text or literal', () => {
    const sub = { 'Fn::Sub': 'cicd-app-${EnvironmentSuffix}' };
    expect(nameValue(resource('AWS::ECR::Repository', { RepositoryName: sub }))).to.deep.equal(sub);
    expect(namePattern(resource('AWS::ECR::Repository', { RepositoryName: sub }))).to.equal(
      'cicd-app-${EnvironmentSuffix}',
    );
    expect(namePattern(resource('AWS::SNS::Topic', { TopicName: 'alerts', DisplayName: 'Alerts' }))).to.equal('alerts');
  });

  it('has no name where AWS generates it: no name property in the row, the property unset, or no row', () => {
    expect(nameValue(resource('AWS::KMS::Key', { Description: 'k' }))).to.equal(undefined);
    expect(namePattern(resource('AWS::SNS::Topic', { DisplayName: 'Alerts' }))).to.equal(undefined);
    expect(nameValue(resource('Custom::Thing', { ThingName: 'x' }))).to.equal(undefined);
  });
});
