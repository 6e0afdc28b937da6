// What a platform team chooses per build: the Project tag, extra tags, the deployment engine and
// the environments a release is promoted through.
// Read by the CLI from a JSON file; validated here so a bad file gets one clear line and no
// template is written. A build-time choice gives a different plain template, not a Condition.
import { InputError } from './errors.js';

/** How a new image reaches the service. */
export const ENGINES = ['ecs', 'codedeploy'] as const;
export type Engine = (typeof ENGINES)[number];

/** Where the service's network comes from. */
export const NETWORKS = ['create', 'existing'] as const;
export type NetworkChoice = (typeof NETWORKS)[number];

/** Build-time settings that shape the emitted templates. */
export interface BuildConfig {
  /** Value of the Project tag on every resource. @default 'cfn-cicd' */
  readonly project: string;
  /** Extra tags on every taggable resource, e.g. CostCenter. @default - none */
  readonly tags: Readonly<Record<string, string>>;
  readonly deployment: {
    /**
     * `ecs`: Amazon ECS blue/green (the service's own strategy, lifecycle hooks, CloudFormation owns the
     * task definition); `codedeploy`: CodeDeploy blue/green (CodeDeploy owns the task definition).
     * @default 'ecs'
     */
    readonly engine: Engine;
  };
  /**
   * `create`: the template creates its VPC, subnets and internet gateway, and the TaskSubnets
   * parameter puts the tasks in public subnets or in private ones with VPC endpoints; `existing`: the
   * team's own VPC, given as the VpcId, PublicSubnetIds and PrivateSubnetIds parameters, where the
   * tasks run in the private subnets without public IPs and the template creates no network at all.
   * A build-time choice: typed VPC and subnet parameters cannot default to empty.
   * @default 'create'
   */
  readonly network: NetworkChoice;
  /**
   * Environments in promotion order. With them the build writes a pipeline template that builds once
   * and promotes the image through each, and the environment template each is created from.
   * @default - none: one stack that builds and deploys one environment
   */
  readonly environments?: readonly EnvironmentConfig[];
  /**
   * Where the promoting pipeline itself runs (the tools account and Region). Required once an
   * environment names an account or Regions: the pipeline's artifact stores, ECR replication and the
   * target accounts' trust are written for this account and Region.
   * @default - none: every environment runs in the pipeline's own account and Region
   */
  readonly pipeline?: PipelineHome;
}

/** The account and Region the promoting pipeline is deployed in. */
export interface PipelineHome {
  readonly account: string;
  readonly region: string;
}

/** One environment a release is promoted through. */
export interface EnvironmentConfig {
  /** Stage name and suffix part: the environment's stack and names carry `<pipeline suffix>-<name>`. */
  readonly name: string;
  /** A person approves the promotion before this environment is deployed. @default false */
  readonly approval: boolean;
  /**
   * The AWS account the environment runs in (12 digits). The pipeline releases into it through a deploy
   * role the account's bootstrap stack creates. @default - the pipeline's own account
   */
  readonly account?: string;
  /**
   * The Regions the environment runs in, in deployment order: the first with the environment's stage,
   * each further one a stage of its own after the one before it has baked. @default - the pipeline's Region
   */
  readonly regions?: readonly string[];
}

/** An account ID: exactly 12 digits (IAM User Guide, "Your AWS account ID"). */
export const ACCOUNT_ID = /^[0-9]{12}$/;
/** A Region code such as us-east-1 or us-gov-west-1 (commercial, GovCloud, China; not a Local Zone). */
export const REGION_CODE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;
/** Each Region of an environment is a stage with its own bake: a handful keeps a release's duration sane. */
export const MAX_REGIONS = 4;

export const DEFAULT_CONFIG: BuildConfig = {
  project: 'cfn-cicd',
  tags: {},
  deployment: { engine: 'ecs' },
  network: 'create',
};

/** Environment names: short, so `<pipeline suffix>-<name>` still fits every physical name's limit. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{0,7}$/;
/** Each environment runs its own load balancer and service: a handful keeps the cost visible. */
export const MAX_ENVIRONMENTS = 5;

