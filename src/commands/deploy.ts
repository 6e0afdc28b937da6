// `cfn-cicd deploy`: `aws cloudformation deploy` with the capabilities, tags and parameter values
// the template needs, every value checked against the template's constraints before any AWS call;
// stack events stream while it runs, then the outputs (or, with --no-execute, the change set).
import { readFile } from 'node:fs/promises';
import type { CommandModule, Options } from 'yargs';
import type { GivenValue } from '../deploy/preflight.js';
import { INLINE_TEMPLATE_LIMIT } from '../deploy/template-file.js';
import { InputError, ToolError } from '../errors.js';
import { Params, PIPELINE_TEMPLATE_FILE } from '../naming.js';
import { awsConnection, STACK_NAME } from '../tools/aws.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';
import { checked, single } from './flags.js';

/** deploy's own flags, declared once: the parser takes them, and any other flag is a template parameter. */
const OPTIONS = {
  'template-file': {
    type: 'string',
    default: `templates/${PIPELINE_TEMPLATE_FILE}`,
    describe: 'template to deploy',
  },
  'stack-name': { type: 'string', describe: 'stack name (default: cicd-pipeline-<env-suffix>)' },
  'env-suffix': { type: 'string', describe: 'EnvironmentSuffix parameter, e.g. dev' },
  'github-secret-arn': { type: 'string', describe: 'GitHubTokenSecretArn parameter' },
  parameters: {
    type: 'string',
    describe: 'JSON file: {"Key":"Value"} or [{"ParameterKey":…,"ParameterValue":…}]; flags win over it',
  },
  parameter: { type: 'string', array: true, describe: 'Key=Value, repeatable' },
  tags: { type: 'string', array: true, describe: 'stack tags Key=Value …' },
  region: { type: 'string', describe: 'AWS region (default: the CLI configuration)' },
  profile: { type: 'string', describe: 'AWS CLI profile' },
  'endpoint-url': { type: 'string', describe: 'CloudFormation endpoint, e.g. a local emulator' },
  's3-bucket': { type: 'string', describe: `bucket for templates over ${INLINE_TEMPLATE_LIMIT} bytes` },
  execute: {
    type: 'boolean',
    default: true,
    describe: 'execute the change set; --no-execute creates it and prints its changes',
  },
  'fail-on-empty-changeset': {
    type: 'boolean',
    default: true,
    describe: 'exit non-zero when there is nothing to change; --no-fail-on-empty-changeset exits 0',
  },
} as const satisfies Record<string, Options>;

