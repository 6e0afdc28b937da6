// The promoting pipeline's reach into other Regions and accounts, tools-account side: an artifact
// store in each Region other than the pipeline's where a release lands (CodePipeline needs one per
// Region it runs an action in: CodePipeline User Guide, "Add a cross-Region action in CodePipeline"),
// created by a small regional stack beside the pipeline; the image replicated by ECR into those
// Regions of the tools account, never rebuilt; and the resource policies that admit the target
// accounts' roles, each by its exact ARN, to exactly what they need there.
import type { BuildConfig } from './config.js';
import type { Placement } from './accounts.js';
import {
  environmentRoleName,
  pascalRegion,
  placements,
  remoteRegions,
  targetRoleArnText,
  TargetRoles,
} from './accounts.js';
import { withTags } from './cfn/tagging.js';
import { ReplicationConfiguration, RepositoryCreationTemplate } from './cfn/extensions.js';
import type { Output, Part, Template } from './cfn/template.js';
import { part, resources } from './cfn/template.js';
import type { AccountRole } from './iam/policy.js';
import { arnText, equals, ref, sub, subJson } from './intrinsics.js';
import { environmentSuffixText, Ids, physicalName, physicalNameText, standardTags } from './naming.js';
import { promotingPipelineSuffix } from './parameters/environments.js';
import type { ParameterGroup } from './parameters/spec.js';
import { interfaceMetadata, parametersSection } from './parameters/spec.js';
import { artifactStore } from './resources/artifacts.js';
import { encryption, STACK_KEY } from './resources/encryption.js';
import type { RegionalStore } from './resources/pipeline.js';
import { lifecyclePolicyText, pullPolicy } from './resources/registry.js';

/** The pipeline parameter holding the key of the artifact store in `region`. */
export const artifactKeyParameter = (region: string) => `ArtifactKey${pascalRegion(region)}`;

/** The file the build writes the artifact-store template of `region` to. */
export const artifactStoreFile = (region: string) => `cicd-artifact-store-${region}.yaml`;

/** The name type of the regional stack: `cicd-artifacts-<pipeline suffix>`, in each Region. */
export const ARTIFACT_STORE_STACK_TYPE = 'artifacts';

/** The output of the regional stack that the pipeline's key parameter for that Region takes. */
export const ARTIFACT_KEY_OUTPUT = 'KeyArn';

/** The roles of `role` type, in other accounts, of the placements in `region` (undefined: the pipeline's). */
function rolesIn(config: BuildConfig, region: string | undefined, arnOf: (p: Placement, account: string) => string) {
  const seen = new Map<string, AccountRole>();
  for (const p of placements(config)) {
    if (p.account === undefined || p.region !== region) continue;
    const arnText = arnOf(p, p.account);
    seen.set(arnText, { account: p.account, arnText });
  }
  return [...seen.values()];
}

/** Deploy roles that act in `region`: they read the artifacts of that Region's store. */
export const deployRolesIn = (config: BuildConfig, region?: string): AccountRole[] =>
  rolesIn(config, region, (p, account) => targetRoleArnText(TargetRoles.Deploy, p.environment.name, account));

/** Task execution roles of other accounts whose tasks run in `region`: they pull that Region's image. */
export const pullersIn = (config: BuildConfig, region?: string): AccountRole[] =>
  rolesIn(config, region, (p, account) =>
    arnText(
      'iam',
      `role/${environmentRoleName('task-execution-role', environmentSuffixText(p.environment.name), region)}`,
      {
        account,
      },
    ),
  );

export const regionalStores = (config: BuildConfig): RegionalStore[] =>
  remoteRegions(config).map((region) => ({
    region,
    bucketNameText: `${physicalNameText('artifacts')}-\${AWS::AccountId}-${region}`,
    keyArn: ref(artifactKeyParameter(region)),
  }));

