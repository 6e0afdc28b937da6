// `cfn-cicd deploy`: `aws cloudformation deploy` with the capabilities, tags and parameter values
// the template needs, every value checked against the template's constraints before any AWS call;
// stack events stream while it runs, then the outputs (or, with --no-execute, the change set).
import { readFile } from 'node:fs/promises';
import type { CliContext } from '../../cli.js';
import { EXIT, UsageError } from '../../cli.js';
import { failureCause, formatEvent, watchStackEvents } from '../../deploy/events.js';
import { flagName, parameterFlags, parseParameterFlags, parseParametersFile, parseTags } from '../../deploy/inputs.js';
import type { GivenValue } from '../../deploy/preflight.js';
import { preflight } from '../../deploy/preflight.js';
import { changeSetArn, changeSetLines, describeStack, firstErrorLine, runDeploy } from '../../deploy/stack.js';
import { INLINE_TEMPLATE_LIMIT, readTemplateFile, requiredCapabilities } from '../../deploy/template-file.js';
import type { AwsConnection } from '../../tools/aws.js';
import { Params } from '../../naming.js';
import { PIPELINE_TEMPLATE_FILE } from '../../naming.js';

export interface DeployArgs {
  readonly 'template-file': string;
  readonly 'stack-name'?: string;
  readonly 'env-suffix'?: string;
  readonly 'github-secret-arn'?: string;
  readonly parameters?: string;
  readonly parameter?: string[];
  readonly tags?: string[];
  readonly region?: string;
  readonly profile?: string;
  readonly 'endpoint-url'?: string;
  readonly 's3-bucket'?: string;
  readonly execute: boolean;
  readonly 'fail-on-empty-changeset': boolean;
  readonly _?: (string | number)[];
  readonly [flag: string]: unknown;
}

/** Short flags for the two parameters every deployment sets. */
const ALIASES: Readonly<Record<string, string>> = {
  'env-suffix': Params.EnvironmentSuffix,
  'github-secret-arn': Params.GitHubTokenSecretArn,
};

const OPTIONS = [
  'template-file',
  'stack-name',
  'env-suffix',
  'github-secret-arn',
  'parameters',
  'parameter',
  'tags',
  'region',
  'profile',
  'endpoint-url',
  's3-bucket',
  'execute',
  'fail-on-empty-changeset',
] as const;

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const KNOWN_KEYS = new Set(['_', '$0', 'help', ...OPTIONS, ...OPTIONS.map(camel)]);

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A single-valued option: given twice, or without a value, is a usage error. */
function single(args: DeployArgs, flag: (typeof OPTIONS)[number]): string | undefined {
  const value = args[flag];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new UsageError(`--${flag} is given more than once`);
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} needs a value`);
  return value;
}

function checked(flag: string, value: string | undefined, pattern: RegExp, allowed: string): string | undefined {
  if (value !== undefined && !pattern.test(value)) {
    throw new UsageError(`--${flag} ${JSON.stringify(value)}: ${allowed}`);
  }
  return value;
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function connectionFrom(args: DeployArgs): AwsConnection {
  const endpointUrl = single(args, 'endpoint-url');
  if (endpointUrl !== undefined && !isHttpUrl(endpointUrl)) {
    throw new UsageError(`--endpoint-url ${JSON.stringify(endpointUrl)}: an http:// or https:// URL`);
  }
  return {
    region: checked('region', single(args, 'region'), REGION, 'an AWS region such as us-east-1'),
    profile: single(args, 'profile'),
    endpointUrl,
  };
}

async function fileValues(path: string | undefined): Promise<Record<string, GivenValue>> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--parameters ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseParametersFile(text, path);
}

/** Named flags (aliases and --<parameter-name>) win over --parameter, which wins over the file. */
function namedFlagValues(args: DeployArgs, parameterNames: readonly string[]): Record<string, GivenValue> {
  const extra = Object.fromEntries(Object.entries(args).filter(([key]) => !KNOWN_KEYS.has(key)));
  const values = parameterFlags(extra, parameterNames);
  for (const [alias, name] of Object.entries(ALIASES)) {
    const value = single(args, alias as (typeof OPTIONS)[number]);
    if (value === undefined) continue;
    const other = values[name];
    if (other !== undefined && other.value !== value) {
      throw new UsageError(`--${alias} and ${other.source} give ${name} different values`);
    }
    values[name] = { value, source: `--${alias}` };
  }
  return values;
}