export interface DeployArgs {
  readonly 'template-file': string;
  readonly parameter?: string[];
  readonly tags?: string[];
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

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const KNOWN_KEYS = new Set(['_', '$0', 'help', ...Object.keys(OPTIONS), ...Object.keys(OPTIONS).map(camel)]);

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`${flag} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Named flags (aliases and --<parameter-name>) win over --parameter, which wins over the file. */
function namedFlagValues(
  args: DeployArgs,
  parameterNames: readonly string[],
  parameterFlags: (extra: Readonly<Record<string, unknown>>, names: readonly string[]) => Record<string, GivenValue>,
): Record<string, GivenValue> {
  const extra = Object.fromEntries(Object.entries(args).filter(([key]) => !KNOWN_KEYS.has(key)));
  const values = parameterFlags(extra, parameterNames);
  for (const [alias, name] of Object.entries(ALIASES)) {
    const value = single(args, alias);
    if (value === undefined) continue;
    const other = values[name];
    if (other !== undefined && other.value !== value) {
      throw new InputError(`--${alias} and ${other.source} give ${name} different values`);
    }
    values[name] = { value, source: `--${alias}` };
  }
  return values;
}

export async function runDeployCommand(args: DeployArgs, ctx: CliContext): Promise<number> {
  // The implementation loads on use, so `build` (run on every save) never pays for it.
  const { failureCause, formatEvent, watchStackEvents } = await import('../deploy/events.js');
  const { flagName, parameterFlags, parseParameterFlags, parseParametersFile, parseTags } = await import(
    '../deploy/inputs.js'
  );
  const { preflight } = await import('../deploy/preflight.js');
  const { changeSetArn, changeSetLines, describeStack, existingStack, firstErrorLine, runDeploy } = await import(
    '../deploy/stack.js'
  );
  const { effectiveValues, fixedParameterProblems, ruleProblems } = await import('../deploy/update-checks.js');
  const { readTemplateFile, requiredCapabilities } = await import('../deploy/template-file.js');

  const stray = (args._ ?? []).slice(1);
  if (stray.length > 0)
    throw new InputError(`unexpected argument ${JSON.stringify(String(stray[0]))}; deploy takes only options`);
  const connection = awsConnection({
    region: single(args, 'region'),
    profile: single(args, 'profile'),
    endpointUrl: single(args, 'endpoint-url'),
  });
  const s3Bucket = checked(
    args,
    's3-bucket',
    BUCKET,
    'an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)',
  );
  const tags = parseTags(args.tags ?? []);
  const template = await readTemplateFile(single(args, 'template-file') ?? `templates/${PIPELINE_TEMPLATE_FILE}`);
  const names = Object.keys(template.parameters);
  const parametersFile = single(args, 'parameters');
  const values: Record<string, GivenValue> = {
    ...(parametersFile === undefined
      ? {}
      : parseParametersFile(await readText(parametersFile, '--parameters'), parametersFile)),
    ...parseParameterFlags(args.parameter ?? []),
    ...namedFlagValues(args, names, parameterFlags),
  };
  const flagFor = (name: string): string =>
    `--${Object.keys(ALIASES).find((alias) => ALIASES[alias] === name) ?? flagName(name)} VALUE`;

  const problems = preflight(template.parameters, values, flagFor);
  if (problems.length > 0) {
    for (const line of problems) ctx.io.err(`cfn-cicd: ${line}`);
    return EXIT.found;
  }
  const suffix = values[Params.EnvironmentSuffix]?.value ?? template.parameters[Params.EnvironmentSuffix]?.Default;
  const stackName =
    checked(args, 'stack-name', STACK_NAME, 'a letter, then up to 127 letters, digits and hyphens') ??
    (suffix === undefined ? undefined : `cicd-pipeline-${suffix}`);
  if (stackName === undefined) throw new InputError('--stack-name is required: the template has no EnvironmentSuffix');
  if (!STACK_NAME.test(stackName))
    throw new InputError(
      `--env-suffix ${JSON.stringify(suffix)}: makes the stack name ${stackName}, which CloudFormation refuses`,
    );
  if (template.bytes > INLINE_TEMPLATE_LIMIT && s3Bucket === undefined) {
    throw new InputError(
      `--template-file ${template.path} is ${template.bytes} bytes, over the ${INLINE_TEMPLATE_LIMIT.toLocaleString('en-US')}-byte inline limit: pass --s3-bucket BUCKET to upload it`,
    );
  }

  // What the deployment will really use: the stack's current values where none is given.
  const existing = await existingStack(stackName, connection);
  const previous = existing?.status === 'REVIEW_IN_PROGRESS' ? undefined : existing?.parameters;
  const refusals = [
    ...(previous === undefined ? [] : fixedParameterProblems(template.model, previous, values)),
    ...ruleProblems(template.model, effectiveValues(template.model, previous, values)),
  ];
  if (refusals.length > 0) {
    for (const line of refusals) ctx.io.err(`cfn-cicd: ${line}`);
    return EXIT.found;
  }

  const request = {
    templateFile: template.path,
    stackName,
    parameters: Object.fromEntries(Object.entries(values).map(([name, given]) => [name, given.value])),
    capabilities: requiredCapabilities(template.model),
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
      throw new ToolError(`aws cloudformation deploy printed no change set ARN: ${firstErrorLine(result)}`);
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

export function deployCommand(ctx: CliContext): CommandModule<object, DeployArgs> {
  return {
    command: 'deploy',
    describe: 'aws cloudformation deploy with checked parameters, capabilities and tags; --no-execute previews',
    builder: (y) =>
      y
        // Template parameters arrive as flags named after them, checked against the template instead.
        .strict(false)
        // Parameter values are text: '007' and '1e3' must reach the pre-flight as typed.
        .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false, 'dot-notation': false })
        .options(OPTIONS)
        .epilog('Any template parameter is also a flag: GitHubOwner → --github-owner VALUE.') as never,
    handler: async (args) => {
      ctx.exitCode = await runDeployCommand(args, ctx);
    },
  };
}
