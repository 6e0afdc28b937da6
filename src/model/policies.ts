// Every policy document in a template, found by resource type: role trust and inline policies,
// standalone IAM policies, and resource policies (key, bucket, topic …). docs and diff read these.
import type { PolicyKind } from '../cfn/types.js';
import { RESOURCE_TYPES } from '../cfn/types.js';
import type { Json, JsonObject } from './json.js';
import { asList, asMap, isJsonObject } from './json.js';
import { nameText, propertiesOf } from './resource.js';

export type { PolicyKind };

/** A template condition a statement depends on: the statement exists only while `condition` evaluates to `holds`. */
export interface ConditionTest {
  readonly condition: string;
  readonly holds: boolean;
}

/** One statement of a document, as written; one inside `!If [Condition, statement, …]` records its condition. */
export interface PolicyStatement {
  readonly body: JsonObject;
  /** The template conditions under which the statement exists; empty when it always does. */
  readonly onlyIf: readonly ConditionTest[];
}

/** One policy document and where it sits. */
export interface PolicyDocumentAt {
  readonly resourceId: string;
  readonly type: string;
  /** Where in the resource, for a reader: `trust policy`, `policy least-privilege`, `key policy` … */
  readonly label: string;
  readonly kind: PolicyKind;
  readonly statements: PolicyStatement[];
}

/** A statement list entry as the statements it stands for: an `!If` as each branch, `AWS::NoValue` as none. */
function expand(entry: Json | undefined, onlyIf: readonly ConditionTest[]): PolicyStatement[] {
  if (!isJsonObject(entry) || entry['Ref'] === 'AWS::NoValue') return [];
  const choice = entry['Fn::If'];
  if (!Array.isArray(choice)) return [{ body: entry, onlyIf }];
  const condition = String(choice[0]);
  return [
    ...expand(choice[1], [...onlyIf, { condition, holds: true }]),
    ...expand(choice[2], [...onlyIf, { condition, holds: false }]),
  ];
}

/** The statements of a document (an object, or JSON text as some properties take it). */
export function statementsOf(document: Json | undefined): PolicyStatement[] {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc) as Json;
    } catch {
      return [];
    }
  }
  if (!isJsonObject(doc)) return [];
  const statement = doc['Statement'];
  const list = Array.isArray(statement) ? statement : [statement];
  return list.flatMap((entry) => expand(entry, []));
}

/** One entry of a statement's Condition block: `aws:SourceArn` ArnLike its values. */
export interface ConditionEntry {
  readonly key: string;
  readonly operator: string;
  readonly values: Json[];
}

/** A statement's Condition block as entries, operator by operator. */
export const conditionEntries = (condition: Json | undefined): ConditionEntry[] =>
  Object.entries(asMap(condition)).flatMap(([operator, entries]) =>
    Object.entries(asMap(entries)).map(([key, value]) => ({ key, operator, values: asList(value) })),
  );

/** When a statement exists, as text: `UseCodeConnection and not HasEmail`; `name` writes each condition's name. */
export const onlyIfText = (onlyIf: readonly ConditionTest[], name = (condition: string) => condition): string =>
  onlyIf.map((test) => `${test.holds ? '' : 'not '}${name(test.condition)}`).join(' and ');

/** Every policy document of one resource. */
export function policyDocumentsOf(resourceId: string, resource: JsonObject): PolicyDocumentAt[] {
  const type = String(resource['Type']);
  const properties = propertiesOf(resource);
  const at = (label: string, kind: PolicyKind, document: Json | undefined): PolicyDocumentAt => ({
    resourceId,
    type,
    label,
    kind,
    statements: statementsOf(document),
  });
  if (type === 'AWS::IAM::Role') {
    const inline = Array.isArray(properties['Policies']) ? properties['Policies'].filter(isJsonObject) : [];
    return [
      at('trust policy', 'trust', properties['AssumeRolePolicyDocument']),
      ...inline.map((p) => at(`policy ${nameText(p['PolicyName']) ?? '(unnamed)'}`, 'identity', p['PolicyDocument'])),
    ];
  }
  const known = RESOURCE_TYPES[type]?.policy;
  if (known === undefined || properties[known.property] === undefined) return [];
  const name = nameText(properties['PolicyName'] ?? properties['ManagedPolicyName']);
  return [at(name === undefined ? known.label : `${known.label} ${name}`, known.kind, properties[known.property])];
}
