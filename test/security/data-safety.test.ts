import { RESOURCE_TYPES } from '../../src/cfn/types.js';
import { isJsonObject } from '../../src/model/json.js';
import { expect } from 'chai';
import type { Json, JsonObject } from '../../src/model/json.js';
import type { CfnTemplate } from '../helpers.js';
import { venvPython } from '../venv.js';
import { emittedTemplates } from '../helpers.js';

// Types that hold data we cannot rebuild (their row in types.ts says so): kept when the stack is
// deleted or the resource replaced.
const RETAINED_TYPES = Object.keys(RESOURCE_TYPES).filter((type) => RESOURCE_TYPES[type]?.retained === true);

// Types whose replacement loses data (log groups lose their history), checked for replacement triggers.
const STATEFUL_TYPES = [...RETAINED_TYPES, 'AWS::Logs::LogGroup'];

// The stack's identity: changing it means a different stack, so replacing resources is expected.
// Every other parameter is "routine": a user changes it in an ordinary update.
const IDENTITY_PARAMETERS = new Set(['EnvironmentSuffix']);

/** createOnlyProperties of each type, from cfn-lint's bundled resource schemas: property paths under Properties. */
function createOnlyProperties(types: readonly string[]): Record<string, string[][]> {
  const raw = venvPython<Record<string, string[]>>(
    `
import json, os, sys, cfnlint
base = os.path.join(os.path.dirname(cfnlint.__file__), 'data', 'schemas')
index = json.load(open(os.path.join(base, 'providers', 'us-east-1.json')))
out = {}
for t in json.load(sys.stdin):
    schema = json.load(open(os.path.join(base, 'resources', index[t] + '.json')))
    out[t] = schema.get('createOnlyProperties', [])
print(json.dumps(out))
`,
    JSON.stringify(types),
  );
  return Object.fromEntries(
    Object.entries(raw).map(([type, pointers]) => [type, pointers.map((p) => p.split('/').slice(2))]),
  );
}

/** What the value at `path` (a list of keys, `*` for any array item) is, or undefined. */
function at(node: Json | undefined, path: readonly string[]): Json[] {
  if (node === undefined) return [];
  if (path.length === 0) return [node];
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(node)) return node.flatMap((item) => at(item, path));
  return isJsonObject(node) ? at(node[head], rest) : [];
}

/** Parameters a template value depends on, directly or through a resource that would be replaced, or a condition. */
class Dependencies {
  private readonly memo = new Map<string, Set<string>>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly createOnly: Readonly<Record<string, string[][]>>,
  ) {}

  private get parameters(): JsonObject {
    return (this.template['Parameters'] ?? {}) as JsonObject;
  }

  /** Parameters that, changed, would replace the resource (through its create-only properties). */
  ofResource(id: string, visiting: ReadonlySet<string> = new Set()): Set<string> {
    const cached = this.memo.get(id);
    if (cached !== undefined) return cached;
    const resource = this.template.Resources[id];
    if (resource === undefined || visiting.has(id)) return new Set();
    const inner = new Set([...visiting, id]);
    const found = new Set<string>();
    for (const path of this.createOnly[resource.Type] ?? []) {
      for (const value of at(resource.Properties as Json, path))
        for (const p of this.ofValue(value, inner)) found.add(p);
    }
    this.memo.set(id, found);
    return found;
  }

  /** Parameters a value depends on. */
  ofValue(node: Json, visiting: ReadonlySet<string> = new Set()): Set<string> {
    const found = new Set<string>();
    const name = (n: string) => {
      if (n in this.parameters) found.add(n);
      else if (n in this.template.Resources) for (const p of this.ofResource(n, visiting)) found.add(p);
    };
    const visit = (n: Json, shadowed: ReadonlySet<string> = new Set()): void => {
      if (Array.isArray(n)) return n.forEach((item) => visit(item, shadowed));
      if (!isJsonObject(n)) return;
      for (const [key, value] of Object.entries(n)) {
        if (key === 'Ref' && typeof value === 'string') name(value);
        else if (key === 'Fn::GetAtt')
          name(Array.isArray(value) ? String(value[0]) : (String(value).split('.')[0] ?? ''));
        else if (key === 'Fn::Sub') {
          const [text, vars] = Array.isArray(value)
            ? [String(value[0]), (value[1] ?? {}) as JsonObject]
            : [String(value), {}];
          for (const [, ref] of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
            const base = (ref as string).split('.')[0] as string;
            if (!(base in vars) && !shadowed.has(base)) name(base);
          }
          visit(vars as Json, shadowed);
        } else if (key === 'Fn::If' && Array.isArray(value)) {
          visit({ Condition: value[0] as Json });
          visit(value.slice(1), shadowed);
        } else if (key === 'Condition' && typeof value === 'string') {
          const condition = (this.template['Conditions'] as JsonObject | undefined)?.[value];
          if (condition !== undefined) visit(condition);
        } else visit(value, shadowed);
      }
    };
    visit(node);
    return found;
  }
}

