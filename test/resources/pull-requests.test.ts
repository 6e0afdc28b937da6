// The pull-request checks in both engines, as CloudFormation deploys them with and without
// PullRequestChecks: CodeBuild's webhook starts them, they report on the pull request, and nothing
// they hold can push an image or reach a pipeline stage after Test.
import { expect } from 'chai';
import yaml from 'js-yaml';
import type { Json, JsonObject } from '../../src/model/json.js';
import { PULL_REQUEST_APPROVERS, PULL_REQUEST_EVENTS } from '../../src/resources/pull-requests.js';
import { REQUIRED_EXAMPLES, resolveConfiguration } from '../configurations.js';
import type { CfnTemplate } from '../helpers.js';
import { brokenRules, emittedTemplates, walk } from '../helpers.js';

const CONNECTION = REQUIRED_EXAMPLES['CodeConnectionArn'] as string;
const CHECKS = { CodeConnectionArn: CONNECTION, PullRequestChecks: 'true' };
const PROJECTS = ['PullRequestBuildProject', 'PullRequestTestsProject'] as const;
const ROLES = ['PullRequestBuildRole', 'PullRequestTestsRole'] as const;

/** A resolved property tree, read loosely: the assertions say what each must be. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- property trees of arbitrary shape
type Loose = any;
type Resolved = { Resources: Record<string, { Type: string; Properties: Loose }> };
const resolved = (template: CfnTemplate, values: Record<string, string>) =>
  resolveConfiguration(template as unknown as JsonObject, values) as unknown as Resolved;

/** Every action a role's inline policies allow, with the resources each names. */
function grants(role: Loose): { action: string; resources: Json[] }[] {
  const policies = (role.Properties['Policies'] ?? []) as { PolicyDocument: { Statement: JsonObject[] } }[];
  return policies.flatMap((p) =>
    p.PolicyDocument.Statement.flatMap((s) =>
      (s['Action'] as string[]).map((action) => ({ action, resources: s['Resource'] as Json[] })),
    ),
  );
}