const KEYS = ['project', 'tags', 'deployment', 'network', 'environments', 'pipeline'];

/** Tag keys the standard set owns; config may not override them. */
const RESERVED_TAG_KEYS = ['Environment', 'ManagedBy', 'Project'];
const TAG_KEY = /^[A-Za-z0-9 _.:/=+@-]{1,128}$/;
const TAG_VALUE = /^[A-Za-z0-9 _.:/=+@-]{0,256}$/;
const MAX_EXTRA_TAGS = 10;

/** Parsed, checked config; throws InputError naming the bad value and what is allowed. */
export function parseConfig(raw: unknown, source = 'config'): BuildConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`${source}: must be a JSON object with optional ${KEYS.map((k) => `"${k}"`).join(', ')}`);
  }
  const {
    project = DEFAULT_CONFIG.project,
    tags = {},
    deployment = DEFAULT_CONFIG.deployment,
    network = DEFAULT_CONFIG.network,
    environments,
    pipeline,
    ...unknown
  } = raw as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) {
    throw new InputError(
      `${source}: unknown key "${extra[0]}"; allowed keys are ${KEYS.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  if (typeof project !== 'string' || !TAG_VALUE.test(project) || project.length === 0) {
    throw new InputError(
      `${source}: project ${JSON.stringify(project)} must be 1-256 characters of letters, digits, spaces and _.:/=+@-`,
    );
  }
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    throw new InputError(`${source}: tags must be an object of string keys to string values`);
  }
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > MAX_EXTRA_TAGS) {
    throw new InputError(`${source}: ${entries.length} tags given; at most ${MAX_EXTRA_TAGS} extra tags are allowed`);
  }
  for (const [key, value] of entries) {
    if (!TAG_KEY.test(key) || key.toLowerCase().startsWith('aws:')) {
      throw new InputError(
        `${source}: tag key ${JSON.stringify(key)} must be 1-128 characters of letters, digits, spaces and _.:/=+@- and not start with "aws:"`,
      );
    }
    if (RESERVED_TAG_KEYS.includes(key)) {
      throw new InputError(
        `${source}: tag key "${key}" is set by cfn-cicd; reserved keys are ${RESERVED_TAG_KEYS.join(', ')}`,
      );
    }
    if (typeof value !== 'string' || !TAG_VALUE.test(value)) {
      throw new InputError(
        `${source}: tag "${key}" value ${JSON.stringify(value)} must be a string of 0-256 letters, digits, spaces and _.:/=+@-`,
      );
    }
  }
  const parsedDeployment = parseDeployment(deployment, source);
  if (!NETWORKS.includes(network as NetworkChoice)) {
    throw new InputError(
      `${source}: network ${JSON.stringify(network)} must be one of ${NETWORKS.map((n) => `"${n}"`).join(', ')}`,
    );
  }
  const parsedEnvironments =
    environments === undefined ? undefined : parseEnvironments(environments, parsedDeployment, source);
  const home = pipeline === undefined ? undefined : parsePipelineHome(pipeline, parsedEnvironments, source);
  const placed = parsedEnvironments?.find((e) => e.account !== undefined || e.regions !== undefined);
  if (placed !== undefined && home === undefined) {
    throw new InputError(
      `${source}: environment "${placed.name}" names an account or Regions, so "pipeline" must give the pipeline's own, such as {"account": "111111111111", "region": "us-east-1"}`,
    );
  }
  return {
    project,
    tags: Object.fromEntries(entries) as Record<string, string>,
    deployment: parsedDeployment,
    network: network as NetworkChoice,
    ...(parsedEnvironments !== undefined && { environments: parsedEnvironments }),
    ...(home !== undefined && { pipeline: home }),
  };
}

