// The "Source triggers" group: which pushes start the pipeline when the source is a CodeConnections
// connection (CodePipeline V2 trigger filters), with the conditions the trigger reads.
import { equals, not, or, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterGroup, ParameterSpec } from './spec.js';

/** One glob: letters, digits and `. _ - / * ? [ ] ! @ + =` (no `{a,b}`: the comma separates patterns). */
const GLOB = '[A-Za-z0-9._/*?\\[\\]!@+=-]{1,255}';

/**
 * Up to 8 comma-separated glob patterns of 1-255 characters each (CodePipeline API,
 * GitFilePathFilterCriteria / GitTagFilterCriteria: 1-8 includes or excludes, each 1-255), or empty.
 */
export const GLOB_LIST_PATTERN = `^$|^${GLOB}(,${GLOB}){0,7}$`;
const GLOB_LIST_CONSTRAINT =
  'empty, or up to 8 comma-separated glob patterns of 1-255 letters, digits and . _ - / * ? [ ] ! @ + =';

const globList = (name: string, label: string, description: string): ParameterSpec => ({
  name,
  label,
  definition: {
    Type: 'String',
    Description: description,
    Default: '',
    AllowedPattern: GLOB_LIST_PATTERN,
    ConstraintDescription: GLOB_LIST_CONSTRAINT,
  },
});

export const SOURCE_TRIGGERS: ParameterGroup = {
  label: 'Source triggers (CodeConnections only)',
  parameters: [
    globList(
      Params.TriggerFilePaths,
      'Paths whose change starts the pipeline',
      'Comma-separated globs (e.g. src/**,Dockerfile): a push to GitHubBranch starts the pipeline only when it changes a matching file. Empty for any file. Needs CodeConnectionArn.',
    ),
    globList(
      Params.IgnoredFilePaths,
      'Paths whose change alone does not start it',
      'Comma-separated globs (e.g. docs/**,**/*.md): a push to GitHubBranch that changes only matching files does not start the pipeline. Empty for none. Needs CodeConnectionArn.',
    ),
    globList(
      Params.ReleaseTags,
      'Tags whose push starts the pipeline',
      'Comma-separated globs (e.g. v*): pushing a matching tag starts the pipeline on the tagged commit, as a push to GitHubBranch does. Empty for no tag. Needs CodeConnectionArn.',
    ),
  ],
};

export function triggerConditions(): Record<string, unknown> {
  return {
    [Conditions.HasTriggerFilePaths]: not(equals(ref(Params.TriggerFilePaths), '')),
    [Conditions.HasIgnoredFilePaths]: not(equals(ref(Params.IgnoredFilePaths), '')),
    [Conditions.HasFilePathFilter]: or(
      { Condition: Conditions.HasTriggerFilePaths },
      { Condition: Conditions.HasIgnoredFilePaths },
    ),
    [Conditions.HasReleaseTags]: not(equals(ref(Params.ReleaseTags), '')),
  };
}