/** The pipeline's key parameters, one per Region with a store. */
export function regionalStoreParameters(config: BuildConfig): ParameterGroup {
  return {
    label: 'Artifact stores in other Regions',
    parameters: remoteRegions(config).map((region) => ({
      name: artifactKeyParameter(region),
      label: `Artifact key in ${region}`,
      definition: {
        Type: 'String',
        Description: `${ARTIFACT_KEY_OUTPUT} output of the ${physicalNameText(ARTIFACT_STORE_STACK_TYPE, '<suffix>')} stack in ${region}; cfn-cicd deploy finds it there by its alias.`,
        AllowedPattern: `^arn:aws[a-z-]*:kms:${region}:[0-9]{12}:key/(mrk-)?[a-f0-9-]{32,36}$`,
        ConstraintDescription: `the ARN of a KMS key in ${region}`,
      },
    })),
  };
}

/** The image replicated into each Region with a store, in this (the tools) account. */
export function imageReplication(config: BuildConfig): Part[] {
  const regions = remoteRegions(config);
  if (regions.length === 0) return [];
  return [
    part(
      Ids.ImageReplication,
      new ReplicationConfiguration({
        ReplicationConfiguration: {
          Rules: [
            {
              Destinations: regions.map((Region) => ({ Region, RegistryId: ref('AWS::AccountId') })),
              RepositoryFilters: [{ Filter: physicalName('app'), FilterType: 'PREFIX_MATCH' }],
            },
          ],
        },
      }),
    ),
  ];
}

/** Rules: the template is deployed in the account and Region it was written for. */
export const homeRules = (account: string, region: string, what: string) => ({
  [`${what}Home`]: {
    Assertions: [
      {
        Assert: equals(ref('AWS::AccountId'), account),
        AssertDescription: `${what} is written for account ${account}: deploy it there (or rebuild with that account in the config)`,
      },
      {
        Assert: equals(ref('AWS::Region'), region),
        AssertDescription: `${what} is written for ${region}: deploy it there (or rebuild with that Region in the config)`,
      },
    ],
  },
});

/** The artifact store of `region`, beside the pipeline in its account: key, bucket, replicas' settings. */
export function artifactStoreTemplate(config: BuildConfig, region: string): Template {
  const home = config.pipeline;
  const environments = config.environments ?? [];
  if (home === undefined) throw new Error('an artifact store in another Region needs the pipeline home');
  const readers = deployRolesIn(config, region);
  const pullers = pullersIn(config, region);
  const store = artifactStore({ key: STACK_KEY, readers });
  // The repositories ECR creates here by replication: KMS-encrypted (ECR's AWS managed key: a customer
  // key would need a role ECR assumes to use it), immutable tags, the same lifecycle, and the pull policy.
  const policy = pullers.length === 0 ? undefined : subJson(JSON.parse(JSON.stringify(pullPolicy(pullers))) as unknown);
  const replicas = part(
    Ids.ReplicaSettings,
    new RepositoryCreationTemplate({
      Prefix: physicalName('app'),
      Description: sub(`Repositories ECR replicates ${physicalNameText('app')} into`),
      AppliedFor: ['REPLICATION'],
      ImageTagMutability: 'IMMUTABLE',
      EncryptionConfiguration: { EncryptionType: 'KMS' },
      LifecyclePolicy: lifecyclePolicyText(10),
      ...(policy !== undefined && { RepositoryPolicy: sub(policy.text, policy.vars) }),
    }),
  );
  const rest: Part[] = [store.bucket, store.policy, replicas];
  const security = encryption({ logGroupNames: [], artifactReaders: readers });
  const parts: Part[] = [security.key, security.alias, ...rest];
  const groups: ParameterGroup[] = [{ label: 'Pipeline', parameters: [promotingPipelineSuffix(environments)] }];
  const outputs: Record<string, Output> = { ...security.outputs, ...store.outputs };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cfn-cicd: the promoting pipeline's artifact store in ${region} (KMS key, bucket) and the settings of the image repository ECR replicates here. Deploy in account ${home.account}, ${region}, with the pipeline's suffix, before the pipeline.`,
    Metadata: interfaceMetadata(groups),
    Parameters: parametersSection(groups),
    Rules: homeRules(home.account, region, 'ArtifactStore'),
    Resources: resources(withTags(parts, standardTags(config.project, config.tags))),
    Outputs: outputs,
  };
}
