import { expect } from 'chai';
import { aws, awsJson, connectionArgs } from '../../src/tools/aws.js';
import type { Moto } from '../moto.js';
import { startMoto } from '../moto.js';

describe('tools/aws (the pinned AWS CLI against a local moto server)', () => {
  let moto: Moto;
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto.stop();
  });

  it('passes region, profile and endpoint as global flags', () => {
    expect(connectionArgs({ region: 'eu-west-1', profile: 'ops', endpointUrl: 'http://127.0.0.1:1' })).to.deep.equal([
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
      '--endpoint-url',
      'http://127.0.0.1:1',
    ]);
    expect(connectionArgs({})).to.deep.equal([]);
  });

  it('talks to the emulator and parses JSON answers', async () => {
    await awsJson(['s3api', 'create-bucket', '--bucket', 'cfn-cicd-aws-test'], moto.connection);
    const listed = await awsJson<{ Buckets: { Name: string }[] }>(['s3api', 'list-buckets'], moto.connection);
    expect(listed.Buckets.map((b) => b.Name)).to.include('cfn-cicd-aws-test');
  });

  it('reports a failing call with the CLI’s error line', async () => {
    const failed = await aws(['s3api', 'head-bucket', '--bucket', 'no-such-bucket-here'], moto.connection);
    expect(failed.exitCode).to.not.equal(0);
    await awsJson(['cloudformation', 'describe-stacks', '--stack-name', 'nope'], moto.connection).then(
      () => expect.fail('should throw'),
      (e: Error) => expect(e.message).to.match(/^aws cloudformation describe-stacks: .*nope/),
    );
  });
});
