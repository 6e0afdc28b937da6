// The tool wrappers against stand-in tools (test/tools/fake-tools.ts): every way a tool can fail
// is an error naming the tool; only a run that is what it claims to be counts as a result. The real
// tools run in test/tools/cfn-lint.test.ts, test/security/checkov.test.ts and the moto tests.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchStackEvents } from '../../src/deploy/events.js';
import { changeSetLines, describeStack, stackStatus } from '../../src/deploy/stack.js';
import { ToolError } from '../../src/errors.js';
import { objectUrl } from '../../src/publish/artifact.js';
import { bucketRegion, objectExists } from '../../src/publish/s3.js';
import { renderYaml } from '../../src/render/yaml.js';
import { pipelineTemplate } from '../../src/template.js';
import { aws, awsJson, CONNECT_TIMEOUT_SECONDS } from '../../src/tools/aws.js';
import { checkov, parseCheckovJson } from '../../src/tools/checkov.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { runTool } from '../../src/tools/run.js';
import { TEMPLATE_PATH } from '../deploy/template.js';
import { cli } from '../helpers.js';
import { fakeTools, pidOf, waitsToBeKilled, withTools } from './fake-tools.js';

const running = () => new AbortController().signal;
const fails = async (work: Promise<unknown>): Promise<string> =>
  work.then(
    () => expect.fail('should fail') as never,
    (e: Error) => {
      expect(e).to.be.instanceOf(ToolError);
      return e.message;
    },
  );

const check = (id: string) => ({
  check_id: id,
  check_name: id,
  resource: 'AWS::SNS::Topic.Topic',
  check_result: { result: 'FAILED' },
});
const report = (failed: unknown[], parsingErrors: string[] = []) =>
  JSON.stringify({
    check_type: 'cloudformation',
    results: { passed_checks: [], failed_checks: failed, skipped_checks: [], parsing_errors: parsingErrors },
    summary: { resource_count: 1 },
  });

