// Where a promoting pipeline's environments run: each environment in its own account (or the
// pipeline's) and in one or more Regions, one after another. The names that cross an account or a
// Region boundary are written here once, for the three sides that must agree on them: the pipeline
// (tools account), the regional artifact stores beside it, and each target account's bootstrap.
//
// The reaching is AWS's own: CodePipeline actions in another Region (the pipeline's ArtifactStores)
// and with another account's role (an action's RoleArn), ECR replication for the image, and
// CloudFormation in the target account running with the bootstrap's execution role.
import type { BuildConfig, EnvironmentConfig, PipelineHome } from './config.js';
import { arnText } from './intrinsics.js';
import { capitalized, environmentSuffixText, OWN_SUFFIX, physicalNameText } from './naming.js';

/** One place a release lands: one environment in one account and Region. */
export interface Placement {
  readonly environment: EnvironmentConfig;
  /** The account, when it is not the pipeline's own. @default - the pipeline's account */
  readonly account?: string;
  /** The Region, when it is not the pipeline's own. @default - the pipeline's Region */
  readonly region?: string;
  /** 0 for the environment's first Region; its approval comes before that one only. */
  readonly index: number;
  /** The stage: the environment's name, then `<Name>-<region>` for each further Region. */
  readonly stageName: string;
  /** The namespace of its release's output variables (`#{ProdRelease.ProductionUrl}`). */
  readonly namespace: string;
}

/** `eu-west-1` → `EuWest1`. */
export const pascalRegion = (region: string) => region.split('-').map(capitalized).join('');

/** Where `environment`'s releases land, in order; without account and Regions, one placement at home. */
export function placementsOf(environment: EnvironmentConfig, home: PipelineHome | undefined): Placement[] {
  const account =
    environment.account !== undefined && environment.account !== home?.account ? environment.account : undefined;
  const regions = environment.regions ?? [undefined];
  return regions.map((listed, index) => {
    const region = listed !== undefined && listed !== home?.region ? listed : undefined;
    const name = capitalized(environment.name);
    return {
      environment,
      ...(account !== undefined && { account }),
      ...(region !== undefined && { region }),
      index,
      stageName: index === 0 ? name : `${name}-${listed}`,
      namespace: index === 0 ? `${name}Release` : `${name}${pascalRegion(listed as string)}Release`,
    };
  });
}

/** Every placement of the config's environments, in promotion order. */
export const placements = (config: BuildConfig): Placement[] =>
  (config.environments ?? []).flatMap((e) => placementsOf(e, config.pipeline));

/** The Regions other than the pipeline's where a release lands: each needs an artifact store there. */
export const remoteRegions = (config: BuildConfig): string[] => [
  ...new Set(placements(config).flatMap((p) => (p.region === undefined ? [] : [p.region]))),
];

/** The environments that run in another account, each with that account. */
export const remoteEnvironments = (config: BuildConfig): { name: string; account: string }[] =>
  (config.environments ?? []).flatMap((e) => {
    const [first] = placementsOf(e, config.pipeline);
    return first?.account === undefined ? [] : [{ name: e.name, account: first.account }];
  });

/**
 * The name of one of an environment stack's own roles (`!Sub` text): IAM role names are unique in an
 * account across Regions (IAM User Guide, "IAM identifiers"), and one environment may run in several
 * Regions of one account, so its roles carry the Region they serve.
 */
export const environmentRoleName = (type: string, environmentSuffix: string, region = '${AWS::Region}') =>
  `${physicalNameText(type, environmentSuffix)}-${region}`;

/** Name types of the roles a target account's bootstrap creates for one environment. */
export const TargetRoles = {
  /** Assumed by the pipeline and its release project: prepares and executes the release change set. */
  Deploy: 'deploy-role',
  /** Passed to CloudFormation: creates and updates the environment stack. */
  Execution: 'cfn-exec-role',
} as const;

/**
 * The IAM path of the bootstrap's roles and policies. The execution role may manage the environment's
 * roles and policies, `role/cicd-*` and `policy/cicd-*`; under this path the bootstrap's own ARNs
 * (`role/bootstrap/cicd-…`) are outside that pattern, so neither role can rewrite itself or the other.
 */
export const TARGET_ROLE_PATH = '/bootstrap/';

/** A role of `environment`'s bootstrap, by name (`!Sub` text), from the pipeline's suffix text. */
export const targetRoleName = (type: string, environment: string, pipelineSuffix = OWN_SUFFIX) =>
  physicalNameText(type, environmentSuffixText(environment, pipelineSuffix));

/** A target role's ARN as the pipeline names it (`!Sub` text). */
export const targetRoleArnText = (type: string, environment: string, account: string) =>
  arnText('iam', `role${TARGET_ROLE_PATH}${targetRoleName(type, environment)}`, { account });

/** Names of the roles in the tools account that a target account's deploy role trusts (`!Sub` text, pipeline's suffix). */
export const TRUSTED_ROLE_TYPES = ['pipeline-role', 'release-role'] as const;
