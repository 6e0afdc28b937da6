// samconfig.toml: every environment's `sam deploy` settings against the template they deploy,
// through the same pre-flight as `cfn-cicd deploy`.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { keyValue, parseTags } from '../src/deploy/inputs.js';
import { preflight } from '../src/deploy/preflight.js';
import { requiredCapabilities } from '../src/deploy/template-file.js';
import { parseTemplate } from '../src/model/template.js';
import { PACKAGE_ROOT } from '../src/tools/locate.js';

interface DeploySettings {
  stack_name: string;
  template_file: string;
  region: string;
  capabilities: string[];
  parameter_overrides: string[];
  tags: string[];
  confirm_changeset: boolean;
  resolve_s3?: boolean;
  s3_bucket?: string;
}

const config = parse(readFileSync(join(PACKAGE_ROOT, 'samconfig.toml'), 'utf8')) as Record<
  string,
  { deploy?: { parameters?: DeploySettings } }
>;
const ENVIRONMENTS = ['dev', 'prod'];

describe('samconfig.toml', () => {
  it('has deploy settings for dev and prod, each its own stack', () => {
    const names = ENVIRONMENTS.map((env) => config[env]?.deploy?.parameters?.stack_name);
    expect(names).to.deep.equal(['cicd-pipeline-dev', 'cicd-pipeline-prod']);
  });

  for (const env of ENVIRONMENTS) {
    describe(env, () => {
      const settings = config[env]?.deploy?.parameters as DeploySettings;
      const templatePath = join(PACKAGE_ROOT, settings.template_file);
      const template = parseTemplate(readFileSync(templatePath, 'utf8'), templatePath);
      const overrides = Object.fromEntries(settings.parameter_overrides.map((o) => keyValue(o, 'parameter_overrides')));

      it('points at the committed pipeline template', () => {
        expect(settings.template_file).to.equal('templates/cicd-pipeline.yaml');
        expect(existsSync(templatePath)).to.equal(true);
      });

      it('passes pre-flight: every override names a template parameter and meets its constraint; every required one is given', () => {
        const given = Object.fromEntries(
          Object.entries(overrides).map(([k, v]) => [k, { value: v, source: `samconfig.toml [${env}]` }]),
        );
        expect(preflight(template.parameters(), given)).to.deep.equal([]);
      });

      it('names the stack cicd-pipeline-<EnvironmentSuffix>, as cfn-cicd deploy does', () => {
        expect(settings.stack_name).to.equal(`cicd-pipeline-${overrides['EnvironmentSuffix']}`);
      });

      it('acknowledges exactly the capabilities the template needs', () => {
        expect(settings.capabilities).to.deep.equal(requiredCapabilities(template));
      });

      it('has stack tags cfn-cicd deploy would accept, and a region', () => {
        expect(Object.keys(parseTags(settings.tags))).to.include('Team');
        expect(settings.region).to.match(/^[a-z]{2}(-[a-z]+)+-\d$/);
      });

      it('names a bucket when the template is over the inline limit', () => {
        const bytes = Buffer.byteLength(readFileSync(templatePath));
        if (bytes > 51_200)
          expect(settings.resolve_s3 === true || typeof settings.s3_bucket === 'string').to.equal(true);
        else expect(bytes).to.be.at.most(51_200);
      });

      it(env === 'prod' ? 'asks a person to confirm the change set' : 'deploys without a confirmation prompt', () => {
        expect(settings.confirm_changeset).to.equal(env === 'prod');
      });
    });
  }
});
