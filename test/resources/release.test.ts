// The ECS engine's release step as the PrepareRelease project runs it: the buildspec's own commands,
// in bash, against a fake `aws` answering CloudFormation's describe and change-set calls; and the
// wiring that hands its change set to the Deploy action. The real CLI against moto runs it in
// test/deploy/moto-deploy.test.ts.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { releaseScript, UPDATABLE_STATUSES } from '../../src/resources/scripts/release.js';
import { RELEASE_CHANGE_SET } from '../../src/resources/engines/ecs.js';
import { Params } from '../../src/naming.js';
import type { FakeStep } from '../fake-tool.js';
import type { CfnResource } from '../helpers.js';
import { renderedPipeline, resource } from '../helpers.js';
import { buildCommands, IMAGE_URI, ruff, runWithFakeAws } from './buildspec-run.js';
import { VENV_BIN } from '../venv.js';

const template = renderedPipeline();
const commands = (): string[] => buildCommands(template, 'ReleaseProject');
const RELEASE_ID = '0f1e2d3c-aaaa-bbbb-cccc-123456789012';

const parameters = (image = 'public.ecr.aws/nginx/nginx:stable-alpine', release = 'initial') => [
  { ParameterKey: 'EnvironmentSuffix', ParameterValue: 'dev' },
  { ParameterKey: Params.Image, ParameterValue: image },
  { ParameterKey: Params.ReleaseId, ParameterValue: release },
  { ParameterKey: 'TaskSize', ParameterValue: '512-1024' },
];
const stack = (status: string, params = parameters()): FakeStep => ({
  stdout: JSON.stringify({ status, parameters: params }),
});
const noChangeSet: FakeStep = { stdout: '[]' };
const oldChangeSet: FakeStep = { stdout: JSON.stringify(['arn:aws:cloudformation:…:changeSet/cicd-release/0']) };
const deleted: FakeStep = { stdout: '' };
const created: FakeStep = { stdout: JSON.stringify({ Id: 'arn:aws:cloudformation:…:changeSet/cicd-release/1' }) };
const changeSet = (status: string, reason: string | null = null): FakeStep => ({
  stdout: JSON.stringify({
    status,
    reason,
    changes: [
      { action: 'Modify', id: 'TaskDefinition', replace: 'True' },
      { action: 'Modify', id: 'Service', replace: 'False' },
    ],
  }),
});

const release = (plan: readonly FakeStep[], env: Record<string, string> = {}) =>
  runWithFakeAws(commands(), plan, {
    STACK_NAME: 'cicd-dev',
    CHANGE_SET_NAME: RELEASE_CHANGE_SET,
    RELEASE_ID,
    RELEASE_WAIT_SECONDS: '3',
    RELEASE_POLL_SECONDS: '1',
    ...env,
  });