for (const { file, template } of emittedTemplates().filter((t) => t.file.endsWith('cicd-pipeline.yaml'))) {
  describe(`resources/pull-requests: checks of each pull request (${file})`, () => {
    const on = resolved(template, CHECKS);
    const project = (id: (typeof PROJECTS)[number]): Loose => on.Resources[id]?.Properties;

    it('exist only with PullRequestChecks true and a connection; a Rule refuses true without one', () => {
      const ids = (r: Resolved) => Object.keys(r.Resources).filter((id) => id.startsWith('PullRequest'));
      expect(ids(resolved(template, {}))).to.deep.equal([]);
      expect(ids(resolved(template, { CodeConnectionArn: CONNECTION }))).to.deep.equal([]);
      expect(ids(on)).to.have.members([
        ...PROJECTS,
        ...ROLES,
        'PullRequestBuildLogGroup',
        'PullRequestTestsLogGroup',
        'PullRequestTestsReports',
        'PullRequestTestsCoverageReports',
      ]);
      expect(brokenRules(template, { PullRequestChecks: 'true' }).join('\n')).to.include(
        'rule PullRequestChecksNeedConnection is broken',
      );
      expect(brokenRules(template, CHECKS)).to.deep.equal([]);
    });

    it('read the repository through the connection and report each build on the pull request', () => {
      for (const id of PROJECTS) {
        const source = project(id)['Source'] as JsonObject;
        expect(source['Type'], id).to.equal('GITHUB');
        expect(source['Location'], id).to.equal(
          `https://github.com/${REQUIRED_EXAMPLES['GitHubOwner']}/${REQUIRED_EXAMPLES['GitHubRepo']}.git`,
        );
        expect(source['Auth'], id).to.deep.equal({ Type: 'CODECONNECTIONS', Resource: CONNECTION });
        expect(source['ReportBuildStatus'], id).to.equal(true);
        expect(source['BuildStatusConfig'], id).to.deep.equal({ Context: project(id)['Name'] });
        expect(project(id)['Artifacts'], id).to.deep.equal({ Type: 'NO_ARTIFACTS' });
      }
    });

    it('start on a pull request into GitHubBranch opened, updated or reopened; others wait for an approving comment', () => {
      for (const id of PROJECTS) {
        const triggers = project(id)['Triggers'] as JsonObject;
        expect(triggers['Webhook'], id).to.equal(true);
        expect(triggers['FilterGroups'], id).to.deep.equal([
          [
            { Type: 'EVENT', Pattern: 'PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED' },
            { Type: 'BASE_REF', Pattern: '^refs/heads/main$' },
          ],
        ]);
        expect(triggers['PullRequestBuildPolicy'], id).to.deep.equal({
          RequiresCommentApproval: 'ALL_PULL_REQUESTS',
          ApproverRoles: [...PULL_REQUEST_APPROVERS],
        });
      }
      // No push, tag or merge event: a merged pull request is the pipeline's push.
      expect(PULL_REQUEST_EVENTS.every((e) => e.startsWith('PULL_REQUEST_'))).to.equal(true);
      expect(PULL_REQUEST_EVENTS).to.not.include('PULL_REQUEST_MERGED');
    });

    it('build the image and run the unit tests with the application buildspec the pipeline runs', () => {
      const spec = yaml.load(project('PullRequestBuildProject')['Source']['BuildSpec'] as string) as {
        phases: Record<string, { commands: string[] }>;
      };
      const commands = Object.values(spec.phases).flatMap((p) => p.commands);
      expect(commands.some((c) => /\bdocker build\b/.test(c))).to.equal(true);
      expect(project('PullRequestTestsProject')['Source']['BuildSpec']).to.equal('buildspecs/unit.yml');
      expect(project('PullRequestTestsProject')['Environment']['PrivilegedMode']).to.equal(false);
    });

    it('cannot push an image: no push, login or registry call in the build, no registry in its environment', () => {
      const text = project('PullRequestBuildProject')['Source']['BuildSpec'] as string;
      expect(text).to.not.match(/docker (push|login)|buildx|--push|aws ecr|crane|skopeo|REPOSITORY|REGISTRY/);
      // The one variable is the platform docker builds for: no registry, repository or credential.
      const variables = (id: string) =>
        (project(id as (typeof PROJECTS)[number])['Environment']['EnvironmentVariables'] as { Name: string }[]).map(
          (v) => v.Name,
        );
      expect(variables('PullRequestBuildProject')).to.deep.equal(['DOCKER_PLATFORM']);
      expect(variables('PullRequestTestsProject')).to.deep.equal([]);
    });

    it('hold their logs, reports, the key and the connection token only: no registry, artifact, pipeline or deploy action', () => {
      const allowed =
        /^(logs:(CreateLogStream|PutLogEvents)|kms:(Decrypt|DescribeKey|Encrypt|GenerateDataKey)|codebuild:(BatchPutCodeCoverages|BatchPutTestCases|CreateReport|UpdateReport)|s3:PutObject|(codeconnections|codestar-connections):(GetConnection|GetConnectionToken))$/;
      for (const id of ROLES) {
        const all = grants(on.Resources[id]);
        expect(
          all.map((g) => g.action).filter((a) => !allowed.test(a)),
          id,
        ).to.deep.equal([]);
        // The one write to S3 is the test project's reports, under its own prefix.
        for (const g of all.filter((g) => g.action === 's3:PutObject')) {
          expect(g.resources, id).to.deep.equal([{ 'Fn::Sub': '${ArtifactBucket.Arn}/reports/cicd-pr-tests-dev/*' }]);
        }
        for (const g of all.filter((g) => g.action.includes('connection')))
          expect(g.resources, id).to.deep.equal([CONNECTION]);
      }
      expect(grants(on.Resources['PullRequestBuildRole']).map((g) => g.action)).to.not.include('s3:PutObject');
    });

    it('are no pipeline action, and the pipeline has no pull-request trigger: a pull request never reaches SecurityScan or Deploy', () => {
      const pipeline = Object.values(on.Resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline');
      const names = PROJECTS.map((id) => project(id)['Name'] as string);
      const inPipeline = [...walk(pipeline?.Properties as Json)].filter(
        (n) => typeof n === 'string' && names.includes(n),
      );
      expect(inPipeline).to.deep.equal([]);
      const triggers = JSON.stringify(pipeline?.Properties['Triggers'] ?? []);
      expect(triggers).to.include('Push');
      expect(triggers).to.not.include('PullRequest');
      // Nothing else in the stack starts them either: only GitHub, through the webhook.
      const elsewhere = Object.entries(on.Resources)
        .filter(([id]) => !id.startsWith('PullRequest'))
        .filter(([, r]) => JSON.stringify(r).match(/PullRequest(Build|Tests)Project|cicd-pr-(build|tests)-dev\b/));
      expect(elsewhere.map(([id]) => id)).to.deep.equal([]);
    });
  });
}
