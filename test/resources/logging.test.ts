import { expect } from 'chai';
import { normalize } from '../../src/render/yaml.js';
import { STACK_KEY } from '../../src/resources/encryption.js';
import { logGroup } from '../../src/resources/logging.js';

describe('log group builder', () => {
  const key = STACK_KEY;

  it('encrypts with the key, keeps 7 days and names the group cicd-<type>-<suffix>', () => {
    const group = normalize(logGroup({ id: 'BuildLogGroup', nameType: 'build-logs', key }).resource);
    expect(group).to.deep.equal({
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        LogGroupName: { 'Fn::Sub': 'cicd-build-logs-${EnvironmentSuffix}' },
        KmsKeyId: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
        RetentionInDays: 7,
      },
    });
  });

  it('takes another retention when asked', () => {
    const group = logGroup({ id: 'G', nameType: 'x', key, retentionInDays: 30 });
    expect(normalize(group.resource)['Properties']).to.deep.include({ RetentionInDays: 30 });
  });
});