describe('release step (the PrepareRelease buildspec, run against a fake aws)', function () {
  this.timeout(60_000);

  it('carries the release script, which the pinned ruff finds clean', () => {
    const script = releaseScript({ image: Params.Image, release: Params.ReleaseId });
    expect(commands().join('\n')).to.include(script);
    const lint = ruff('release', script);
    expect(lint.output).to.match(/All checks passed/);
    expect(lint.status).to.equal(0);
  });

  it('prepares a change set of the previous template that sets Image and ReleaseId and keeps every other value', () => {
    const run = release([
      stack('UPDATE_COMPLETE'),
      noChangeSet,
      created,
      changeSet('CREATE_PENDING'),
      changeSet('CREATE_COMPLETE'),
    ]);
    expect(run.code, run.output).to.equal(0);
    expect(run.calls.map((c) => c[1])).to.deep.equal([
      'describe-stacks',
      'list-change-sets',
      'create-change-set',
      'describe-change-set',
      'describe-change-set',
    ]);
    const create = run.calls[2] as string[];
    expect(create).to.include.members([
      '--use-previous-template',
      '--change-set-type',
      'UPDATE',
      'CAPABILITY_NAMED_IAM',
    ]);
    expect(create[create.indexOf('--stack-name') + 1]).to.equal('cicd-dev');
    expect(create[create.indexOf('--change-set-name') + 1]).to.equal(RELEASE_CHANGE_SET);
    expect(JSON.parse(create[create.indexOf('--parameters') + 1] as string)).to.deep.equal([
      { ParameterKey: 'EnvironmentSuffix', UsePreviousValue: true },
      { ParameterKey: 'TaskSize', UsePreviousValue: true },
      { ParameterKey: Params.Image, ParameterValue: IMAGE_URI },
      { ParameterKey: Params.ReleaseId, ParameterValue: RELEASE_ID },
    ]);
    expect(run.output).to.match(/Modify TaskDefinition \(replacement: True\)/);
    expect(run.output).to.match(/change set cicd-release is ready; the Deploy action executes it/);
  });

  it('deletes a change set an earlier run left under the name, then prepares its own', () => {
    const run = release([stack('UPDATE_COMPLETE'), oldChangeSet, deleted, created, changeSet('CREATE_COMPLETE')]);
    expect(run.code, run.output).to.equal(0);
    expect(run.calls.map((c) => c[1])).to.deep.equal([
      'describe-stacks',
      'list-change-sets',
      'delete-change-set',
      'create-change-set',
      'describe-change-set',
    ]);
    expect(run.calls[2]).to.include.members(['--stack-name', 'cicd-dev', '--change-set-name', RELEASE_CHANGE_SET]);
  });

  it('waits for an update already running on the stack, then releases', () => {
    const run = release([
      stack('UPDATE_IN_PROGRESS'),
      stack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'),
      stack('UPDATE_COMPLETE'),
      noChangeSet,
      created,
      changeSet('CREATE_COMPLETE'),
    ]);
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.match(/is UPDATE_IN_PROGRESS; waiting for it to finish/);
  });

  it('releases from every status CloudFormation accepts an update from', () => {
    for (const status of UPDATABLE_STATUSES) {
      const run = release([stack(status), noChangeSet, created, changeSet('CREATE_COMPLETE')]);
      expect(run.code, `${status}: ${run.output}`).to.equal(0);
    }
  });

  const refusals: [string, FakeStep[], Record<string, string>, number, RegExp][] = [
    [
      'a stack still busy after the wait',
      [stack('UPDATE_IN_PROGRESS')],
      {},
      1,
      /stack cicd-dev is still UPDATE_IN_PROGRESS; giving up/,
    ],
    [
      'a stack that cannot be updated',
      [stack('UPDATE_ROLLBACK_FAILED')],
      {},
      1,
      /stack cicd-dev is UPDATE_ROLLBACK_FAILED and cannot be updated until that is resolved/,
    ],
    [
      'a stack of the CodeDeploy engine',
      [stack('UPDATE_COMPLETE', [{ ParameterKey: 'InitialImage', ParameterValue: 'x' }])],
      {},
      2,
      /has no Image or ReleaseId parameter; only a stack of the ECS deployment engine takes releases/,
    ],
    [
      'the release already running',
      [stack('UPDATE_COMPLETE', parameters(IMAGE_URI, RELEASE_ID))],
      {},
      1,
      /already runs .*@sha256:abab.* from release 0f1e2d3c/,
    ],
    [
      'a change set CloudFormation refuses',
      [stack('UPDATE_COMPLETE'), noChangeSet, created, changeSet('FAILED', 'Parameters: [Image] must match pattern')],
      {},
      1,
      /change set cicd-release failed: Parameters: \[Image\] must match pattern/,
    ],
    [
      'a change set that is never ready',
      [stack('UPDATE_COMPLETE'), noChangeSet, created, changeSet('CREATE_IN_PROGRESS')],
      {},
      1,
      /change set cicd-release is still CREATE_IN_PROGRESS; giving up/,
    ],
    [
      'an access error',
      [{ stderr: 'An error occurred (AccessDenied) when calling the DescribeStacks operation: denied\n', exit: 254 }],
      {},
      2,
      /aws cloudformation describe-stacks failed: An error occurred \(AccessDenied\)/,
    ],
    [
      'a delete that fails',
      [
        stack('UPDATE_COMPLETE'),
        oldChangeSet,
        { stderr: 'An error occurred (Throttling) when calling ...\n', exit: 254 },
      ],
      {},
      2,
      /aws cloudformation delete-change-set failed: An error occurred \(Throttling\)/,
    ],
    [
      'a change-set listing that is not a list',
      [stack('UPDATE_COMPLETE'), { stdout: '{}' }],
      {},
      2,
      /aws answered without a list of change sets/,
    ],
    ['a killed aws', [{ signal: 'SIGKILL' }], {}, 2, /aws was killed by signal 9/],
    ['an answer without a status', [{ stdout: '{}' }], {}, 2, /aws answered without a stack status/],
    [
      'a change set answer without a status',
      [stack('UPDATE_COMPLETE'), noChangeSet, created, { stdout: 'null' }],
      {},
      2,
      /aws answered without a change set status/,
    ],
    ['a missing release ID', [stack('UPDATE_COMPLETE')], { RELEASE_ID: '' }, 2, /release: RELEASE_ID is not set/],
    [
      'a bad wait',
      [stack('UPDATE_COMPLETE')],
      { RELEASE_WAIT_SECONDS: '0' },
      2,
      /RELEASE_WAIT_SECONDS='0' is not a whole number of seconds/,
    ],
  ];
  for (const [what, plan, env, code, message] of refusals) {
    it(`refuses ${what} (exit ${code})`, () => {
      const run = release(plan, env);
      expect(run.output).to.match(message);
      expect(run.code, run.output).to.equal(code);
      // Refused before any change set, unless the refusal is about the change set itself.
      if (!plan.includes(created)) expect(run.calls.map((c) => c[1])).not.to.include('create-change-set');
    });
  }

  it('refuses an image named by tag: only a digest pins what was scanned', () => {
    const run = spawnSync(
      `${VENV_BIN}/python`,
      ['-c', releaseScript({ image: 'Image', release: 'ReleaseId' }), 'repo:latest'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).to.equal(2);
    expect(run.stderr).to.match(/usage: release <registry>\/<repository>@sha256:<digest>/);
  });

  describe('wiring', () => {
    const project = resource(template, 'ReleaseProject').Properties;
    const stages = resource(template, 'Pipeline').Properties.Stages as {
      Name: string;
      Actions: CfnResource['Properties'][];
    }[];
    const stage = stages.find((s) => s.Name === 'Deploy');

    it('runs on the build output with this stack, the change set name and the pipeline execution as the release', () => {
      const variables = Object.fromEntries(
        (project.Environment.EnvironmentVariables as { Name: string; Value: unknown }[]).map((v) => [v.Name, v.Value]),
      );
      expect(variables).to.deep.include({ STACK_NAME: { Ref: 'AWS::StackName' }, CHANGE_SET_NAME: RELEASE_CHANGE_SET });
      const prepare = stage?.Actions.find((a) => a['Name'] === 'PrepareRelease');
      expect(prepare?.['InputArtifacts']).to.deep.equal([{ Name: 'BuildOutput' }]);
      expect(JSON.parse(prepare?.['Configuration']['EnvironmentVariables'])).to.deep.equal([
        { name: 'RELEASE_ID', value: '#{codepipeline.PipelineExecutionId}', type: 'PLAINTEXT' },
      ]);
    });

    it('is followed by a CloudFormation action that executes that change set of this stack', () => {
      const deploy = stage?.Actions.find((a) => a['Name'] === 'Deploy');
      expect(deploy?.['ActionTypeId']).to.deep.equal({
        Category: 'Deploy',
        Owner: 'AWS',
        Provider: 'CloudFormation',
        Version: '1',
      });
      expect(deploy?.['Configuration']).to.deep.equal({
        ActionMode: 'CHANGE_SET_EXECUTE',
        StackName: { Ref: 'AWS::StackName' },
        ChangeSetName: RELEASE_CHANGE_SET,
      });
      const prepare = stage?.Actions.find((a) => a['Name'] === 'PrepareRelease');
      expect(deploy?.['RunOrder']).to.be.greaterThan(prepare?.['RunOrder']);
    });

    it('lets the release role touch change sets of this stack named cicd-release only', () => {
      const statements = resource(template, 'ReleaseRole').Properties.Policies[0].PolicyDocument
        .Statement as CfnResource['Properties'][];
      const prepare = statements.find((s) => s['Sid'] === 'PrepareTheReleaseChangeSet');
      expect(prepare?.['Resource']).to.deep.equal([{ Ref: 'AWS::StackId' }]);
      expect(prepare?.['Condition']).to.deep.equal({
        StringEquals: { 'cloudformation:ChangeSetName': RELEASE_CHANGE_SET },
      });
      expect(statements.flatMap((s) => s['Action'] as string[])).not.to.include('cloudformation:ExecuteChangeSet');
    });

    it('lets the release role make every CloudFormation call the release script makes, on this stack', () => {
      // Each `aws(['cloudformation', '<operation>', …])` of the script is the IAM action of that API
      // (Service Authorization Reference, AWS CloudFormation: each is authorised on the stack).
      const calls = [
        ...releaseScript({ image: Params.Image, release: Params.ReleaseId }).matchAll(
          /aws\(\['cloudformation', '([a-z-]+)'/g,
        ),
      ];
      const actions = [
        ...new Set(
          calls.map(
            ([, op]) =>
              `cloudformation:${(op as string)
                .split('-')
                .map((w) => w[0]?.toUpperCase() + w.slice(1))
                .join('')}`,
          ),
        ),
      ];
      expect(actions.sort()).to.deep.equal([
        'cloudformation:CreateChangeSet',
        'cloudformation:DeleteChangeSet',
        'cloudformation:DescribeChangeSet',
        'cloudformation:DescribeStacks',
        'cloudformation:ListChangeSets',
      ]);
      const statements = resource(template, 'ReleaseRole').Properties.Policies[0].PolicyDocument
        .Statement as CfnResource['Properties'][];
      for (const action of actions) {
        const granting = statements.filter((s) => (s['Action'] as string[]).includes(action));
        expect(
          granting.map((s) => s['Resource']),
          action,
        ).to.deep.equal([[{ Ref: 'AWS::StackId' }]]);
      }
    });
  });
});