const flagFor = (name: string): string =>
  `--${Object.keys(ALIASES).find((alias) => ALIASES[alias] === name) ?? flagName(name)} VALUE`;

export async function runDeployCommand(args: DeployArgs, ctx: CliContext): Promise<number> {
  const stray = (args._ ?? []).slice(1);
  if (stray.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(String(stray[0]))}; deploy takes only options`);
  const connection = connectionFrom(args);
  const s3Bucket = checked(
    's3-bucket',
    single(args, 's3-bucket'),
    BUCKET,
    'an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)',
  );
  const tags = parseTags(args.tags ?? []);
  const template = await readTemplateFile(single(args, 'template-file') ?? `templates/${PIPELINE_TEMPLATE_FILE}`);
  const names = Object.keys(template.parameters);
  const values: Record<string, GivenValue> = {
    ...(await fileValues(single(args, 'parameters'))),
    ...parseParameterFlags(args.parameter ?? []),
    ...namedFlagValues(args, names),
  };

  const problems = preflight(template.parameters, values, flagFor);
  if (problems.length > 0) {
    for (const line of problems) ctx.io.err(`cfn-cicd: ${line}`);
    return EXIT.found;
  }
  const suffix = values[Params.EnvironmentSuffix]?.value ?? template.parameters[Params.EnvironmentSuffix]?.Default;
  const stackName = checked(
    'stack-name',
    single(args, 'stack-name') ?? (suffix === undefined ? undefined : `cicd-pipeline-${suffix}`),
    STACK_NAME,
    'a letter, then up to 127 letters, digits and hyphens',
  );
  if (stackName === undefined) throw new UsageError('--stack-name is required: the template has no EnvironmentSuffix');
  if (template.bytes > INLINE_TEMPLATE_LIMIT && s3Bucket === undefined) {
    throw new UsageError(
      `--template-file ${template.path} is ${template.bytes} bytes, over the ${INLINE_TEMPLATE_LIMIT.toLocaleString('en-US')}-byte inline limit: pass --s3-bucket BUCKET to upload it`,
    );
  }

  const request = {
    templateFile: template.path,
    stackName,
    parameters: Object.fromEntries(Object.entries(values).map(([name, given]) => [name, given.value])),
    capabilities: requiredCapabilities(template.template),
    tags,
    s3Bucket,
    execute: args.execute,
    failOnEmptyChangeset: args['fail-on-empty-changeset'],
  };
  const capabilities = request.capabilities.length > 0 ? request.capabilities.join(' ') : 'none';
  ctx.io.out(
    `${request.execute ? 'Deploying' : 'Previewing'} stack ${stackName} from ${template.path} (${template.bytes} bytes; capabilities: ${capabilities})`,
  );

  const watch = request.execute ? await watchStackEvents(stackName, connection, ctx.io.out) : undefined;
  const result = await runDeploy(request, connection).finally(() => watch?.stop());
  const events = (await watch?.stop()) ?? [];

  if (result.exitCode !== 0) {
    const cause = failureCause(events);
    ctx.io.err(`cfn-cicd: deploy of stack ${stackName} failed: ${cause ? formatEvent(cause) : firstErrorLine(result)}`);
    return EXIT.error;
  }
  const upToDate = result.stdout.split('\n').find((line) => line.startsWith('No changes to deploy'));
  if (upToDate !== undefined) {
    ctx.io.out(upToDate.trim());
    return EXIT.ok;
  }
  if (!request.execute) {
    const arn = changeSetArn(result.stdout);
    if (arn === undefined)
      throw new Error(`aws cloudformation deploy printed no change set ARN: ${firstErrorLine(result)}`);
    for (const line of await changeSetLines(arn, connection)) ctx.io.out(line);
    return EXIT.ok;
  }
  const stack = await describeStack(stackName, connection);
  ctx.io.out(`Stack ${stackName}: ${stack.status}`);
  if (stack.outputs.length === 0) ctx.io.out('Outputs: none reported');
  else ctx.io.out('Outputs:');
  for (const o of stack.outputs) ctx.io.out(`  ${o.OutputKey} = ${o.OutputValue}`);
  return EXIT.ok;
}
