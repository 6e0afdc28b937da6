// Before a promoting pipeline with Regions is deployed: the key of the artifact store in each other
// Region, read by the alias the regional stack (`cicd-artifacts-<suffix>` in that Region) gives it, for
// the pipeline's ArtifactKey<Region> parameter that is not given. A Region without that stack is
// refused with the command that creates it: CodePipeline refuses a cross-Region action without an
// artifact store in its Region.
import type { BuildConfig, EnvironmentConfig, PipelineHome } from '../config.js';
import { remoteRegions } from '../accounts.js';
import { ARTIFACT_STORE_STACK_TYPE, artifactKeyParameter, artifactStoreFile } from '../artifact-stores.js';
import type { TemplateModel } from '../model/template.js';
import { physicalNameText } from '../naming.js';
import { UPDATABLE_STATUSES } from '../resources/scripts/release.js';
import { DEPLOY_ENVIRONMENTS_KEY, DEPLOY_METADATA_KEY, DEPLOY_PIPELINE_KEY } from '../parameters/spec.js';
import type { AwsConnection } from '../tools/aws.js';
import type { GivenValue } from './preflight.js';
import { awsJson } from '../tools/aws.js';
import { existingStack } from './stack.js';

/** The Regions other than the pipeline's that the template's environments reach, from its Metadata. */
export function storeRegions(model: TemplateModel): string[] {
  const metadata = (model.body['Metadata'] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const own = metadata[DEPLOY_METADATA_KEY] ?? {};
  const pipeline = own[DEPLOY_PIPELINE_KEY] as PipelineHome | undefined;
  const environments = own[DEPLOY_ENVIRONMENTS_KEY] as EnvironmentConfig[] | undefined;
  if (pipeline === undefined || environments === undefined) return [];
  const config = { environments, pipeline } as Pick<BuildConfig, 'environments' | 'pipeline'> as BuildConfig;
  const declared = model.parameters();
  return remoteRegions(config).filter((region) => artifactKeyParameter(region) in declared);
}

/** The regional stack's name for the pipeline suffix. */
export const storeStackName = (suffix: string) => physicalNameText(ARTIFACT_STORE_STACK_TYPE, suffix);

/**
 * Each missing ArtifactKey<Region> value from its Region's stack; a line for each Region whose
 * stack is missing or has no key output.
 */
export async function regionalKeyValues(
  model: TemplateModel,
  given: Readonly<Record<string, GivenValue>>,
  suffix: string,
  connection: AwsConnection,
): Promise<{ values: Record<string, GivenValue>; problems: string[] }> {
  const values: Record<string, GivenValue> = {};
  const problems: string[] = [];
  const name = storeStackName(suffix);
  for (const region of storeRegions(model)) {
    const parameter = artifactKeyParameter(region);
    if (given[parameter] !== undefined) continue;
    const there = { ...connection, region };
    const status = (await existingStack(name, there))?.status;
    // The key its alias names, the alias the regional stack creates (KMS API Reference, ListAliases).
    const alias =
      status === undefined || !(UPDATABLE_STATUSES as readonly string[]).includes(status)
        ? undefined
        : (
            await awsJson<{ Aliases?: { AliasName: string; AliasArn: string; TargetKeyId?: string }[] }>(
              ['kms', 'list-aliases'],
              there,
            )
          ).Aliases?.find((a) => a.AliasName === `alias/${physicalNameText('key', suffix)}`);
    const key =
      alias?.TargetKeyId === undefined ? undefined : alias.AliasArn.replace(/:alias\/.*$/, `:key/${alias.TargetKeyId}`);
    if (key === undefined) {
      problems.push(
        `${region} has no artifact store (stack ${name} ${status === undefined ? 'does not exist' : `is ${status}`}): deploy ${artifactStoreFile(region)} there first, e.g. cfn-cicd deploy --template-file templates/accounts/${artifactStoreFile(region)} --stack-name ${name} --env-suffix ${suffix} --region ${region}`,
      );
      continue;
    }
    values[parameter] = { value: key, source: `stack ${name} in ${region}` };
  }
  return { values, problems };
}
