// `cfn-cicd deploy`: `aws cloudformation deploy` with the capabilities, tags and parameter values
// the template needs, every value checked against the template's constraints before any AWS call;
// stack events stream while it runs, then the outputs (or, with --no-execute, the change set). A
// deploy that fails or is interrupted says what state the stack was left in and what to run next.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CommandModule, Options } from 'yargs';
import type { GivenValue } from '../deploy/preflight.js';
import type { DeployRequest } from '../deploy/stack.js';
import type { TemplateFile } from '../deploy/template-file.js';
import type { TemplateModel } from '../model/template.js';
import { INLINE_TEMPLATE_LIMIT } from '../deploy/template-file.js';
import { InputError, InterruptedError, ToolError } from '../errors.js';
import { readInputText } from '../files.js';
import { interruptible } from '../interrupt.js';
import { ENVIRONMENT_TEMPLATE_FILE, Params, PIPELINE_TEMPLATE_FILE } from '../naming.js';
import { DEPLOY_ENVIRONMENTS_KEY, DEPLOY_METADATA_KEY, DEPLOY_PIPELINE_KEY } from '../parameters/spec.js';
import { TARGET_ROLE_PATH, targetRoleName, TargetRoles } from '../accounts.js';
import type { EnvironmentConfig, PipelineHome } from '../config.js';
import type { AwsConnection } from '../tools/aws.js';
import { awsConnection, STACK_NAME } from '../tools/aws.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';
import { boolean, checked, list, single } from './flags.js';

/** Where `npm run build` writes the environment template of configs/environments.json. */
const ENVIRONMENT_TEMPLATE_PATH = `templates/environments/${ENVIRONMENT_TEMPLATE_FILE}`;

/** deploy's own flags, declared once: the parser takes them, and any other flag is a template parameter. */
export const OPTIONS = {
  'template-file': {
    type: 'string',
    default: `templates/${PIPELINE_TEMPLATE_FILE}`,
    describe: 'template to deploy',
  },
  'stack-name': {
    type: 'string',
    describe: 'stack name (default: cicd-pipeline-<env-suffix>; with --env: cicd-environment-<env-suffix>-<env>)',
  },
  env: {
    type: 'string',
    describe: `an environment of a promoting pipeline (or "all", in promotion order): deploys ${ENVIRONMENT_TEMPLATE_PATH} with EnvironmentSuffix <env-suffix>-<env>`,
  },
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
  emulator: {
    type: 'boolean',
    default: false,
    describe:
      'deploy to a local moto server at --endpoint-url: the template rewritten around what moto cannot take, throwaway credentials',
  },
} as const satisfies Record<string, Options>;

export interface DeployArgs {
  readonly 'template-file': string;
  readonly parameter?: string[];
  readonly tags?: string[];
  readonly execute: boolean;
  readonly 'fail-on-empty-changeset': boolean;
  readonly _: (string | number)[];
  readonly [flag: string]: unknown;
}

/** Short flags for the two parameters every deployment sets. */
const ALIASES: Readonly<Record<string, string>> = {
  'env-suffix': Params.EnvironmentSuffix,
  'github-secret-arn': Params.GitHubTokenSecretArn,
};

const KNOWN_KEYS = new Set(['_', '$0', 'help', 'h', 'version', 'v', ...Object.keys(OPTIONS)]);

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** More than CloudFormation's 200 parameters of 4,096 bytes each need. */
const PARAMETERS_LIMIT = { bytes: 1_048_576, why: "more than CloudFormation's 200 parameters need" } as const;

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
    if (other !== undefined) throw new InputError(`--${alias} and ${other.source} both set ${name}; give one`);
    values[name] = { value, source: `--${alias}` };
  }
  return values;
}

/** Everything checked before any AWS call: the request, the stack name and the connection. */
interface Plan {
  readonly connection: AwsConnection;
  readonly stackName: string;
  readonly template: TemplateFile;
  readonly request: Omit<DeployRequest, 'templateFile' | 's3Bucket'>;
  readonly s3Bucket?: string;
  readonly emulator: boolean;
  /** The values given, for the checks against the stack's current ones. */
  readonly values: Readonly<Record<string, GivenValue>>;
}

/** One environment of a promoting pipeline in one Region, and its place in the promotion order. */
interface EnvironmentChoice {
  readonly name: string;
  readonly index: number;
  /** Its account, when the config names one other than the pipeline's: the credentials must be for it. */
  readonly account?: string;
  /** The Region to deploy it in, when the config names the pipeline's home. @default - the CLI's Region */
  readonly region?: string;
}

