// The product's own guard rules (templates/cfn-cicd.guard), run for real: every emitted template
// keeps every promise, and a copy broken in one way fails exactly the rule of that promise, naming
// the resource.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderAll } from '../../src/commands/build.js';
import { RESOURCE_TYPES, resourceType } from '../../src/cfn/types.js';
import type { BuildConfig } from '../../src/config.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { EMITTED_RULES, productGuardRules, PROMISES } from '../../src/guard/product-rules.js';
import { ANY_RESOURCE_ACTIONS } from '../../src/iam/any-resource.js';
import type { Json, JsonObject } from '../../src/model/json.js';
import { isJsonObject } from '../../src/model/json.js';
import { GUARD_RULES_FILE, PIPELINE_TEMPLATE_FILE, SERVICE_CATALOG_TEMPLATE_FILE } from '../../src/naming.js';
import { loadYaml, renderYaml } from '../../src/render/yaml.js';
import type { GuardReport } from '../../src/tools/cfn-guard.js';
import { cfnGuard, formatFailure } from '../../src/tools/cfn-guard.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import type { ShippedVariant } from '../helpers.js';
import { ACCOUNTS_CONFIG, emittedTemplates, SHIPPED_VARIANTS } from '../helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutations reach into arbitrary property trees
type Loose = any;

const RULES = Object.values(PROMISES).map((p) => p.rule);
const STACK_KEY_ARN = { 'Fn::GetAtt': ['PipelineKey', 'Arn'] };

/** Every value at `path` under `node` (dots between keys, `[*]` for every list item). */
function valuesAt(node: Json | undefined, path: string): Json[] {
  if (path === '') return node === undefined ? [] : [node];
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const key = head.replace(/\[\*\]$/, '');
  if (!isJsonObject(node) || node[key] === undefined) return [];
  const next = node[key] as Json;
  const items = head.endsWith('[*]') ? (Array.isArray(next) ? next : []) : [next];
  return items.flatMap((item) => valuesAt(item, rest.join('.')));
}

/** Deletes the value at `path` (as valuesAt reads it) wherever it is. */
function deleteAt(node: Json, path: string): void {
  const parents = path.includes('.') ? valuesAt(node, path.slice(0, path.lastIndexOf('.'))) : [node];
  const last = path.slice(path.lastIndexOf('.') + 1);
  for (const parent of parents) if (isJsonObject(parent)) Reflect.deleteProperty(parent, last);
}

/** One broken copy of an emitted template and what cfn-guard must say about it. */
interface Mutation {
  readonly what: string;
  readonly template: string;
  /** The build config the template comes from. @default DEFAULT_CONFIG */
  readonly config?: BuildConfig;
  readonly mutate: (resources: Loose) => void;
  /** The one rule that fails. */
  readonly rule: string;
  /** `ID resource` lines of the failure. */
  readonly failures: readonly string[];
}

const KMS = PROMISES.kms;
const TLS = PROMISES.tls;
const STAR = PROMISES.anyResource;
const LOGS = PROMISES.logRetention;
const RETAIN = PROMISES.retained;
const TAGS = PROMISES.tags;
const NAMES = PROMISES.names;

/** The first statement in `role`'s inline policies whose Resource is `*`. */
const anyResourceStatement = (role: Loose): Loose =>
  role.Properties.Policies.flatMap((p: Loose) => p.PolicyDocument.Statement).find(
    (s: Loose) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')),
  );

