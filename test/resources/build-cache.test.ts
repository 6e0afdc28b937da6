// The build phase of build-and-push as CodeBuild runs it (bash), with a fake aws and docker on PATH:
// one image per commit, the last pushed image as BuildKit's layer cache, nothing pushed on a failure.
import { expect } from 'chai';
import yaml from 'js-yaml';
import type { FakeStep } from '../fake-tool.js';
import { fakeTool } from '../fake-tool.js';
import { buildspecShellText, renderedPipeline, resource } from '../helpers.js';
import { VENV_BIN } from '../venv.js';
import { runCommands, scratch } from './buildspec-run.js';

const REPOSITORY_URI = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cicd-app-dev';
const buildCommands = (): string[] => {
  const text = buildspecShellText(resource(renderedPipeline(), 'BuildProject').Properties.Source.BuildSpec);
  return (yaml.load(text) as { phases: { build: { commands: string[] } } }).phases.build.commands;
};

function build(aws: readonly FakeStep[], docker: readonly FakeStep[]) {
  const fakeAws = fakeTool('aws', aws);
  const fakeDocker = fakeTool('docker', docker);
  const run = runCommands(buildCommands(), scratch('build'), {
    PATH: `${fakeAws.bin}:${fakeDocker.bin}:${VENV_BIN}:/usr/bin:/bin`,
    REPOSITORY_NAME: 'cicd-app-dev',
    REPOSITORY_URI,
    IMAGE_TAG: 'c0ffee',
    DOCKER_PLATFORM: 'linux/arm64',
  });
  return { ...run, aws: fakeAws.calls(), docker: fakeDocker.calls() };
}

const notPushed: FakeStep = { stderr: 'An error occurred (ImageNotFoundException)\n', exit: 254 };

describe('build-and-push: one image per commit, the last image as the layer cache', function () {
  this.timeout(60_000);

  it('builds with the last pushed image as BuildKit’s cache, then pushes the commit’s tag', () => {
    const run = build([notPushed, { stdout: 'b4dcafe\n' }], [{}, {}]);
    expect(run.code, run.output).to.equal(0);
    expect(run.aws[1]).to.include.members(['describe-images', '--filter', 'tagStatus=TAGGED']);
    expect(run.docker[0]).to.deep.equal([
      'build',
      // The Architecture parameter's platform (src/parameters/architecture.ts), from the project's environment.
      '--platform',
      'linux/arm64',
      '--cache-from',
      `${REPOSITORY_URI}:b4dcafe`,
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      '--tag',
      `${REPOSITORY_URI}:c0ffee`,
      '.',
    ]);
    expect(run.docker[1]).to.deep.equal(['push', `${REPOSITORY_URI}:c0ffee`]);
  });

  it('builds without a cache when the repository has no image yet', () => {
    const run = build([notPushed, { stdout: 'None\n' }], [{}, {}]);
    expect(run.code, run.output).to.equal(0);
    expect(run.docker[0]).to.not.include('--cache-from');
  });

  it('reuses the image a re-run of the same commit pushed: nothing is built', () => {
    const run = build([{ stdout: '{}' }], [{}]);
    expect(run.code).to.equal(0);
    expect(run.output).to.include('Image c0ffee already pushed');
    expect(run.docker).to.deep.equal([]);
  });

  it('pushes nothing when the build fails, and fails the phase', () => {
    const run = build([notPushed, { stdout: 'None\n' }], [{ exit: 1, stderr: 'failed to solve\n' }, {}]);
    expect(run.code).to.not.equal(0);
    expect(run.docker.map((c) => c[0])).to.deep.equal(['build']);
  });
});
