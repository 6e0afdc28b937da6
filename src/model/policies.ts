// Every policy document in a template, found by resource type: role trust and inline policies,
// standalone IAM policies, and resource policies (key, bucket, topic …). docs and diff read these.
import type { PolicyKind } from '../cfn/types.js';
import { RESOURCE_TYPES } from '../cfn/types.js';
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { nameText, propertiesOf } from './resource.js';

export type { PolicyKind };

/** One policy document and where it sits. */
export interface PolicyDocumentAt {
  readonly resourceId: string;
  readonly type: string;
  /** Where in the resource, for a reader: `trust policy`, `policy least-privilege`, `key policy` … */
  readonly label: string;
  readonly kind: PolicyKind;
  readonly statements: JsonObject[];
}

/** The statements of a document (an object, or JSON text as some properties take it). */
export function statementsOf(document: Json | undefined): JsonObject[] {
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
  return list.filter(isJsonObject);
}

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