const MUTATIONS: readonly Mutation[] = [
  {
    what: "a pipeline with stores in other Regions leaves one Region's store without its key",
    template: PIPELINE_TEMPLATE_FILE,
    config: ACCOUNTS_CONFIG,
    mutate: (r) => {
      Reflect.deleteProperty(r.Pipeline.Properties.ArtifactStores[2].ArtifactStore, 'EncryptionKey');
    },
    rule: KMS.rule,
    failures: ['CICD.KMS Pipeline'],
  },
  {
    what: 'the bucket uses SSE-S3 instead of its KMS key',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.ArtifactBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration = [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ];
    },
    rule: KMS.rule,
    failures: ['CICD.KMS ArtifactBucket'],
  },
  {
    what: 'the key stops rotating',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.PipelineKey.Properties.EnableKeyRotation = false;
    },
    rule: KMS.rule,
    failures: ['CICD.KMS PipelineKey'],
  },
  {
    what: 'the bucket policy allows plain HTTP (the condition tests the wrong value)',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.ArtifactBucketPolicy.Properties.PolicyDocument.Statement[0].Condition.Bool['aws:SecureTransport'] = 'true';
    },
    rule: TLS.rule,
    failures: ['CICD.TLS ArtifactBucketPolicy'],
  },
  {
    what: 'the topic loses its policy',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      delete r.NotificationTopicPolicy;
    },
    rule: TLS.rule,
    failures: ['CICD.TLS NotificationTopic'],
  },
  {
    what: 'the topic policy names another topic',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.NotificationTopicPolicy.Properties.Topics = [{ Ref: 'SomeOtherTopic' }];
    },
    rule: TLS.rule,
    failures: ['CICD.TLS NotificationTopic'],
  },
  {
    what: 'a role allows an undocumented action on "*"',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      anyResourceStatement(r.BuildRole).Action.push('s3:ListAllMyBuckets');
    },
    rule: STAR.rule,
    failures: ['CICD.STAR BuildRole'],
  },
  {
    what: 'a launch policy allows a wildcard action',
    template: SERVICE_CATALOG_TEMPLATE_FILE,
    mutate: (r) => {
      r.PipelineLaunchPolicy2.Properties.PolicyDocument.Statement[0].Action.push('s3:Get*');
    },
    rule: STAR.rule,
    failures: ['CICD.STAR PipelineLaunchPolicy2'],
  },
  {
    what: 'a role writes one statement as a map, where list filters would not see it',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      const policy = r.TaskExecutionRole.Properties.Policies[0].PolicyDocument;
      policy.Statement = { Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' };
    },
    rule: STAR.rule,
    failures: ['CICD.STAR TaskExecutionRole'],
  },
  {
    what: 'a log group keeps its events forever',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      delete r.BuildLogGroup.Properties.RetentionInDays;
    },
    rule: LOGS.rule,
    failures: ['CICD.LOGS BuildLogGroup'],
  },
  {
    what: 'a log group keeps its events 0 days',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.ServiceLogGroup.Properties.RetentionInDays = 0;
    },
    rule: LOGS.rule,
    failures: ['CICD.LOGS ServiceLogGroup'],
  },
  {
    what: 'the repository is deleted with the stack',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.ImageRepository.DeletionPolicy = 'Delete';
    },
    rule: RETAIN.rule,
    failures: ['CICD.RETAIN ImageRepository'],
  },
  {
    what: 'the cluster loses its Project tag',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.Cluster.Properties.Tags = r.Cluster.Properties.Tags.filter((t: Loose) => t.Key !== 'Project');
    },
    rule: TAGS.rule,
    failures: ['CICD.TAGS Cluster'],
  },
  {
    what: 'the portfolio loses every tag',
    template: SERVICE_CATALOG_TEMPLATE_FILE,
    mutate: (r) => {
      delete r.PipelinePortfolio.Properties.Tags;
    },
    rule: TAGS.rule,
    failures: ['CICD.TAGS PipelinePortfolio'],
  },
  {
    what: 'the bucket is renamed without the cicd- prefix',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.ArtifactBucket.Properties.BucketName = { 'Fn::Sub': 'artifacts-${EnvironmentSuffix}-${AWS::AccountId}' };
    },
    rule: NAMES.rule,
    failures: ['CICD.NAMES ArtifactBucket'],
  },
  {
    what: 'the key alias drops the environment suffix',
    template: PIPELINE_TEMPLATE_FILE,
    mutate: (r) => {
      r.PipelineKeyAlias.Properties.AliasName = 'alias/cicd-key';
    },
    rule: NAMES.rule,
    failures: ['CICD.NAMES PipelineKeyAlias'],
  },
];