/** The environments a template lists for `--env`, in promotion order, and the pipeline's home; none for a single-stack template. */
function listedEnvironments(template: TemplateFile): { environments: EnvironmentConfig[]; home?: PipelineHome } {
  const metadata = (template.model.body['Metadata'] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const listed = metadata[DEPLOY_METADATA_KEY]?.[DEPLOY_ENVIRONMENTS_KEY];
  const home = metadata[DEPLOY_METADATA_KEY]?.[DEPLOY_PIPELINE_KEY] as PipelineHome | undefined;
  return {
    environments: Array.isArray(listed) ? (listed as EnvironmentConfig[]) : [],
    ...(home !== undefined && { home }),
  };
}

/** `environment` in each Region it runs in (one, when --region names one of them). */
function inRegions(
  environment: EnvironmentConfig,
  index: number,
  home: PipelineHome | undefined,
  region: string | undefined,
): EnvironmentChoice[] {
  const account =
    environment.account !== undefined && environment.account !== home?.account ? environment.account : undefined;
  const base = { name: environment.name, index, ...(account !== undefined && { account }) };
  if (home === undefined) return [base];
  const regions = environment.regions ?? [home.region];
  if (region !== undefined && !regions.includes(region)) {
    throw new InputError(`--region ${region}: environment ${environment.name} runs in ${regions.join(', ')}`);
  }
  return (region === undefined ? regions : [region]).map((r) => ({ ...base, region: r }));
}

/** The template file deploy reads: --template-file, else with --env the environment template. */
function templatePath(args: DeployArgs, argv: readonly string[]): string {
  const given = argv.some((a) => a === '--template-file' || a.startsWith('--template-file='));
  if (!given && single(args, 'env') !== undefined) return ENVIRONMENT_TEMPLATE_PATH;
  return single(args, 'template-file') as string;
}

/** The environments `--env` names (one, or every one for "all"), checked against the template's list. */
async function chosenEnvironments(args: DeployArgs, argv: readonly string[]): Promise<EnvironmentChoice[] | undefined> {
  const env = single(args, 'env');
  if (env === undefined) return undefined;
  const { readTemplateFile } = await import('../deploy/template-file.js');
  const path = templatePath(args, argv);
  const template = await readTemplateFile(path);
  const { environments, home } = listedEnvironments(template);
  const listed = environments.map((e) => e.name);
  const region = single(args, 'region');
  if (listed.length === 0 || template.parameters[Params.PipelineSuffix] === undefined) {
    throw new InputError(
      `--env ${env}: ${path} is not an environment template (build one from a config with "environments" and pass ${ENVIRONMENT_TEMPLATE_PATH})`,
    );
  }
  if (env === 'all') {
    if (single(args, 'stack-name') !== undefined)
      throw new InputError('--env all deploys several stacks: leave out --stack-name');
    return environments.flatMap((e, index) => inRegions(e, index, home, region));
  }
  const index = listed.indexOf(env);
  if (index < 0)
    throw new InputError(
      `--env ${JSON.stringify(env)}: not an environment of ${path}; one of ${[...listed, 'all'].join(', ')}`,
    );
  return inRegions(environments[index] as EnvironmentConfig, index, home, region);
}

/**
 * An environment's values: its suffix is the pipeline's plus its name, its pipeline is the one named by
 * --env-suffix, and every environment after the first probes itself unless told otherwise.
 */
function environmentValues(
  values: Record<string, GivenValue>,
  environment: EnvironmentChoice,
): Record<string, GivenValue> {
  const pipeline = values[Params.EnvironmentSuffix];
  if (pipeline === undefined)
    throw new InputError(
      `--env ${environment.name} needs --env-suffix: the suffix of the pipeline stack that releases into it`,
    );
  const pipelineSuffix = values[Params.PipelineSuffix];
  if (pipelineSuffix !== undefined) {
    throw new InputError(`--env sets PipelineSuffix from --env-suffix; leave out ${pipelineSuffix.source}`);
  }
  return {
    ...values,
    [Params.EnvironmentSuffix]: {
      value: `${pipeline.value}-${environment.name}`,
      source: `${pipeline.source} and --env ${environment.name}`,
    },
    [Params.PipelineSuffix]: { value: pipeline.value, source: pipeline.source },
    [Params.SyntheticProbe]: values[Params.SyntheticProbe] ?? {
      value: environment.index > 0 ? 'true' : 'false',
      source: `--env ${environment.name}`,
    },
  };
}

/**
 * The bootstrap's CloudFormation role of an environment in another account, once the credentials are
 * shown to be that account's; else the line that says whose they are.
 */
async function executionRole(
  environment: EnvironmentChoice,
  values: Readonly<Record<string, GivenValue>>,
  connection: AwsConnection,
): Promise<string | string[]> {
  const { callerAccount } = await import('../deploy/stack.js');
  const { account, partition } = await callerAccount(connection);
  if (account !== environment.account) {
    return [
      `environment ${environment.name} runs in account ${environment.account as string}, but these credentials are for ${account}: pass --profile for ${environment.account as string} (deploy environments of different accounts one --env at a time)`,
    ];
  }
  const pipelineSuffix = values[Params.PipelineSuffix]?.value as string;
  return `arn:${partition}:iam::${account}:role${TARGET_ROLE_PATH}${targetRoleName(TargetRoles.Execution, environment.name, pipelineSuffix)}`;
}

/** The regional artifact keys a promoting pipeline with Regions needs (none for any other template). */
async function artifactStoreKeys(
  model: TemplateModel,
  given: Readonly<Record<string, GivenValue>>,
  connection: AwsConnection,
): Promise<{ values: Record<string, GivenValue>; problems: string[] }> {
  const stores = await import('../deploy/artifact-stores.js');
  const suffix = given[Params.EnvironmentSuffix]?.value;
  if (suffix === undefined || stores.storeRegions(model).length === 0) return { values: {}, problems: [] };
  return stores.regionalKeyValues(model, given, suffix, connection);
}

/** Reads and checks every flag, file and value; returns the plan, or the pre-flight's refusals. */
async function plan(
  args: DeployArgs,
  argv: readonly string[],
  environment?: EnvironmentChoice,
): Promise<Plan | string[]> {
  const inputs = await import('../deploy/inputs.js');
  const { preflight } = await import('../deploy/preflight.js');
  const { readTemplateFile, requiredCapabilities } = await import('../deploy/template-file.js');

  const stray = args._.slice(1);
  if (stray.length > 0)
    throw new InputError(`unexpected argument ${JSON.stringify(String(stray[0]))}; deploy takes only options`);
  const given = awsConnection({
    region: environment?.region ?? single(args, 'region'),
    profile: single(args, 'profile'),
    endpointUrl: single(args, 'endpoint-url'),
  });
  const emulator = boolean(args, 'emulator', argv);
  const connection = emulator ? (await import('../deploy/emulator.js')).emulatorConnection(given) : given;
  const s3Bucket = checked(
    args,
    's3-bucket',
    BUCKET,
    'an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)',
  );
  const tags = inputs.parseTags(list(args, 'tags'));
  const template = await readTemplateFile(templatePath(args, argv));
  const names = Object.keys(template.parameters);
  const parametersFile = single(args, 'parameters');
  const flagged: Record<string, GivenValue> = {
    ...(parametersFile === undefined
      ? {}
      : inputs.parseParametersFile(
          await readInputText(parametersFile, `--parameters ${parametersFile}`, PARAMETERS_LIMIT),
          parametersFile,
        )),
    ...inputs.parseParameterFlags(list(args, 'parameter')),
    ...namedFlagValues(args, names, inputs.parameterFlags),
  };
  const chosen = environment === undefined ? flagged : environmentValues(flagged, environment);
  // A promoting pipeline with Regions: each other Region's artifact key, from the stack that holds it.
  const regional = await artifactStoreKeys(template.model, chosen, connection);
  if (regional.problems.length > 0) return regional.problems;
  const values = { ...chosen, ...regional.values };
  const flagFor = (name: string): string =>
    `--${Object.keys(ALIASES).find((alias) => ALIASES[alias] === name) ?? inputs.flagName(name)} VALUE`;
  const problems = preflight(template.parameters, values, flagFor);
  if (problems.length > 0) return problems;

  const suffix = values[Params.EnvironmentSuffix]?.value ?? template.parameters[Params.EnvironmentSuffix]?.Default;
  const stackName =
    checked(args, 'stack-name', STACK_NAME, 'a letter, then up to 127 letters, digits and hyphens') ??
    (suffix === undefined ? undefined : `cicd-${environment === undefined ? 'pipeline' : 'environment'}-${suffix}`);
  if (stackName === undefined) throw new InputError('--stack-name is required: the template has no EnvironmentSuffix');
  if (!STACK_NAME.test(stackName))
    throw new InputError(
      `--env-suffix ${JSON.stringify(suffix)}: makes the stack name ${stackName}, which CloudFormation refuses`,
    );
  // In another account: the credentials must be that account's, and the stack runs with its bootstrap's role.
  const roleArn = environment?.account === undefined ? undefined : await executionRole(environment, values, connection);
  if (Array.isArray(roleArn)) return roleArn;
  return {
    connection,
    stackName,
    template,
    s3Bucket,
    emulator,
    values,
    request: {
      ...(roleArn !== undefined && { roleArn }),
      stackName,
      parameters: Object.fromEntries(Object.entries(values).map(([name, v]) => [name, v.value])),
      capabilities: requiredCapabilities(template.model),
      tags,
      execute: boolean(args, 'execute', argv),
      failOnEmptyChangeset: boolean(args, 'fail-on-empty-changeset', argv),
    },
  };
}

/**
 * The file `aws cloudformation deploy` is given: the template, or in emulator mode its rewrite in
 * `work` for the values the deployment uses.
 */
async function deployedFile(
  p: Plan,
  work: string,
  values: Readonly<Record<string, string>>,
): Promise<{ path: string; bytes: number }> {
  if (!p.emulator) return { path: p.template.path, bytes: p.template.bytes };
  const { motoCompatible, MOTO_MODELED_TYPES } = await import('../deploy/emulator.js');
  const { conditionValues } = await import('../deploy/update-checks.js');
  const conditions = conditionValues(p.template.model, values);
  const text = JSON.stringify(motoCompatible(p.template.model.body, MOTO_MODELED_TYPES, conditions), null, 1);
  const path = join(work, `${basename(p.template.path).replace(/\.[^.]*$/, '')}.emulator.json`);
  await writeFile(path, text);
  return { path, bytes: Buffer.byteLength(text) };
}

/** Runs the plan: first contact, the deploy with its events, then the outcome; on failure or Ctrl-C, what was left. */
async function execute(p: Plan, ctx: CliContext, signal: AbortSignal, work: string): Promise<number> {
  const { failureCause, formatEvent, watchStackEvents } = await import('../deploy/events.js');
  const stack = await import('../deploy/stack.js');
  const { changeSetCommand, stackState } = await import('../deploy/state.js');
  const { EMULATOR_BUCKET, ensureBucket, waitForEmulator } = await import('../deploy/emulator.js');
  const { connection, stackName } = p;

  // A real template's size is known before any call; the emulator's rewrite waits for the stack's values.
  if (!p.emulator && p.template.bytes > INLINE_TEMPLATE_LIMIT && p.s3Bucket === undefined) {
    throw new InputError(
      `--template-file ${p.template.path} is ${p.template.bytes} bytes, over the ${INLINE_TEMPLATE_LIMIT.toLocaleString('en-US')}-byte inline limit: pass --s3-bucket BUCKET to upload it`,
    );
  }
  if (p.emulator) await waitForEmulator(connection.endpointUrl as string);
  // The first call: an endpoint that does not answer fails here, in seconds, before anything changes.
  const existing = await stack
    .existingStack(stackName, connection, { firstContact: true, signal })
    .catch((error: Error) => {
      if (error instanceof InterruptedError) {
        throw new InterruptedError(
          error.signal,
          `interrupted by ${error.signal} before deploy of stack ${stackName} started; nothing changed`,
        );
      }
      throw new ToolError(`deploy of stack ${stackName} not started: ${error.message}`);
    });
  const before = existing?.status;
  // What the deployment will really use: the stack's current values where none is given.
  const { effectiveValues, fixedParameterProblems, ruleProblems } = await import('../deploy/update-checks.js');
  const previous = before === 'REVIEW_IN_PROGRESS' ? undefined : existing?.parameters;
  const refusals = [
    ...(previous === undefined ? [] : fixedParameterProblems(p.template.model, previous, p.values)),
    ...ruleProblems(p.template.model, effectiveValues(p.template.model, previous, p.values)),
  ];
  if (refusals.length > 0) {
    for (const line of refusals) ctx.io.err(`cfn-cicd: ${line}`);
    return EXIT.found;
  }
  const file = await deployedFile(p, work, effectiveValues(p.template.model, previous, p.values));
  const s3Bucket = p.s3Bucket ?? (p.emulator && file.bytes > INLINE_TEMPLATE_LIMIT ? EMULATOR_BUCKET : undefined);
  /** What the stack was left as, for a failure line; never throws. */
  const left = (): Promise<string> =>
    stack.stackStatus(stackName, connection, { firstContact: true }).then(
      (status) => stackState(stackName, status, connection),
      (error: Error) => `the state of stack ${stackName} is unknown (${error.message})`,
    );

  try {
    if (p.emulator && s3Bucket !== undefined) await ensureBucket(s3Bucket, connection, signal);
    const request: DeployRequest = { ...p.request, templateFile: file.path, s3Bucket };
    const capabilities = request.capabilities.length > 0 ? request.capabilities.join(' ') : 'none';
    const rewritten = p.emulator ? ', rewritten for the emulator' : '';
    ctx.io.out(
      `${request.execute ? 'Deploying' : 'Previewing'} stack ${stackName} from ${p.template.path}${rewritten} (${file.bytes} bytes; capabilities: ${capabilities})`,
    );
    const watch = request.execute ? await watchStackEvents(stackName, connection, ctx.io.out) : undefined;
    const result = await stack.runDeploy(request, connection, signal).finally(() => watch?.stop());
    const events = (await watch?.stop()) ?? [];
    if (result.exitCode !== 0) {
      const cause = failureCause(events);
      throw new ToolError(cause ? formatEvent(cause) : stack.firstErrorLine(result));
    }
    const upToDate = result.stdout.split('\n').find((line) => line.startsWith('No changes to deploy'));
    if (upToDate !== undefined) {
      ctx.io.out(upToDate.trim());
      return EXIT.ok;
    }
    if (!request.execute) {
      const arn = stack.changeSetArn(result.stdout);
      if (arn === undefined)
        throw new ToolError(`aws cloudformation deploy printed no change set ARN: ${stack.firstErrorLine(result)}`);
      for (const line of await stack.changeSetLines(arn, connection)) ctx.io.out(line);
      const created = before === undefined ? `; stack ${stackName} is REVIEW_IN_PROGRESS, created empty for it` : '';
      ctx.io.out(`Not executed${created}. Execute it: \`${changeSetCommand(arn, connection)}\``);
      return EXIT.ok;
    }
    const outcome = await stack.describeStack(stackName, connection);
    ctx.io.out(`Stack ${stackName}: ${outcome.status}`);
    if (outcome.outputs.length === 0) ctx.io.out('Outputs: none reported');
    else ctx.io.out('Outputs:');
    for (const o of outcome.outputs) ctx.io.out(`  ${o.OutputKey} = ${o.OutputValue}`);
    return EXIT.ok;
  } catch (error) {
    // Once the deploy may have begun, every failure says what the stack was left as.
    const state = await left();
    if (error instanceof InterruptedError)
      throw new InterruptedError(error.signal, `interrupted by ${error.signal}: ${state}`);
    throw new ToolError(`deploy of stack ${stackName} failed: ${(error as Error).message}; ${state}`);
  }
}

export async function runDeployCommand(args: DeployArgs, ctx: CliContext): Promise<number> {
  // Every environment's values pass the pre-flight before any of them is deployed.
  const environments = await chosenEnvironments(args, ctx.argv);
  const plans: Plan[] = [];
  for (const environment of environments ?? [undefined]) {
    const planned = await plan(args, ctx.argv, environment);
    if (Array.isArray(planned)) {
      const where =
        environment === undefined
          ? ''
          : `--env ${environment.name}${environment.region === undefined ? '' : ` (${environment.region})`}: `;
      for (const line of planned) ctx.io.err(`cfn-cicd: ${where}${line}`);
      return EXIT.found;
    }
    plans.push(planned);
  }
  for (const planned of plans) {
    const code = await interruptible(async (signal) => {
      const work = await mkdtemp(join(tmpdir(), 'cfn-cicd-deploy-'));
      try {
        return await execute(planned, ctx, signal, work);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
    // An environment that did not deploy stops the promotion: the next one waits for it.
    if (code !== EXIT.ok) return code;
  }
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
        // Parameter values are text: '007' and '1e3' must reach the pre-flight as typed; a flag stays
        // under the spelling given, so two spellings of one parameter can be told apart and refused.
        .parserConfiguration({
          'parse-numbers': false,
          'parse-positional-numbers': false,
          'dot-notation': false,
          'camel-case-expansion': false,
        })
        .options(OPTIONS)
        .epilog('Any template parameter is also a flag: GitHubOwner → --github-owner VALUE.') as never,
    handler: async (args) => {
      ctx.exitCode = await runDeployCommand(args, ctx);
    },
  };
}
