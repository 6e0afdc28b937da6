// `cfn-cicd deploy` on the command line, with --endpoint-url at a recording endpoint on 127.0.0.1:
// every refusal must come before any AWS call, which the endpoint would have seen.
import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagName } from '../../src/deploy/inputs.js';
import { refusal } from '../../src/deploy/preflight.js';
import { INLINE_TEMPLATE_LIMIT } from '../../src/deploy/template-file.js';
import { Params } from '../../src/naming.js';
import { EVERY_PARAMETER_REFUSES, valuesOf } from '../fixtures/parameter-values.js';
import type { RecordingEndpoint } from '../deploy/recording-endpoint.js';
import { startRecordingEndpoint } from '../deploy/recording-endpoint.js';
import { pipelineParameters, requiredValues, TEMPLATE_PATH } from '../deploy/template.js';
import { cli, committedPath } from '../helpers.js';
import { MOTO_ENV } from '../moto.js';
import { deployingAws, fakeTools, pidOf, waitsToBeKilled, withTools } from '../tools/fake-tools.js';

/** `--<kebab-name>=<value>` for each value: the `=` form keeps values such as "-1" from reading as flags. */
const flags = (values: Readonly<Record<string, string>>): string[] =>
  Object.entries(values).map(([name, value]) => `--${flagName(name)}=${value}`);

