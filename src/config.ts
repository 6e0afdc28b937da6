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
}

/** One environment a release is promoted through. */
export interface EnvironmentConfig {
  /** Stage name and suffix part: the environment's stack and names carry `<pipeline suffix>-<name>`. */
  readonly name: string;
  /** A person approves the promotion before this environment is deployed. @default false */
  readonly approval: boolean;
}

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

const KEYS = ['project', 'tags', 'deployment', 'network', 'environments'];

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
  return {
    project,
    tags: Object.fromEntries(entries) as Record<string, string>,
    deployment: parsedDeployment,
    network: network as NetworkChoice,
    ...(environments !== undefined && { environments: parseEnvironments(environments, parsedDeployment, source) }),
  };
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
    const { name, approval = false, ...unknown } = entry as Record<string, unknown>;
    const extra = Object.keys(unknown);
    if (extra.length > 0) {
      throw new InputError(`${source}: unknown key "${at}.${extra[0]}"; allowed: "name", "approval"`);
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
    return { name, approval };
  });
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
