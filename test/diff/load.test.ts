import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateFromFile } from '../../src/diff/load.js';
import { InputError } from '../../src/errors.js';

/** The error the promise rejects with (the test fails when it resolves). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => expect.fail('resolved'),
    (error: Error) => error,
  );

describe('diff/load: the "before" side from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-diff-load-'));

  it('reads a YAML template, short forms included', async () => {
    const path = join(dir, 'old.yaml');
    writeFileSync(
      path,
      'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub a-${AWS::Region}\n',
    );
    const model = await templateFromFile(path);
    expect(model.body['Resources']).to.deep.equal({
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': 'a-${AWS::Region}' } } },
    });
  });

  it('refuses a path it cannot read with one line naming it and the reason', async () => {
    const missing = join(dir, 'missing.yaml');
    const error = await rejection(templateFromFile(missing));
    expect(error).to.be.instanceOf(InputError);
    expect(error.message).to.equal(`--against ${missing}: cannot read (ENOENT)`);
    expect((await rejection(templateFromFile(dir))).message).to.equal(`--against ${dir}: cannot read (EISDIR)`);
  });

  it('refuses a file that is not a template, naming it', async () => {
    const path = join(dir, 'list.yaml');
    writeFileSync(path, '- a\n- b\n');
    expect((await rejection(templateFromFile(path))).message).to.match(
      new RegExp(`^--against ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a CloudFormation template`),
    );
  });
});
