// CodePipeline V2 triggers of the CodeConnections source: a push to GitHubBranch (optionally only
// when it changes TriggerFilePaths, and not when it changes only IgnoredFilePaths) and a push of a
// ReleaseTags tag. CodePipeline User Guide, "Filter triggers on code push or pull requests": push
// filters are ORed, the criteria inside one are ANDed; a push filter holds branches (with file paths)
// or tags. The GitHub version 1 source has no triggers (its webhook starts every push to the branch).
import type { Value } from '../intrinsics.js';
import { ifCondition, noValue, ref, split } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';

/** An include list read from a comma-separated parameter, or nothing when the condition says it is empty. */
const listOf = (parameter: string, condition: string): Value<unknown> =>
  ifCondition(condition, split(',', ref(parameter)), noValue());

/** One GitHub push filter on the branch, and one on release tags when ReleaseTags is set. */
export function pushFilters(): Value<unknown>[] {
  const branch = {
    Branches: { Includes: [ref(Params.GitHubBranch)] },
    FilePaths: ifCondition(
      Conditions.HasFilePathFilter,
      {
        Includes: listOf(Params.TriggerFilePaths, Conditions.HasTriggerFilePaths),
        Excludes: listOf(Params.IgnoredFilePaths, Conditions.HasIgnoredFilePaths),
      },
      noValue(),
    ),
  };
  const tags = { Tags: { Includes: split(',', ref(Params.ReleaseTags)) } };
  return [branch, ifCondition(Conditions.HasReleaseTags, tags, noValue())];
}

/** The pipeline's Triggers: the push filters on the source action, with a connection only. */
export function sourceTriggers(sourceActionName: string): Value<unknown> {
  return ifCondition(
    Conditions.UseCodeConnection,
    [
      {
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: { SourceActionName: sourceActionName, Push: pushFilters() },
      },
    ],
    noValue(),
  );
}
