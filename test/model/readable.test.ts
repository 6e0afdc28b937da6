import { expect } from 'chai';
import type { Json, JsonObject } from '../../src/model/json.js';
import { Readable } from '../../src/model/readable.js';
import { TemplateModel } from '../../src/model/template.js';

const template: JsonObject = {
  Resources: {
    Logs: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: { 'Fn::Sub': 'cicd-build-${EnvironmentSuffix}' } },
    },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    // Two buckets named after each other: a broken template, read without running away.
    Ping: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': '${Pong}' } } },
    Pong: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': '${Ping}' } } },
    Unnamed: { Type: 'AWS::S3::Bucket' },
  },
};
const readable = new Readable(new TemplateModel(template));

describe('model/readable: intrinsics as a reviewer reads them', () => {
  it('resolves names into ARN patterns and keeps deploy-time values as <Id.Attr>', () => {
    expect(readable.text({ 'Fn::GetAtt': ['Logs', 'Arn'] })).to.equal(
      'arn:aws:logs:<region>:<account>:log-group:cicd-build-<suffix>:*',
    );
    expect(readable.text({ Ref: 'Topic' })).to.equal('arn:aws:sns:<region>:<account>:alerts');
    expect(readable.text({ 'Fn::Sub': '${Key.Arn}' })).to.equal('<Key.Arn>');
    expect(readable.text({ 'Fn::GetAtt': ['Topic', 'NoSuchAttribute'] })).to.equal('<Topic.NoSuchAttribute>');
    expect(readable.text({ 'Fn::GetAtt': ['Unnamed', 'Arn'] })).to.equal('<Unnamed.Arn>');
    expect(readable.text({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}' })).to.equal(
      'arn:aws:s3:::<Bucket>/${Literal}',
    );
    expect(readable.text({ 'Fn::Join': ['-', ['a', { Ref: 'GitHubRepo' }]] })).to.equal('a-<GitHubRepo>');
  });

  it('stops following names that refer to each other', () => {
    const text = readable.text({ Ref: 'Ping' });
    expect(text).to.match(/^(<Ping>|<Pong>)$/);
  });

  const rows: [string, Json | undefined, string][] = [
    ['nothing as empty text', undefined, ''],
    ['null as empty text', null, ''],
    ['a number as itself', 80, '80'],
    ['a list item by item', ['a', { Ref: 'AWS::Region' }], 'a, <region>'],
    ['!Sub variables from its own map', { 'Fn::Sub': ['${Name}-${AWS::AccountId}', { Name: 'app' }] }, 'app-<account>'],
    [
      '!If as both branches, AWS::NoValue as (none)',
      { 'Fn::If': ['HasEmail', { Ref: 'NotificationEmail' }, { Ref: 'AWS::NoValue' }] },
      '<NotificationEmail> if HasEmail, else (none)',
    ],
    ['a function it does not read as its JSON', { 'Fn::Select': [0, ['a']] }, '{"Fn::Select":[0,["a"]]}'],
    ['a map of several keys as its JSON', { Key: 'k', Value: 'v' }, '{"Key":"k","Value":"v"}'],
    ['a !Ref to a non-name as its JSON', { Ref: ['Topic'] }, '{"Ref":["Topic"]}'],
    ['a malformed !GetAtt as its JSON', { 'Fn::GetAtt': ['Topic'] }, '{"Fn::GetAtt":["Topic"]}'],
    ['a malformed !Join as its JSON', { 'Fn::Join': ['-', 'a'] }, '{"Fn::Join":["-","a"]}'],
    ['a malformed !If as its JSON', { 'Fn::If': 'HasEmail' }, '{"Fn::If":"HasEmail"}'],
    ['a !Sub without text as its JSON', { 'Fn::Sub': [{ Ref: 'X' }] }, '{"Fn::Sub":[{"Ref":"X"}]}'],
  ];
  for (const [what, value, expected] of rows) {
    it(`reads ${what}`, () => {
      expect(readable.text(value)).to.equal(expected);
    });
  }
});
