// The CodeConnections source's V2 triggers in both engines: each push filter as CodePipeline
// receives it for given parameter values (conditions, !If, !Split and AWS::NoValue resolved here).
import { expect } from 'chai';
import type { Json, JsonObject } from '../../src/model/json.js';
import { isJsonObject } from '../../src/model/json.js';
import type { CfnTemplate } from '../helpers.js';
import { renderedPipeline, resource, SHIPPED_VARIANTS } from '../helpers.js';

const NO_VALUE = Symbol('AWS::NoValue');
type Resolved = Json | typeof NO_VALUE;

const CONNECTION = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-4567-89ab-cdef-0123456789ab';

/** Resolves the functions the Triggers property uses, for these parameter values (the rest take their Default). */
function resolver(template: CfnTemplate, given: Readonly<Record<string, string>>) {
  const parameters = template.Parameters as Record<string, { Default?: Json }>;
  const parameter = (name: string): string => {
    const value = given[name] ?? parameters[name]?.Default;
    if (value === undefined) throw new Error(`no value for ${name}`);
    return String(value);
  };
  const condition = (name: string): boolean => {
    const definition = template.Conditions?.[name] as Json | undefined;
    if (definition === undefined) throw new Error(`no condition ${name}`);
    return truth(value(definition));
  };
  const truth = (v: Resolved): boolean => v === true;
  const value = (node: Json): Resolved => {
    if (Array.isArray(node)) return node.map(value).filter((v): v is Json => v !== NO_VALUE);
    if (!isJsonObject(node)) return node;
    const [key, arg] = Object.entries(node)[0] ?? [];
    const args = arg as Json[];
    switch (key) {
      case 'Ref':
        return arg === 'AWS::NoValue' ? NO_VALUE : parameter(String(arg));
      case 'Condition':
        return condition(String(arg));
      case 'Fn::If':
        return value(condition(String(args[0])) ? (args[1] as Json) : (args[2] as Json));
      case 'Fn::Equals':
        return value(args[0] as Json) === value(args[1] as Json);
      case 'Fn::Not':
        return !truth(value(args[0] as Json));
      case 'Fn::Or':
        return args.some((a) => truth(value(a)));
      case 'Fn::Split':
        return String(value(args[1] as Json)).split(String(args[0]));
      default: {
        const out: JsonObject = {};
        for (const [k, v] of Object.entries(node)) {
          const r = value(v);
          if (r !== NO_VALUE) out[k] = r;
        }
        return out;
      }
    }
  };
  return (node: Json): Json | undefined => {
    const r = value(node);
    return r === NO_VALUE ? undefined : r;
  };
}

for (const { label, config } of SHIPPED_VARIANTS) {
  const template = renderedPipeline(config);
  const pipeline = resource(template, 'Pipeline').Properties;
  const triggers = (given: Record<string, string>) => resolver(template, given)(pipeline.Triggers as Json);
  const push = (given: Record<string, string>) =>
    (triggers({ CodeConnectionArn: CONNECTION, ...given }) as JsonObject[])[0]?.['GitConfiguration'];

  describe(`source triggers (${label})`, () => {
    it('has none with the GitHub token source: its webhook starts each push to the branch', () => {
      expect(triggers({ GitHubTokenSecretArn: 'arn:x' })).to.equal(undefined);
    });

    it('with a connection, names the source action and starts on a push to GitHubBranch, any file', () => {
      const all = triggers({ CodeConnectionArn: CONNECTION }) as JsonObject[];
      expect(all).to.have.length(1);
      expect(all[0]?.['ProviderType']).to.equal('CodeStarSourceConnection');
      const sourceActions = JSON.stringify(pipeline.Stages[0].Actions);
      expect(sourceActions).to.include('"Name":"GitHub"');
      expect(push({})).to.deep.equal({
        SourceActionName: 'GitHub',
        Push: [{ Branches: { Includes: ['main'] } }],
      });
      expect(push({ GitHubBranch: 'release/2.x' })).to.deep.include({
        Push: [{ Branches: { Includes: ['release/2.x'] } }],
      });
    });

    it('a docs-only push starts nothing when IgnoredFilePaths covers it; TriggerFilePaths narrows to those paths', () => {
      expect(push({ IgnoredFilePaths: 'docs/**,**/*.md' })).to.deep.include({
        Push: [{ Branches: { Includes: ['main'] }, FilePaths: { Excludes: ['docs/**', '**/*.md'] } }],
      });
      expect(push({ TriggerFilePaths: 'src/**,Dockerfile' })).to.deep.include({
        Push: [{ Branches: { Includes: ['main'] }, FilePaths: { Includes: ['src/**', 'Dockerfile'] } }],
      });
      expect(push({ TriggerFilePaths: 'src/**', IgnoredFilePaths: 'src/**/*.md' })).to.deep.include({
        Push: [{ Branches: { Includes: ['main'] }, FilePaths: { Includes: ['src/**'], Excludes: ['src/**/*.md'] } }],
      });
    });

    it('a tag push starts the pipeline only for ReleaseTags, in a filter of its own (filters are ORed)', () => {
      expect(push({ ReleaseTags: 'v*,release-*' })).to.deep.include({
        Push: [{ Branches: { Includes: ['main'] } }, { Tags: { Includes: ['v*', 'release-*'] } }],
      });
    });

    it('turns DetectChanges off on the connection action, so only the trigger starts the pipeline', () => {
      const source = pipeline.Stages[0].Actions as { 'Fn::If': [string, JsonObject[], JsonObject[]] };
      const [condition, [connection]] = source['Fn::If'];
      expect(condition).to.equal('UseCodeConnection');
      expect((connection?.['Configuration'] as JsonObject)['DetectChanges']).to.equal(false);
    });

    it('offers no pattern CodePipeline would refuse: at most 8 per list, each 1-255 characters', () => {
      for (const name of ['TriggerFilePaths', 'IgnoredFilePaths', 'ReleaseTags']) {
        const pattern = new RegExp(String(template.Parameters[name].AllowedPattern));
        expect(pattern.test(Array.from({ length: 8 }, (_, i) => `p${i}`).join(',')), name).to.equal(true);
        expect(pattern.test(Array.from({ length: 9 }, (_, i) => `p${i}`).join(',')), name).to.equal(false);
        expect(pattern.test('x'.repeat(256)), name).to.equal(false);
      }
    });
  });
}
