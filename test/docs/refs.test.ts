import { expect } from 'chai';
import { TemplateModel } from '../../src/model/template.js';
import { Readable } from '../../src/model/readable.js';
import { referencesIn } from '../../src/model/refs.js';
import type { Json, JsonObject } from '../../src/model/json.js';

describe('docs references and readable text', () => {
  const rows: [string, Json, string[]][] = [
    ['!Ref', { Ref: 'Bucket' }, ['Bucket']],
    [
      '!GetAtt list and dotted forms',
      [{ 'Fn::GetAtt': ['Role', 'Arn'] }, { 'Fn::GetAtt': 'Key.Arn' }],
      ['Role.Arn', 'Key.Arn'],
    ],
    [
      '${X} and ${X.Attr} in !Sub',
      { 'Fn::Sub': '${Bucket.Arn}/${AWS::Region}/${Env}' },
      ['Bucket.Arn', 'AWS::Region', 'Env'],
    ],
    ['a literal ${!X} is no reference', { 'Fn::Sub': 'echo ${!HOME} ${Topic}' }, ['Topic']],
    [
      '!Sub variables shadow, their values count',
      { 'Fn::Sub': ['${Name}-${Other}', { Name: { Ref: 'Project' } }] },
      ['Other', 'Project'],
    ],
  ];
  for (const [what, node, expected] of rows) {
    it(`finds ${what}`, () => {
      expect(referencesIn(node).map((r) => (r.attribute ? `${r.target}.${r.attribute}` : r.target))).to.deep.equal(
        expected,
      );
    });
  }

  it('resolves names into ARN patterns and keeps deploy-time values as <Id.Attr>', () => {
    const template: JsonObject = {
      Resources: {
        Logs: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { LogGroupName: { 'Fn::Sub': 'cicd-build-${EnvironmentSuffix}' } },
        },
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    };
    const readable = new Readable(new TemplateModel(template));
    expect(readable.text({ 'Fn::GetAtt': ['Logs', 'Arn'] })).to.equal(
      'arn:aws:logs:<region>:<account>:log-group:cicd-build-<suffix>:*',
    );
    expect(readable.text({ Ref: 'Topic' })).to.equal('arn:aws:sns:<region>:<account>:alerts');
    expect(readable.text({ 'Fn::Sub': '${Key.Arn}' })).to.equal('<Key.Arn>');
    expect(readable.text({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}' })).to.equal(
      'arn:aws:s3:::<Bucket>/${Literal}',
    );
    expect(readable.text({ 'Fn::Join': ['-', ['a', { Ref: 'GitHubRepo' }]] })).to.equal('a-<GitHubRepo>');
  });
});