function parsePipelineHome(
  raw: unknown,
  environments: readonly EnvironmentConfig[] | undefined,
  source: string,
): PipelineHome {
  if (environments === undefined) {
    throw new InputError(`${source}: "pipeline" is for a promoting pipeline; give "environments" too`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      `${source}: pipeline must be an object such as {"account": "111111111111", "region": "us-east-1"}`,
    );
  }
  const { account, region, ...unknown } = raw as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0)
    throw new InputError(`${source}: unknown key "pipeline.${extra[0]}"; allowed: "account", "region"`);
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) {
    throw new InputError(
      `${source}: pipeline.account ${JSON.stringify(account)} must be an AWS account ID of 12 digits`,
    );
  }
  if (typeof region !== 'string' || !REGION_CODE.test(region)) {
    throw new InputError(
      `${source}: pipeline.region ${JSON.stringify(region)} must be a Region code such as us-east-1 or eu-central-2`,
    );
  }
  return { account, region };
}

function parseEnvironments(
  raw: unknown,
  deployment: BuildConfig['deployment'],
  source: string,
): readonly EnvironmentConfig[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_ENVIRONMENTS) {
    throw new InputError(
      `${source}: environments must be a list of 1-${MAX_ENVIRONMENTS} objects such as {"name": "beta"}, in promotion order`,
    );
  }
  // Releases reach an environment as an update of its stack; only the ECS engine deploys that way.
  if (deployment.engine !== 'ecs') {
    throw new InputError(
      `${source}: environments need deployment.engine "ecs" (got "${deployment.engine}"): a release reaches each environment as an update of its stack`,
    );
  }
  const seen = new Set<string>();
  return raw.map((entry: unknown, index) => {
    const at = `environments[${index}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new InputError(`${source}: ${at} must be an object such as {"name": "beta", "approval": true}`);
    }
    const { name, approval = false, account, regions, ...unknown } = entry as Record<string, unknown>;
    const extra = Object.keys(unknown);
    if (extra.length > 0) {
      throw new InputError(
        `${source}: unknown key "${at}.${extra[0]}"; allowed: "name", "approval", "account", "regions"`,
      );
    }
    if (typeof name !== 'string' || !ENVIRONMENT_NAME.test(name)) {
      throw new InputError(
        `${source}: ${at}.name ${JSON.stringify(name)} must be 1-8 lowercase letters and digits, starting with a letter`,
      );
    }
    if (seen.has(name)) throw new InputError(`${source}: environment "${name}" is listed twice`);
    seen.add(name);
    if (typeof approval !== 'boolean') {
      throw new InputError(`${source}: ${at}.approval ${JSON.stringify(approval)} must be true or false`);
    }
    if (account !== undefined && (typeof account !== 'string' || !ACCOUNT_ID.test(account))) {
      throw new InputError(
        `${source}: ${at}.account ${JSON.stringify(account)} must be an AWS account ID of 12 digits`,
      );
    }
    return {
      name,
      approval,
      ...(account !== undefined && { account: account as string }),
      ...(regions !== undefined && { regions: parseRegions(regions, `${at}.regions`, source) }),
    };
  });
}

function parseRegions(raw: unknown, at: string, source: string): readonly string[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_REGIONS) {
    throw new InputError(
      `${source}: ${at} must be a list of 1-${MAX_REGIONS} Region codes such as ["us-east-1", "eu-west-1"], in deployment order`,
    );
  }
  const seen = new Set<string>();
  for (const [index, region] of raw.entries()) {
    if (typeof region !== 'string' || !REGION_CODE.test(region)) {
      throw new InputError(
        `${source}: ${at}[${index}] ${JSON.stringify(region)} must be a Region code such as us-east-1 or eu-central-2`,
      );
    }
    if (seen.has(region)) throw new InputError(`${source}: ${at} lists ${region} twice`);
    seen.add(region);
  }
  return raw as string[];
}

function parseDeployment(raw: unknown, source: string): BuildConfig['deployment'] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`${source}: deployment must be an object such as {"engine": "ecs"}`);
  }
  const { engine = DEFAULT_CONFIG.deployment.engine, ...unknown } = raw as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) throw new InputError(`${source}: unknown key "deployment.${extra[0]}"; allowed: "engine"`);
  if (!ENGINES.includes(engine as Engine)) {
    throw new InputError(
      `${source}: deployment.engine ${JSON.stringify(engine)} must be one of ${ENGINES.map((e) => `"${e}"`).join(', ')}`,
    );
  }
  return { engine: engine as Engine };
}