describe('cli deploy', () => {
  const parameters = pipelineParameters();
  let endpoint: RecordingEndpoint;
  let dir: string;
  // The template is big enough to need a bucket whenever it is over the inline limit.
  const bucketArgs = (bytes: number) =>
    bytes > INLINE_TEMPLATE_LIMIT ? ['--s3-bucket', 'cfn-cicd-test-templates'] : [];
  let templateBytes: number;
  const deploy = (...args: string[]) =>
    cli(['deploy', '--endpoint-url', endpoint.url, '--region', 'us-east-1', ...bucketArgs(templateBytes), ...args]);

  before(async () => {
    Object.assign(process.env, MOTO_ENV);
    endpoint = await startRecordingEndpoint();
    dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-deploy-'));
    templateBytes = Buffer.byteLength(await readFile(TEMPLATE_PATH));
  });
  after(() => endpoint.close());
  beforeEach(() => {
    endpoint.requests.length = 0;
  });

  it('reaches AWS with good values (the control: the endpoint sees the calls and the failure is reported)', async () => {
    const result = await deploy(...flags(requiredValues(parameters)), '--template-file', TEMPLATE_PATH);
    expect(endpoint.requests.length).to.be.greaterThan(0);
    expect(result.code).to.equal(2);
    expect(result.err).to.have.length(1);
    // The first call reads the stack (status and current values, for the rules and fixed parameters).
    expect(result.err[0]).to.match(
      /^cfn-cicd: deploy of stack cicd-pipeline-\S+ not started: aws cloudformation describe-stacks: .*recorded and refused/,
    );
  });

  describe('refuses every bad value of the table with one line, exit 1 and no AWS call', () => {
    for (const [name, parameter] of Object.entries(parameters)) {
      const bad = [...valuesOf(name).bad, ...EVERY_PARAMETER_REFUSES];
      it(`${name}: ${bad.length} values`, async () => {
        for (const [value, why] of bad) {
          const result = await deploy(...flags(requiredValues(parameters, { [name]: value })));
          const expected = refusal(name, parameter, { value, source: `--${flagName(name)}` });
          expect(result.err, `${JSON.stringify(value)} (${why})`).to.deep.equal([`cfn-cicd: ${expected}`]);
          expect(result.code).to.equal(1);
          expect(result.out).to.deep.equal([]);
        }
        expect(endpoint.requests).to.deep.equal([]);
      });
    }
  });

  it('names every required parameter left out, one line each, with the flag to pass', async () => {
    const result = await deploy();
    const required = Object.entries(parameters).filter(([, p]) => p.Default === undefined);
    expect(result.code).to.equal(1);
    expect(result.err).to.have.length(required.length);
    expect(result.err).to.include(
      'cfn-cicd: EnvironmentSuffix is required (it has no Default): pass --env-suffix VALUE',
    );
    expect(endpoint.requests).to.deep.equal([]);
  });

  it('takes --env-suffix and --github-secret-arn as the short flags of their parameters', async () => {
    const values = requiredValues(parameters);
    const rest = Object.fromEntries(
      Object.entries(values).filter(
        ([name]) => name !== Params.EnvironmentSuffix && name !== Params.GitHubTokenSecretArn,
      ),
    );
    const secret = values[Params.GitHubTokenSecretArn];
    const bad = await deploy(...flags(rest), '--env-suffix=Bad', ...(secret ? [`--github-secret-arn=${secret}`] : []));
    expect(bad.err).to.have.length(1);
    expect(bad.err[0]).to.match(/^cfn-cicd: EnvironmentSuffix "Bad" from --env-suffix is refused/);
    if (secret !== undefined) {
      const badSecret = await deploy(...flags(rest), '--env-suffix=dev', '--github-secret-arn=arn:aws:s3:::bucket');
      expect(badSecret.err).to.have.length(1);
      expect(badSecret.err[0]).to.match(
        /^cfn-cicd: GitHubTokenSecretArn "arn:aws:s3:::bucket" from --github-secret-arn is refused/,
      );
    }
    expect(endpoint.requests).to.deep.equal([]);
  });

  describe('parameters file, --parameter and flags', () => {
    it('reads both file shapes; a flag wins over --parameter, which wins over the file', async () => {
      const values = requiredValues(parameters);
      const plain = join(dir, 'plain.json');
      await writeFile(plain, JSON.stringify({ ...values, EnvironmentSuffix: 'Bad-From-File' }));
      const fromFile = await deploy('--parameters', plain);
      expect(fromFile.err).to.deep.equal([
        `cfn-cicd: EnvironmentSuffix "Bad-From-File" from --parameters ${plain} is refused (does not match the AllowedPattern); allowed: ${parameters['EnvironmentSuffix']?.ConstraintDescription}`,
      ]);

      const cfnShape = join(dir, 'cfn.json');
      const list = Object.entries({ ...values, EnvironmentSuffix: 'Bad-From-File' }).map(([k, v]) => ({
        ParameterKey: k,
        ParameterValue: v,
      }));
      await writeFile(cfnShape, JSON.stringify(list));
      const viaParameter = await deploy(
        '--parameters',
        cfnShape,
        '--parameter',
        'EnvironmentSuffix=Bad-From-Parameter',
      );
      expect(viaParameter.err[0]).to.include('"Bad-From-Parameter" from --parameter EnvironmentSuffix');
      const viaFlag = await deploy(
        '--parameters',
        cfnShape,
        '--parameter',
        'EnvironmentSuffix=x',
        '--env-suffix',
        'Bad-From-Flag',
      );
      expect(viaFlag.err).to.have.length(1);
      expect(viaFlag.err[0]).to.include('"Bad-From-Flag" from --env-suffix');
      expect(endpoint.requests).to.deep.equal([]);

      const fixed = await deploy('--parameters', cfnShape, '--env-suffix', 'dev');
      expect(fixed.code, fixed.err.join('\n')).to.equal(2);
      expect(endpoint.requests.length, 'a good value from the flag reaches AWS').to.be.greaterThan(0);
    });

    it('refuses a name the template does not declare', async () => {
      const result = await deploy(...flags(requiredValues(parameters)), '--parameter', 'GitHubToken=x');
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.match(
        /^cfn-cicd: unknown parameter "GitHubToken" from --parameter GitHubToken; the template declares /,
      );
      expect(result.code).to.equal(1);
      expect(endpoint.requests).to.deep.equal([]);
    });
  });

  describe('--env: the environment stacks of a promoting pipeline', () => {
    const environment = committedPath('environments/cicd-environment.yaml');
    const envDeploy = (...args: string[]) =>
      cli([
        'deploy',
        '--endpoint-url',
        endpoint.url,
        '--region',
        'us-east-1',
        '--s3-bucket',
        'cfn-cicd-test-templates',
        ...args,
      ]);

    it('deploys templates/environments/cicd-environment.yaml as cicd-environment-<suffix>-<env> (the control: it reaches AWS)', async () => {
      const result = await envDeploy('--env', 'beta', '--env-suffix', 'shop');
      expect(endpoint.requests.length).to.be.greaterThan(0);
      expect(result.code).to.equal(2);
      expect(result.err[0]).to.match(/^cfn-cicd: deploy of stack cicd-environment-shop-beta not started: /);
    });

    const refused: [string, string[], number, string][] = [
      [
        'an environment the template does not list',
        ['--env', 'qa', '--env-suffix', 'shop'],
        2,
        `cfn-cicd: --env "qa": not an environment of templates/environments/cicd-environment.yaml; one of beta, gamma, prod, all`,
      ],
      [
        'no pipeline suffix',
        ['--env', 'beta'],
        2,
        'cfn-cicd: --env beta needs --env-suffix: the suffix of the pipeline stack that releases into it',
      ],
      [
        '--stack-name with all',
        ['--env', 'all', '--env-suffix', 'shop', '--stack-name', 'x'],
        2,
        'cfn-cicd: --env all deploys several stacks: leave out --stack-name',
      ],
      [
        'a PipelineSuffix of its own',
        ['--env', 'beta', '--env-suffix', 'shop', '--pipeline-suffix', 'other'],
        2,
        'cfn-cicd: --env sets PipelineSuffix from --env-suffix; leave out --pipeline-suffix',
      ],
      [
        'a template that is not an environment template',
        ['--env', 'beta', '--env-suffix', 'shop', '--template-file', TEMPLATE_PATH],
        2,
        `cfn-cicd: --env beta: ${TEMPLATE_PATH} is not an environment template (build one from a config with "environments" and pass templates/environments/cicd-environment.yaml)`,
      ],
      // beta fits (16 characters) but gamma does not: every environment is checked before any is deployed.
      [
        'a suffix too long for one of them (all)',
        ['--env', 'all', '--env-suffix', 'abcdefghijk'],
        1,
        'cfn-cicd: --env gamma: EnvironmentSuffix "abcdefghijk-gamma" from --env-suffix and --env gamma is refused (17 characters, over MaxLength 16); allowed: 1-16 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
      ],
    ];
    for (const [what, args, code, line] of refused) {
      it(`refuses ${what}: one line, exit ${code}, no AWS call`, async () => {
        const result = await envDeploy(...args);
        expect(result.err).to.deep.equal([line]);
        expect(result.code).to.equal(code);
        expect(endpoint.requests).to.deep.equal([]);
      });
    }

    it('reads the environment template from --template-file too', async () => {
      const result = await envDeploy('--env', 'prod', '--env-suffix', 'shop', '--template-file', environment);
      expect(result.err[0]).to.match(/^cfn-cicd: deploy of stack cicd-environment-shop-prod not started: /);
    });
  });

  describe('usage errors: one line, exit 2, no AWS call', () => {
    // Required values come from a file, so each row's flags are the only ones given.
    const base = () => ['--parameters', join(dir, 'required.json')];
    const rows: [string, () => string[], RegExp][] = [
      [
        'an unknown flag',
        () => [...base(), '--github-ownr', 'x'],
        /^cfn-cicd: unknown option --github-ownr; deploy's parameter flags for this template are --environment-suffix, /,
      ],
      ['a flag without a value', () => [...base(), '--github-owner'], /^cfn-cicd: --github-owner needs a value$/],
      [
        'a flag given twice',
        () => [...base(), '--github-owner=a', '--github-owner=b'],
        /^cfn-cicd: --github-owner is given more than once$/,
      ],
      [
        'two spellings of one parameter',
        () => [...base(), '--env-suffix=dev', '--environment-suffix=prod'],
        /^cfn-cicd: --env-suffix and --environment-suffix both set EnvironmentSuffix; give one$/,
      ],
      [
        'a stray argument',
        () => [...base(), 'extra'],
        /^cfn-cicd: unexpected argument "extra"; deploy takes only options$/,
      ],
      ['a bad tag', () => [...base(), '--tags', 'aws:owner=me'], /^cfn-cicd: --tags key "aws:owner": /],
      [
        'a bad region',
        () => [...base(), '--region', 'Mars'],
        /^cfn-cicd: --region "Mars": must be an AWS region such as eu-west-1$/,
      ],
      [
        'a bad stack name',
        () => [...base(), '--stack-name', '1-stack'],
        /^cfn-cicd: --stack-name "1-stack": a letter, then up to 127 letters, digits and hyphens$/,
      ],
      [
        'a bad bucket name',
        () => [...base(), '--s3-bucket', 'Bad_Bucket'],
        /^cfn-cicd: --s3-bucket "Bad_Bucket": an S3 bucket name/,
      ],
      [
        'an option given twice',
        () => [...base(), '--endpoint-url', 'ftp://127.0.0.1'],
        /^cfn-cicd: --endpoint-url is given more than once$/,
      ],
      [
        'a missing template',
        () => [...base(), '--template-file', '/nonexistent/t.yaml'],
        /^cfn-cicd: --template-file \/nonexistent\/t\.yaml: cannot read \(ENOENT\)$/,
      ],
      [
        'a parameters file that is not JSON',
        () => ['--parameters', join(dir, 'not.json')],
        /^cfn-cicd: --parameters .*not\.json: not valid JSON$/,
      ],
      [
        'a parameters file that cannot be read',
        () => ['--parameters', join(dir, 'missing.json')],
        /^cfn-cicd: --parameters .*missing\.json: cannot read \(ENOENT\)$/,
      ],
    ];
    before(async () => {
      await writeFile(join(dir, 'not.json'), '{nope');
      await writeFile(join(dir, 'required.json'), JSON.stringify(requiredValues(parameters)));
    });
    for (const [what, args, message] of rows)
      it(what, async () => {
        const result = await cli(['deploy', '--endpoint-url', endpoint.url, ...args()]);
        expect(result.err).to.have.length(1);
        expect(result.err[0]).to.match(message);
        expect(result.code).to.equal(2);
        expect(endpoint.requests).to.deep.equal([]);
      });

    it('a bad endpoint URL', async () => {
      const result = await cli(['deploy', '--endpoint-url', 'ftp://127.0.0.1', ...base()]);
      expect(result.err).to.deep.equal([
        'cfn-cicd: --endpoint-url "ftp://127.0.0.1": must be an http:// or https:// URL',
      ]);
      expect(result.code).to.equal(2);
    });

    it(`says in one line that a template over ${INLINE_TEMPLATE_LIMIT} bytes needs --s3-bucket`, async () => {
      const big = join(dir, 'big.yaml');
      const text = await readFile(TEMPLATE_PATH, 'utf8');
      await writeFile(big, `${text}# ${'padding '.repeat(Math.ceil(INLINE_TEMPLATE_LIMIT / 8))}\n`);
      const bytes = Buffer.byteLength(await readFile(big));
      const result = await cli([
        'deploy',
        '--endpoint-url',
        endpoint.url,
        '--template-file',
        big,
        ...flags(requiredValues(parameters)),
      ]);
      expect(result.err).to.deep.equal([
        `cfn-cicd: --template-file ${big} is ${bytes} bytes, over the 51,200-byte inline limit: pass --s3-bucket BUCKET to upload it`,
      ]);
      expect(result.code).to.equal(2);
      expect(endpoint.requests).to.deep.equal([]);
    });
  });
});

