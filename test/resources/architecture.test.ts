// The Architecture parameter in both engines and the promoting pipeline, as CloudFormation deploys each value: the projects
// that build the image run on that CPU and build for it, the tasks run on it, and the rest of the
// pipeline (checks, tests, gates) stays on x86_64.
import { expect } from 'chai';
import type { JsonObject } from '../../src/model/json.js';
import { ARCHITECTURE_SETTINGS, ARCHITECTURES } from '../../src/parameters/architecture.js';
import { resolveConfiguration } from '../configurations.js';
import { emittedTemplates, subText } from '../helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resolved property trees of arbitrary shape
type Loose = any;

const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-4567-89ab-cdef-0123456789ab';
/** The projects that build the image: the pipeline's Build and the pull-request image build. */
const IMAGE_BUILDERS = ['BuildProject', 'PullRequestBuildProject'];

const emitted = emittedTemplates();
for (const { file, template } of emitted.filter((t) => t.file.endsWith('cicd-pipeline.yaml'))) {
  // A promoting pipeline's tasks run in its environment template, deployed with the same Architecture.
  const serving =
    emitted.find((t) => t.file === file.replace('cicd-pipeline.yaml', 'cicd-environment.yaml'))?.template ?? template;
  describe(`resources/architecture: one CPU architecture for the image, its builders and the tasks (${file})`, () => {
    for (const architecture of ARCHITECTURES) {
      const settings = ARCHITECTURE_SETTINGS[architecture];
      const deployed = resolveConfiguration(template as unknown as JsonObject, {
        Architecture: architecture,
        CodeConnectionArn: CONNECTION,
        PullRequestChecks: 'true',
      }) as Loose;
      const resources = deployed.Resources as Record<string, Loose>;
      const projects = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CodeBuild::Project');

      it(`${architecture}: the image builders run on ${settings.BuildEnvironment} with ${settings.BuildImage}, small`, () => {
        for (const id of IMAGE_BUILDERS) {
          const environment = resources[id].Properties.Environment;
          expect(environment, id).to.deep.include({
            Type: settings.BuildEnvironment,
            Image: settings.BuildImage,
            ComputeType: 'BUILD_GENERAL1_SMALL',
          });
          expect(environment.EnvironmentVariables, id).to.deep.include({
            Name: 'DOCKER_PLATFORM',
            Value: settings.DockerPlatform,
            Type: 'PLAINTEXT',
          });
        }
      });

      it(`${architecture}: every docker build names the platform the tasks run on`, () => {
        for (const id of IMAGE_BUILDERS) {
          const spec = resources[id].Properties.Source.BuildSpec as unknown;
          // The CodeDeploy engine's is a !Sub with variables: its text holds the commands.
          const text = typeof spec === 'string' ? spec : subText(spec);
          const builds = text.split('\n').filter((line) => /docker build/.test(line));
          expect(builds, id).to.have.length.greaterThan(0);
          for (const line of builds) expect(line, id).to.include('--platform "$DOCKER_PLATFORM"');
        }
      });

      it(`${architecture}: the tasks run on ${settings.CpuArchitecture} Linux`, () => {
        const tasks = resolveConfiguration(serving as unknown as JsonObject, { Architecture: architecture }) as Loose;
        const definitions = Object.values(tasks.Resources as Record<string, Loose>).filter(
          (r) => r.Type === 'AWS::ECS::TaskDefinition',
        );
        expect(definitions).to.have.length(1);
        expect(definitions[0].Properties.RuntimePlatform).to.deep.equal({
          CpuArchitecture: settings.CpuArchitecture,
          OperatingSystemFamily: 'LINUX',
        });
        // CodeDeploy registers the build's taskdef.json: it names the same architecture.
        const taskdef = JSON.stringify(resources['BuildProject'].Properties.Source.BuildSpec);
        if (file.startsWith('codedeploy/'))
          expect(taskdef).to.include(`\\"cpuArchitecture\\": \\"${settings.CpuArchitecture}\\"`);
      });

      it(`${architecture}: the checks, tests and gates stay on x86_64, where their pinned tools run`, () => {
        const others = projects.filter(([id]) => !IMAGE_BUILDERS.includes(id));
        expect(others.length).to.be.greaterThan(5);
        for (const [id, project] of others) {
          expect(project.Properties.Environment, id).to.deep.include({
            Type: 'LINUX_CONTAINER',
            Image: ARCHITECTURE_SETTINGS.x86_64.BuildImage,
          });
        }
      });
    }
  });
}