describe('security/data-safety', () => {
  const templates = emittedTemplates();
  const types = [
    ...new Set([
      ...STATEFUL_TYPES,
      ...templates.flatMap((t) => Object.values(t.template.Resources).map((r) => r.Type)),
    ]),
  ];
  const createOnly = createOnlyProperties(types);

  describe('properties whose change replaces a stateful resource (cfn-lint resource schemas)', () => {
    for (const type of STATEFUL_TYPES) {
      const properties = (createOnly[type] ?? []).map((p) => p.join('.'));
      it(`${type}: ${properties.length > 0 ? properties.join(', ') : 'none'}`, () => {
        expect(createOnly[type], `${type} in the schemas`).to.be.an('array');
        for (const p of properties) expect(p).to.match(/^[A-Za-z]/);
      });
    }
  });

  const parameters = [...new Set(templates.flatMap((t) => Object.keys((t.template['Parameters'] ?? {}) as object)))];
  const routine = parameters.filter((p) => !IDENTITY_PARAMETERS.has(p));
  it(`treats every parameter but ${[...IDENTITY_PARAMETERS].join(', ')} as routine: ${routine.join(', ')}`, () => {
    expect(parameters).to.include.members([...IDENTITY_PARAMETERS]);
    expect(routine.length).to.be.greaterThan(0);
  });

  it('finds stateful resources to check in the emitted templates', () => {
    const found = templates.flatMap((t) =>
      Object.values(t.template.Resources).filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.Type)),
    );
    expect(found.length).to.be.greaterThan(0);
    expect(RETAINED_TYPES, 'types.ts marks the stores whose data outlives the stack').to.include.members([
      'AWS::S3::Bucket',
      'AWS::ECR::Repository',
      'AWS::KMS::Key',
      'AWS::SecretsManager::Secret',
    ]);
  });

  for (const { file, template } of templates) {
    describe(file, () => {
      const retained = Object.entries(template.Resources).filter(([, r]) =>
        (RETAINED_TYPES as readonly string[]).includes(r.Type),
      );
      const stateful = Object.entries(template.Resources).filter(([, r]) =>
        (STATEFUL_TYPES as readonly string[]).includes(r.Type),
      );
      const dependencies = new Dependencies(template, createOnly);

      for (const [id, r] of retained) {
        it(`keeps ${id} (${r.Type}) on stack deletion and on replacement`, () => {
          expect([r.DeletionPolicy, r.UpdateReplacePolicy]).to.deep.equal(['Retain', 'Retain']);
        });
      }

      for (const [id, r] of stateful) {
        it(`does not replace ${id} (${r.Type}) when a routine parameter changes`, () => {
          const triggers = [...dependencies.ofResource(id)].filter((p) => !IDENTITY_PARAMETERS.has(p));
          expect(triggers, `routine parameters that reach a create-only property of ${id}`).to.deep.equal([]);
        });
      }
    });
  }

  describe('the dependency analysis, on small examples', () => {
    const example = (properties: JsonObject, extra: Record<string, object> = {}) =>
      ({
        Parameters: { EnvironmentSuffix: {}, GitHubRepo: {}, Flag: {} },
        Conditions: { UseFlag: { 'Fn::Equals': [{ Ref: 'Flag' }, 'yes'] } },
        Resources: { Store: { Type: 'AWS::S3::Bucket', Properties: properties }, ...extra },
      }) as unknown as CfnTemplate;
    const CASES: [string, CfnTemplate, string[]][] = [
      [
        'a name from the suffix',
        example({ BucketName: { 'Fn::Sub': 'cicd-${EnvironmentSuffix}' } }),
        ['EnvironmentSuffix'],
      ],
      ['a name from a routine parameter', example({ BucketName: { 'Fn::Sub': 'x-${GitHubRepo}' } }), ['GitHubRepo']],
      [
        'a Sub variable that shadows nothing',
        example({ BucketName: { 'Fn::Sub': ['x-${V}', { V: { Ref: 'GitHubRepo' } }] } }),
        ['GitHubRepo'],
      ],
      ['a name under a condition', example({ BucketName: { 'Fn::If': ['UseFlag', 'a', 'b'] } }), ['Flag']],
      [
        'a routine parameter outside create-only properties',
        example({ Tags: [{ Key: 'r', Value: { Ref: 'GitHubRepo' } }] }),
        [],
      ],
      [
        'a name from a resource that a routine parameter replaces',
        example(
          { BucketName: { Ref: 'Group' } },
          { Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { Ref: 'GitHubRepo' } } } },
        ),
        ['GitHubRepo'],
      ],
      ['a literal ${!escape}', example({ BucketName: { 'Fn::Sub': 'x-${!GitHubRepo}' } }), []],
    ];
    for (const [what, t, expected] of CASES) {
      it(`finds ${expected.length > 0 ? expected.join(', ') : 'nothing'} in ${what}`, () => {
        expect([...new Dependencies(t, createOnly).ofResource('Store')].sort()).to.deep.equal(expected);
      });
    }
  });
});