describe('cli deploy with a stand-in aws CLI (what a user sees around the call)', () => {
  const required = requiredValues(pipelineParameters());
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-deploy-fake-'));
    await writeFile(join(dir, 'required.json'), JSON.stringify(required));
  });
  const run = async (script: string, ...extra: string[]) =>
    withTools(await fakeTools({ aws: script }), () =>
      cli([
        'deploy',
        '--template-file',
        TEMPLATE_PATH,
        '--parameters',
        join(dir, 'required.json'),
        '--s3-bucket',
        'cfn-cicd-uploads',
        ...extra,
      ]),
    );

  it('a deploy that succeeds prints the stack’s status and every output', async () => {
    const after = JSON.stringify({
      Stacks: [
        { StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'PipelineName', OutputValue: 'cicd-pipeline-dev' }] },
      ],
    });
    const result = await run(deployingAws(undefined, after, 'echo "Successfully created/updated stack"'));
    expect(result.err).to.deep.equal([]);
    expect(result.code).to.equal(0);
    expect(result.out.slice(1)).to.deep.equal([
      'Stack cicd-pipeline-dev: CREATE_COMPLETE',
      'Outputs:',
      '  PipelineName = cicd-pipeline-dev',
    ]);
  });

  it('--no-execute on a stack that exists says how to execute the change set, and creates nothing', async () => {
    const arn = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/c/1';
    const result = await run(
      deployingAws(
        'UPDATE_COMPLETE',
        'UPDATE_COMPLETE',
        `echo "aws cloudformation execute-change-set --change-set-name ${arn}"`,
      ),
      '--no-execute',
    );
    expect(result.code).to.equal(0);
    expect(result.out.slice(1)).to.deep.equal([
      'Change set c (CREATE_COMPLETE): 0 resource change(s), not executed',
      `Not executed. Execute it: \`aws cloudformation execute-change-set --change-set-name ${arn}\``,
    ]);
  });

  it('Ctrl-C before the deploy starts: exit 130, nothing changed', async () => {
    const tools = await fakeTools({ aws: waitsToBeKilled('$(dirname "$0")/aws.pid') });
    const result = await withTools(tools, async () => {
      const running = cli([
        'deploy',
        '--template-file',
        TEMPLATE_PATH,
        '--parameters',
        join(dir, 'required.json'),
        '--s3-bucket',
        'b-uploads',
      ]);
      await pidOf(join(tools, 'aws.pid'));
      process.emit('SIGINT', 'SIGINT');
      return running;
    });
    expect(result).to.deep.equal({
      code: 130,
      out: [],
      err: ['cfn-cicd: interrupted by SIGINT before deploy of stack cicd-pipeline-dev started; nothing changed'],
    });
  });
});
