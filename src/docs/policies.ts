// Every policy document in a template, found by resource type: role trust and inline policies,
// standalone IAM policies, and resource policies (key, bucket, topic …). docs and diff read these.
import { isJsonObject } from '../render/yaml.js';
import type { Json, JsonObject } from '../render/yaml.js';

/** Who a document speaks for: a role's trust, an identity's permissions, or a resource's policy. */
export type PolicyKind = 'trust' | 'identity' | 'resource';

/** One policy document and where it sits. */
export interface PolicyDocumentAt {
  readonly resourceId: string;
  readonly type: string;
  /** Where in the resource, for a reader: `trust policy`, `policy least-privilege`, `key policy` … */
  readonly label: string;
  readonly kind: PolicyKind;
  readonly statements: JsonObject[];
}

/** Resource types that carry a policy document in one property (identity policies are IAM's own). */
export const POLICY_PROPERTIES: Readonly<Record<string, { property: string; label: string; kind: PolicyKind }>> = {
  'AWS::ECR::Repository': { property: 'RepositoryPolicyText', label: 'repository policy', kind: 'resource' },
  'AWS::IAM::ManagedPolicy': { property: 'PolicyDocument', label: 'managed policy', kind: 'identity' },
  'AWS::IAM::Policy': { property: 'PolicyDocument', label: 'policy', kind: 'identity' },
  'AWS::KMS::Key': { property: 'KeyPolicy', label: 'key policy', kind: 'resource' },
  'AWS::S3::BucketPolicy': { property: 'PolicyDocument', label: 'bucket policy', kind: 'resource' },
  'AWS::SecretsManager::ResourcePolicy': { property: 'ResourcePolicy', label: 'secret policy', kind: 'resource' },
  'AWS::SNS::TopicPolicy': { property: 'PolicyDocument', label: 'topic policy', kind: 'resource' },
  'AWS::SQS::QueuePolicy': { property: 'PolicyDocument', label: 'queue policy', kind: 'resource' },
};

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

/** A string-or-list field (Action, Resource) as a list. */
export const asList = (value: Json | undefined): Json[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A policy name as written: plain text or the text of its `!Sub`. */
const nameText = (value: Json | undefined): string | undefined =>
  typeof value === 'string'
    ? value
    : isJsonObject(value) && typeof value['Fn::Sub'] === 'string'
      ? value['Fn::Sub']
      : undefined;

const propertiesOf = (resource: JsonObject): JsonObject =>
  isJsonObject(resource['Properties']) ? resource['Properties'] : {};

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
  const known = POLICY_PROPERTIES[type];
  if (known === undefined || properties[known.property] === undefined) return [];
  const name = nameText(properties['PolicyName'] ?? properties['ManagedPolicyName']);
  return [at(name === undefined ? known.label : `${known.label} ${name}`, known.kind, properties[known.property])];
}
