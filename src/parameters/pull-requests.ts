// The "Pull-request checks" group: whether CodeBuild builds and unit-tests each pull request into
// GitHubBranch and reports the result on it, with the condition and rule that read it.
import { and, equals, not, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterGroup } from './spec.js';

export const PULL_REQUEST_CHECKS: ParameterGroup = {
  label: 'Pull-request checks (CodeConnections only)',
  parameters: [
    {
      name: Params.PullRequestChecks,
      label: 'Check pull requests',
      definition: {
        Type: 'String',
        Description:
          'true: each pull request into GitHubBranch (opened, updated, reopened) gets an image build (not pushed) and the unit tests, each reported on the pull request as a commit status; nothing is pushed or deployed. Needs CodeConnectionArn.',
        Default: 'false',
        AllowedValues: ['false', 'true'],
        ConstraintDescription: 'true or false',
      },
    },
  ],
};

export function pullRequestConditions(): Record<string, unknown> {
  return {
    [Conditions.HasPullRequestChecks]: and(equals(ref(Params.PullRequestChecks), 'true'), {
      Condition: Conditions.UseCodeConnection,
    }),
  };
}

/** The checks authenticate to GitHub through the connection: without one, true would create nothing without a word. */
export function pullRequestRules(): Record<string, unknown> {
  return {
    PullRequestChecksNeedConnection: {
      RuleCondition: equals(ref(Params.PullRequestChecks), 'true'),
      Assertions: [
        {
          Assert: not(equals(ref(Params.CodeConnectionArn), '')),
          AssertDescription:
            'PullRequestChecks needs CodeConnectionArn: the checks reach GitHub through the connection',
        },
      ],
    },
  };
}
