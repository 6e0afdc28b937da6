// Pull-request checks: two CodeBuild projects that GitHub starts through CodeBuild's own webhook for
// each pull request into GitHubBranch, and whose result CodeBuild posts on the pull request as a
// commit status (ReportBuildStatus). One builds the image and pushes nothing; one runs the unit
// tests with the application's buildspec. Neither is a pipeline action, so a pull request never
// reaches SecurityScan or Deploy: a V2 pipeline trigger with a PullRequest filter would run the
// whole pipeline (CodePipeline User Guide, "Add trigger with code push or pull request event types").
// Their roles hold their own logs and reports, the key, and the connection's token: no registry, no
// pipeline artifact, no deploy permission.
import { CODECONNECTIONS_TOKEN } from '../iam/actions.js';
import { allow } from '../iam/policy.js';
import { ref, sub } from '../intrinsics.js';
import { Conditions, Params, physicalName, ProjectStems } from '../naming.js';
import type { ProjectSpec, WebhookSource } from './build.js';
import { dumpBuildspec, platformBuildspec } from './build.js';
import { architectureSetting } from '../parameters/architecture.js';

/** The pull-request events that start a check (CodeBuild webhook filter group, EVENT). */
export const PULL_REQUEST_EVENTS = ['PULL_REQUEST_CREATED', 'PULL_REQUEST_UPDATED', 'PULL_REQUEST_REOPENED'] as const;

/**
 * Who may start a check by opening a pull request; anyone else's waits for one of them to approve it in
 * a comment (CodeBuild User Guide, "Pull request comment approval"): a fork's code does not run unseen.
 */
export const PULL_REQUEST_APPROVERS = ['GITHUB_WRITE', 'GITHUB_MAINTAIN', 'GITHUB_ADMIN'] as const;

/** The application repository through the connection, reporting each build's result on its commit as `context`. */
export function pullRequestSource(context: string): WebhookSource {
  return {
    source: {
      Type: 'GITHUB',
      Location: sub(`https://github.com/\${${Params.GitHubOwner}}/\${${Params.GitHubRepo}}.git`),
      Auth: { Type: 'CODECONNECTIONS', Resource: ref(Params.CodeConnectionArn) },
      ReportBuildStatus: true,
      // The name GitHub lists the check under, and branch protection requires it by.
      BuildStatusConfig: { Context: physicalName(context) },
      GitCloneDepth: 1,
    },
    triggers: {
      Webhook: true,
      FilterGroups: [
        [
          { Type: 'EVENT', Pattern: PULL_REQUEST_EVENTS.join(', ') },
          { Type: 'BASE_REF', Pattern: sub(`^refs/heads/\${${Params.GitHubBranch}}$`) },
        ],
      ],
      PullRequestBuildPolicy: {
        RequiresCommentApproval: 'ALL_PULL_REQUESTS',
        ApproverRoles: [...PULL_REQUEST_APPROVERS],
      },
    },
  };
}

/** The image build of a pull request: `docker build`, tagged locally, with no registry login and nowhere to push. */
export function pullRequestBuildBuildspec(): string {
  return dumpBuildspec(
    platformBuildspec({
      phases: {
        build: {
          commands: [
            'echo "Pull-request check: building the image of $CODEBUILD_RESOLVED_SOURCE_VERSION; nothing is pushed"',
            'DOCKER_BUILDKIT=1 docker build --platform "$DOCKER_PLATFORM" --tag "pull-request:$CODEBUILD_RESOLVED_SOURCE_VERSION" .',
          ],
        },
      },
    }),
  );
}

const connectionToken = () => allow('UseTheConnectionsToken', CODECONNECTIONS_TOKEN, [ref(Params.CodeConnectionArn)]);

/** The two check projects' specs, both only with HasPullRequestChecks. */
export function pullRequestSpecs(): ProjectSpec[] {
  const condition = Conditions.HasPullRequestChecks;
  return [
    {
      stem: ProjectStems.PullRequestBuild,
      nameType: 'pr-build',
      description: 'Pull-request check: builds the Docker image of a pull request and pushes it nowhere',
      buildspec: pullRequestBuildBuildspec(),
      // docker build needs the Docker daemon; the role can reach no registry, so nothing leaves the build.
      privileged: true,
      dockerCache: true,
      // The architecture the pipeline builds for: a pull request that breaks the arm64 build fails here.
      onServiceArchitecture: true,
      environment: { DOCKER_PLATFORM: architectureSetting('DockerPlatform') },
      statements: [connectionToken()],
      webhook: pullRequestSource('pr-build'),
      condition,
    },
    {
      stem: ProjectStems.PullRequestTests,
      nameType: 'pr-tests',
      description: "Pull-request check: runs the application's unit tests with its own buildspec",
      buildspec: ref(Params.UnitTestBuildspec),
      reports: true,
      statements: [connectionToken()],
      webhook: pullRequestSource('pr-tests'),
      condition,
    },
  ];
}