describe('tool wrappers against stand-in tools', () => {
  let template: string;
  before(async () => {
    template = join(await mkdtemp(join(tmpdir(), 'cfn-cicd-wrappers-')), 'topic.yaml');
    await writeFile(template, 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
  });

  describe('checkov', () => {
    const rows: [string, string, RegExp][] = [
      [
        'killed by SIGKILL',
        'kill -KILL $$',
        /^checkov on \S+ was killed by SIGKILL \(out of memory, or killed by hand\): no result$/,
      ],
      ['silent, exit 0', 'exit 0', /^checkov on \S+ printed no report \(exit 0\): no output$/],
      ['garbage on stdout', 'echo "not json"', /^checkov on \S+ printed no report \(exit 0\): not json$/],
      ['an error on stderr, exit 2', 'echo "boom" >&2; exit 2', /^checkov on \S+ printed no report \(exit 2\): boom$/],
      ['an empty list', "echo '[]'", /^checkov on \S+ printed no report \(exit 0\): \[\]$/],
      ['an object that is no report', "echo '{}'", /^checkov on \S+ printed no report \(exit 0\): \{\}$/],
      [
        'a failed check with exit 0',
        `echo '${report([check('CKV_AWS_26')])}'`,
        /^checkov on \S+ exited 0, but its report of 1 failed check\(s\) means exit 1: not a result to trust$/,
      ],
      [
        'no failed check with exit 1',
        `echo '${report([])}'; exit 1`,
        /^checkov on \S+ exited 1, but its report of 0 failed check\(s\) means exit 0: not a result to trust$/,
      ],
      [
        'a file it could not parse',
        `echo '${report([], ['topic.yaml'])}'`,
        /^checkov on \S+: checkov could not parse it, so checked nothing$/,
      ],
    ];
    for (const [what, body, message] of rows) {
      it(`${what} → a ToolError`, async () => {
        const tools = await fakeTools({ checkov: body });
        expect(await withTools(tools, () => fails(checkov(template)))).to.match(message);
      });
    }

    it('reads a skip without a comment, and a report without a summary', () => {
      const parsed = parseCheckovJson(
        JSON.stringify({
          check_type: 'cloudformation',
          results: { skipped_checks: [{ ...check('CKV_AWS_26'), check_result: { result: 'SKIPPED' } }] },
        }),
      );
      expect(parsed.skipped).to.deep.equal([
        { id: 'CKV_AWS_26', name: 'CKV_AWS_26', resource: 'Topic', type: 'AWS::SNS::Topic', comment: '' },
      ]);
      expect(parsed.resourceCount).to.equal(0);
    });

    it('no checkov where $CFN_CICD_TOOLS_DIR points → a ToolError saying so', async () => {
      const empty = await fakeTools({});
      expect(await withTools(empty, () => fails(checkov(template)))).to.match(
        /^checkov not found in \$CFN_CICD_TOOLS_DIR /,
      );
    });

    it('a consistent report is a result', async () => {
      const tools = await fakeTools({ checkov: `echo '${report([check('CKV_AWS_26')])}'; exit 1` });
      const result = await withTools(tools, () => checkov(template));
      expect(result.failed).to.deep.equal([
        { id: 'CKV_AWS_26', name: 'CKV_AWS_26', resource: 'Topic', type: 'AWS::SNS::Topic' },
      ]);
    });

    it('killed by the test while it runs → a ToolError naming the signal', async () => {
      const tools = await fakeTools({ checkov: waitsToBeKilled('$(dirname "$0")/checkov.pid') });
      const message = await withTools(tools, async () => {
        const running = fails(checkov(template));
        process.kill(await pidOf(join(tools, 'checkov.pid')), 'SIGKILL');
        return running;
      });
      expect(message).to.match(/^checkov on \S+ was killed by SIGKILL /);
    });
  });

  describe('runTool', () => {
    it('a tool that cannot start (its interpreter is missing) → a ToolError naming it', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-no-interpreter-'));
      await writeFile(join(dir, 'tool'), '#!/nonexistent/interpreter\n', { mode: 0o755 });
      expect(await fails(runTool('the tool', join(dir, 'tool'), []))).to.equal(
        `the tool could not start (ENOENT): ${join(dir, 'tool')}`,
      );
    });
  });

  describe('aws', () => {
    // Prints what it was given, as JSON: its arguments and the variables cfn-cicd sets.
    const echo = `printf '{"args": "%s", "key": "%s", "attempts": "%s", "extra": "%s"}\\n' "$*" "$AWS_ACCESS_KEY_ID" "$AWS_MAX_ATTEMPTS" "$EXTRA"`;
    type Echo = { args: string; key: string; attempts: string; extra: string };

    it('gives every call a connect timeout; a first contact one attempt; an emulator throwaway credentials', async () => {
      const tools = await fakeTools({ aws: echo });
      const own = process.env['AWS_ACCESS_KEY_ID'];
      process.env['AWS_ACCESS_KEY_ID'] = 'the-users-own';
      await withTools(tools, async () => {
        const plain = await awsJson<Echo>(['s3api', 'list-buckets'], { region: 'eu-west-1' }, { env: { EXTRA: 'x' } });
        expect(plain.args).to.equal(
          `s3api list-buckets --output json --region eu-west-1 --cli-connect-timeout ${CONNECT_TIMEOUT_SECONDS}`,
        );
        expect(plain).to.include({ attempts: '', extra: 'x' });
        expect(plain.key).to.equal('the-users-own');
        const first = await awsJson<Echo>(['s3api', 'list-buckets'], {}, { firstContact: true });
        expect(first.attempts).to.equal('1');
        const emulator = await awsJson<Echo>(['s3api', 'list-buckets'], {
          endpointUrl: 'http://localhost:1',
          emulator: true,
        });
        expect(emulator.key, 'never the user’s own').to.equal('testing');
      }).finally(() => {
        if (own === undefined) Reflect.deleteProperty(process.env, 'AWS_ACCESS_KEY_ID');
        else process.env['AWS_ACCESS_KEY_ID'] = own;
      });
    });

    it('an exit code the AWS CLI never uses → a ToolError; a documented failure comes back to the caller', async () => {
      const odd = await fakeTools({ aws: 'echo "segfault-ish" >&2; exit 139' });
      expect(await withTools(odd, () => fails(aws(['s3api', 'list-buckets'])))).to.equal(
        'aws s3api list-buckets exited with 139, not an AWS CLI exit code: segfault-ish',
      );
      const documented = await fakeTools({ aws: 'echo "AccessDenied" >&2; exit 254' });
      expect(await withTools(documented, () => aws(['s3api', 'list-buckets']))).to.include({ exitCode: 254 });
      expect(await withTools(documented, () => fails(awsJson(['s3api', 'list-buckets'])))).to.equal(
        'aws s3api list-buckets: AccessDenied',
      );
    });

    it('empty output of a JSON call is an empty answer', async () => {
      const silent = await fakeTools({ aws: 'exit 0' });
      expect(await withTools(silent, () => awsJson(['cloudformation', 'delete-stack']))).to.deep.equal({});
    });
  });

  describe('deploy/stack and deploy/events on odd answers', () => {
    it('a change set, a stack and a status with fields missing read as unknown, never as a crash', async () => {
      const empty = await fakeTools({ aws: "echo '{}'" });
      await withTools(empty, async () => {
        expect(await changeSetLines('arn:x', {})).to.deep.equal([
          'Change set arn:x (unknown status): 0 resource change(s), not executed',
        ]);
        expect(await describeStack('s', {})).to.deep.equal({ status: 'UNKNOWN', outputs: [] });
        expect(await stackStatus('s', {})).to.equal(undefined);
      });
      const partial = await fakeTools({
        aws: `echo '{"ChangeSetName": "c", "Status": "CREATE_COMPLETE", "Changes": [{}, {"ResourceChange": {"Action": "Modify", "LogicalResourceId": "Key", "ResourceType": "AWS::KMS::Key", "Replacement": "True"}}]}'`,
      });
      expect(await withTools(partial, () => changeSetLines('arn:x', {}))).to.deep.equal([
        'Change set c (CREATE_COMPLETE): 2 resource change(s), not executed',
        '  ?      ? (?)',
        '  Modify Key (AWS::KMS::Key, replacement: True)',
      ]);
    });

    it('stackStatus: "does not exist" is no stack; any other failure an error, worded or not', async () => {
      const missing = await fakeTools({ aws: 'echo "Stack with id s does not exist" >&2; exit 255' });
      expect(await withTools(missing, () => stackStatus('s', {}))).to.equal(undefined);
      const denied = await fakeTools({ aws: 'echo "AccessDenied" >&2; exit 255' });
      expect(await withTools(denied, () => fails(stackStatus('s', {})))).to.equal(
        'aws cloudformation describe-stacks: AccessDenied',
      );
      const mute = await fakeTools({ aws: 'exit 255' });
      expect(await withTools(mute, () => fails(stackStatus('s', {})))).to.equal(
        'aws cloudformation describe-stacks: exit 255',
      );
    });

    it('the event watch polls while the deploy runs and prints each new event once, oldest first', async () => {
      const event = (id: string) => ({
        EventId: id,
        Timestamp: '2026-01-31T12:00:00.000Z',
        LogicalResourceId: id,
        ResourceType: 'AWS::SNS::Topic',
        ResourceStatus: 'CREATE_COMPLETE',
      });
      // The first call sees the old event; later ones a new one on top of it (newest first).
      const tools = await fakeTools({
        aws: `dir=$(dirname "$0")
if [ -f "$dir/polled" ]; then echo '${JSON.stringify({ StackEvents: [event('New'), event('Old')] })}'
else touch "$dir/polled"; echo '${JSON.stringify({ StackEvents: [event('Old')] })}'; fi`,
      });
      const printed: string[] = [];
      const fresh = await withTools(tools, async () => {
        const watch = await watchStackEvents('s', {}, (line) => printed.push(line), 20);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return watch.stop();
      });
      expect(fresh.map((e) => e.EventId)).to.deep.equal(['New']);
      expect(printed).to.deep.equal(['2026-01-31T12:00:00Z  CREATE_COMPLETE  New (AWS::SNS::Topic)']);
    });
  });

  describe('publish on odd answers', () => {
    it('an object it cannot check → a ToolError naming the object', async () => {
      const denied = await fakeTools({ aws: 'echo "An error occurred (403) Forbidden" >&2; exit 255' });
      expect(await withTools(denied, () => fails(objectExists('b', 'k', {}, running())))).to.equal(
        's3://b/k: cannot check whether it exists (An error occurred (403) Forbidden)',
      );
    });

    // A stand-in for the whole publish: the bucket is in us-east-1, the object already there, the
    // product stack new; the product template it is given is kept beside it.
    const publishAws = (describe: string, deploy: string) => `dir=$(dirname "$0")
case "$1 $2" in
  "s3api get-bucket-location") echo '{"LocationConstraint": null}' ;;
  "s3api head-object") echo '{}' ;;
  "cloudformation describe-stacks") ${describe} ;;
  "cloudformation deploy") while [ "$1" != "--template-file" ]; do shift; done; cp "$2" "$dir/product.yaml"; ${deploy} ;;
esac`;
    const notThere = 'echo "Stack with id x does not exist" >&2; exit 255';
    const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

    /** Runs publish in `cwd` with the stand-in aws; returns what it printed and the product template deployed. */
    async function publishIn(cwd: string, script: string, ...flags: string[]) {
      const tools = await fakeTools({ aws: script });
      process.chdir(cwd);
      try {
        const result = await withTools(tools, () => cli(['publish', '--bucket', 'ok-bucket', ...flags]));
        const product = await readFile(join(tools, 'product.yaml'), 'utf8').catch(() => undefined);
        return { ...result, product };
      } finally {
        process.chdir(PACKAGE_ROOT);
      }
    }

    it('publishes templates/ of the working directory: the built pipeline, and its product template', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-cwd-'));
      await mkdir(join(cwd, 'templates'));
      const pipeline = `${await readFile(TEMPLATE_PATH, 'utf8')}# built here\n`;
      await writeFile(join(cwd, 'templates', 'cicd-pipeline.yaml'), pipeline);
      await writeFile(join(cwd, 'templates', 'service-catalog-product.yaml'), 'Resources: {}\n# the built product\n');
      const result = await publishIn(cwd, publishAws(notThere, 'exit 0'));
      expect(result.err).to.deep.equal([]);
      expect(result.out[0]).to.equal(
        `s3://ok-bucket/cfn-cicd/cicd-pipeline/${sha(pipeline)}.yaml already holds this template; not uploaded again`,
      );
      expect(result.out[1]).to.match(/^product stack cicd-catalog-dev: created \(version v-/);
      expect(result.product).to.equal('Resources: {}\n# the built product\n');
    });

    it('renders the product template for a built pipeline that has none beside it', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-cwd-'));
      await mkdir(join(cwd, 'templates'));
      await writeFile(join(cwd, 'templates', 'cicd-pipeline.yaml'), await readFile(TEMPLATE_PATH));
      const result = await publishIn(cwd, publishAws(notThere, 'exit 0'));
      expect(result.code).to.equal(0);
      expect(result.product).to.include('AWS::ServiceCatalog::CloudFormationProduct');
    });

    it('renders the pipeline when nothing is built', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-cwd-'));
      const result = await publishIn(cwd, publishAws(notThere, 'exit 0'));
      expect(result.out[0]).to.include(`/${sha(renderYaml(pipelineTemplate()))}.yaml already holds this template`);
    });

    it('refuses a built pipeline over 1 MiB with one line', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-cwd-'));
      await mkdir(join(cwd, 'templates'));
      await writeFile(join(cwd, 'templates', 'cicd-pipeline.yaml'), `#${'x'.repeat(1_048_576)}\n`);
      const result = await publishIn(cwd, publishAws(notThere, 'exit 0'));
      expect(result).to.deep.include({
        code: 2,
        err: ["cfn-cicd: templates/cicd-pipeline.yaml: over 1,048,576 bytes, CloudFormation's limit for a template"],
      });
    });

    it('refuses a template file without resources', async () => {
      const result = await publishIn(
        PACKAGE_ROOT,
        publishAws(notThere, 'exit 0'),
        '--template-file',
        template.replace('topic.yaml', 'none.yaml'),
      );
      expect(result.err[0]).to.match(/^cfn-cicd: --template-file \S+none\.yaml: cannot read \(ENOENT\)$/);
      const empty = template.replace('topic.yaml', 'empty.yaml');
      await writeFile(empty, 'Resources: {}\n');
      const refused = await publishIn(PACKAGE_ROOT, publishAws(notThere, 'exit 0'), '--template-file', empty);
      expect(refused.err).to.deep.equal([
        `cfn-cicd: --template-file ${empty}: has no resources; name a CloudFormation template`,
      ]);
    });

    it('reads the bucket region as S3 reports it: none for us-east-1, EU for the oldest EU buckets', async () => {
      for (const [answer, region] of [
        ['{"LocationConstraint": null}', 'us-east-1'],
        ['{"LocationConstraint": "EU"}', 'eu-west-1'],
        ['{"LocationConstraint": "eu-central-1"}', 'eu-central-1'],
      ] as const) {
        const tools = await fakeTools({ aws: `echo '${answer}'` });
        expect(await withTools(tools, () => bucketRegion('b', {}, running()))).to.equal(region);
      }
      expect(objectUrl('b', 'cn-north-1', 'k')).to.equal('https://b.s3.cn-north-1.amazonaws.com.cn/k');
    });

    it('updates a product stack that is rolled back or holds other values; an endpoint that refuses an empty update means unchanged', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-cwd-'));
      const rolledBack = await publishIn(
        cwd,
        publishAws(`echo '{"Stacks": [{"StackStatus": "UPDATE_ROLLBACK_COMPLETE"}]}'`, 'exit 0'),
      );
      expect(rolledBack.out[1]).to.match(/^product stack cicd-catalog-dev: updated /);
      const noParameters = await publishIn(
        cwd,
        publishAws(
          `echo '{"Stacks": [{"StackStatus": "CREATE_COMPLETE"}]}'`,
          'echo "An error occurred (ValidationError): No updates are to be performed." >&2; exit 255',
        ),
      );
      expect(noParameters.out[1]).to.match(/^product stack cicd-catalog-dev: unchanged /);
    });

    it('a product stack it cannot describe, or cannot deploy, is one line naming the stack', async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-cwd-'));
      const undescribable = await publishIn(cwd, publishAws('echo "Throttling" >&2; exit 255', 'exit 0'));
      expect(undescribable.err).to.deep.equal(['cfn-cicd: stack cicd-catalog-dev: cannot describe it (Throttling)']);
      const failing = await publishIn(cwd, publishAws(notThere, 'echo "Template format error" >&2; exit 255'));
      expect(failing.err).to.deep.equal([
        'cfn-cicd: stack cicd-catalog-dev: aws cloudformation deploy failed (Template format error)',
      ]);
    });
  });
});