describe('guard/product-rules (templates/cfn-cicd.guard, run with the pinned cfn-guard)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cfn-cicd-product-rules-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** Writes the build's files for `config` into a fresh directory; returns it. */
  const build = (config?: BuildConfig): string => {
    const dir = mkdtempSync(join(scratch, 'build-'));
    for (const [file, text] of renderAll(config)) writeFileSync(join(dir, file), text);
    return dir;
  };
  const defaultBuild = build();
  const rules = join(defaultBuild, GUARD_RULES_FILE);

  it('is one file the build writes, with one rule per promise, each message naming it', () => {
    expect(Object.keys(EMITTED_RULES)).to.deep.equal([GUARD_RULES_FILE]);
    const text = productGuardRules();
    expect([...text.matchAll(/^rule (\w+) \{$/gm)].map((m) => m[1]).sort()).to.deep.equal([...RULES].sort());
    const messages = [...text.matchAll(/<<(.*)>>/g)].map((m) => m[1] as string);
    expect(messages.length).to.be.greaterThan(RULES.length);
    for (const m of messages) expect(m).to.match(/^\[CICD\.[A-Z]+\]: /);
    expect(new Set(Object.values(PROMISES).map((p) => p.id)).size).to.equal(RULES.length);
  });

  it('is the table docs/SECURITY.md shows: every promise’s ID and rule, and no other', () => {
    const page = readFileSync(join(PACKAGE_ROOT, 'docs', 'SECURITY.md'), 'utf8');
    const section = page.split(/^## /m).find((s) => s.startsWith('Guarantees a platform team can enforce')) ?? '';
    const rows = [...section.matchAll(/^\| `(CICD\.[A-Z]+)`\s*\| `(\w+)`\s*\|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).to.deep.equal(Object.values(PROMISES).map((p) => [p.id, p.rule]));
  });

  it('refuses a tag key it cannot write as a guard string (config validation keeps them out)', () => {
    expect(() => productGuardRules({ ...DEFAULT_CONFIG, project: 'p', tags: { "team's": 'x' } })).to.throw(
      `cannot write "team's" as a guard string`,
    );
  });

  describe('reads what the builders know', () => {
    const text = productGuardRules();

    it('lists exactly the documented `*` actions', () => {
      const listed = /let cicd_any_resource_actions = \[([^\]]*)\]/.exec(text)?.[1] ?? '';
      expect([...listed.matchAll(/'([^']+)'/g)].map((m) => m[1])).to.deep.equal(
        Object.keys(ANY_RESOURCE_ACTIONS).sort(),
      );
    });

    it('holds every store type to its key property, and that property names the stack key in every template', () => {
      const stores = Object.keys(RESOURCE_TYPES).filter((t) => resourceType(t).kmsKey !== undefined);
      expect(stores.length).to.be.greaterThan(5);
      let checked = 0;
      for (const { template } of emittedTemplates()) {
        for (const [id, r] of Object.entries(template.Resources)) {
          const key = resourceType(r.Type).kmsKey;
          if (key === undefined) continue;
          expect(text, r.Type).to.include(`Properties.${key.property} exists`);
          const properties = r.Properties as JsonObject;
          const stated = key.unlessStated;
          if (stated !== undefined && (r.Metadata?.['cfn-cicd'] as JsonObject | undefined)?.[stated.metadata]) {
            // The one store that says why it cannot take the key (the access log bucket) takes the alternative.
            expect(valuesAt(properties, stated.instead[0]), `${id} ${stated.instead[0]}`).to.deep.equal([
              stated.instead[1],
            ]);
            checked++;
            continue;
          }
          const other = key.otherwise;
          if (other !== undefined && properties[other.unless] === undefined) {
            // One store per Region: the pipeline's own with the stack key, each other Region's with its key parameter.
            expect(text, r.Type).to.include(`Properties.${other.property} exists`);
            const [home, ...elsewhere] = valuesAt(properties, other.property);
            expect(home, `${id} ${other.property}`).to.deep.equal(STACK_KEY_ARN);
            expect(elsewhere.length, `${id} ${other.property}`).to.be.greaterThan(0);
            for (const k of elsewhere)
              expect(Object.keys(k as JsonObject), `${id} ${other.property}`).to.deep.equal(['Ref']);
            for (const [path, value] of Object.entries(other.requires)) {
              expect(new Set(valuesAt(properties, path)), `${id} ${path}`).to.deep.equal(new Set([value]));
            }
            checked++;
            continue;
          }
          expect(valuesAt(properties, key.property), `${id} ${key.property}`).to.deep.equal([STACK_KEY_ARN]);
          for (const [path, value] of Object.entries(key.requires ?? {})) {
            expect(valuesAt(properties, path), `${id} ${path}`).to.deep.equal([value]);
          }
          checked++;
        }
      }
      expect(checked).to.be.greaterThan(10);
    });

    it('asks for the config’s own tags too, so a copy built without them fails', async () => {
      const config: BuildConfig = { ...DEFAULT_CONFIG, project: 'payments', tags: { CostCenter: 'cc-42' } };
      expect(productGuardRules(config)).to.include("some Properties.Tags[*].Key == 'CostCenter'");
      const tagged = build(config);
      const [own, untagged] = await cfnGuard(
        [join(tagged, GUARD_RULES_FILE)],
        [join(tagged, PIPELINE_TEMPLATE_FILE), join(defaultBuild, PIPELINE_TEMPLATE_FILE)],
      );
      expect(own?.failures).to.deep.equal([]);
      expect(untagged?.failures.map((f) => f.rule)).to.deep.equal([TAGS.rule]);
      expect(untagged?.failures[0]?.messages).to.include(
        '[CICD.TAGS]: standard tags on every taggable resource: every taggable resource carries the tag CostCenter',
      );
    });
  });

  describe('every emitted template (both engines) keeps every promise', () => {
    const emitted = emittedTemplates();
    const reports = new Map<string, GuardReport>();
    before(async () => {
      const paths = emitted.map(({ file, yaml }) => {
        const path = join(scratch, 'emitted', file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, yaml);
        return path;
      });
      const found = await cfnGuard([rules], paths);
      found.forEach((report, i) => reports.set(emitted[i]?.file as string, report));
    });

    for (const { file } of emitted.filter((t) => t.file.endsWith(PIPELINE_TEMPLATE_FILE))) {
      it(`${file}: every rule applies and passes`, () => {
        const pipeline = reports.get(file) as GuardReport;
        expect(pipeline.failures.flatMap(formatFailure)).to.deep.equal([]);
        expect(pipeline.compliant.slice().sort()).to.deep.equal([...RULES].sort());
      });
    }

    for (const { file } of emitted.filter((t) => t.file.endsWith(SERVICE_CATALOG_TEMPLATE_FILE))) {
      it(`${file}: no rule fails; those about stores it lacks do not apply`, () => {
        const catalog = reports.get(file) as GuardReport;
        expect(catalog.failures.flatMap(formatFailure)).to.deep.equal([]);
        expect(catalog.compliant.slice().sort()).to.deep.equal([STAR.rule, TAGS.rule, NAMES.rule].sort());
        expect([...catalog.compliant, ...catalog.notApplicable].sort()).to.deep.equal([...RULES].sort());
      });
    }
  });

  describe('a copy broken in one way fails exactly that promise’s rule, naming the resource', () => {
    const reports = new Map<string, GuardReport>();
    before(async () => {
      const files = MUTATIONS.map((m, i) => {
        const body = loadYaml(renderAll(m.config).get(m.template) as string) as Loose;
        m.mutate(body.Resources);
        const path = join(scratch, `mutation-${i}.yaml`);
        writeFileSync(path, renderYaml(body));
        return path;
      });
      const found = await cfnGuard([rules], files);
      found.forEach((report, i) => reports.set(MUTATIONS[i]?.what as string, report));
    });

    for (const m of MUTATIONS) {
      it(`${m.what}: ${m.rule}`, () => {
        const report = reports.get(m.what) as GuardReport;
        expect(report.failures.map((f) => f.rule)).to.deep.equal([m.rule]);
        expect(report.failures.flatMap(formatFailure)).to.deep.equal(m.failures);
        expect(report.compliant).to.not.include(m.rule);
      });
    }

    it('covers every promise', () => {
      expect([...new Set(MUTATIONS.map((m) => m.rule))].sort()).to.deep.equal([...RULES].sort());
    });

    it('every store type’s key property, removed, fails the KMS rule on that resource', async () => {
      const templates = emittedTemplates([SHIPPED_VARIANTS[0] as ShippedVariant]).filter(({ template }) =>
        Object.values(template.Resources).some((r) => resourceType(r.Type).kmsKey !== undefined),
      );
      const cases = templates.flatMap(({ file, yaml, template }) => {
        const firstOfType = new Map<string, string>();
        for (const [id, r] of Object.entries(template.Resources)) {
          if (resourceType(r.Type).kmsKey !== undefined && !firstOfType.has(r.Type)) firstOfType.set(r.Type, id);
        }
        return [...firstOfType].map(([type, id]) => ({ file, yaml, type, id }));
      });
      const files = cases.map(({ yaml, type, id }, i) => {
        const body = loadYaml(yaml) as Loose;
        deleteAt(body.Resources[id].Properties, (resourceType(type).kmsKey as { property: string }).property);
        const path = join(scratch, `unkeyed-${i}.yaml`);
        writeFileSync(path, renderYaml(body));
        return path;
      });
      const found = await cfnGuard([rules], files);
      expect(cases.map((c) => c.type).sort()).to.deep.equal(
        Object.keys(RESOURCE_TYPES)
          .filter((t) => resourceType(t).kmsKey !== undefined)
          .sort(),
      );
      found.forEach((report, i) => {
        expect(report.failures.flatMap(formatFailure), cases[i]?.type).to.deep.equal([`CICD.KMS ${cases[i]?.id}`]);
      });
    });
  });
});
