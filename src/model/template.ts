// One model of a template, read by every command (rain's cft.Template is the example): sections,
// resources by logical ID and by type, parameters, policy documents, intrinsics and the roles a
// template declares. Built from a builder's output or parsed from a file; never written to.
import { InputError } from '../errors.js';
import { loadYaml, normalize } from '../render/yaml.js';
import type { Json, JsonObject } from './json.js';
import { asMap, isJsonObject } from './json.js';
import type { PolicyDocumentAt } from './policies.js';
import { policyDocumentsOf, statementsOf } from './policies.js';
import { splitDotted } from './refs.js';
import { nameText, propertiesOf } from './resource.js';

/** A parameter as the template declares it. */
export interface TemplateParameter {
  readonly Type: string;
  readonly Default?: string | number;
  readonly AllowedPattern?: string;
  readonly AllowedValues?: readonly (string | number)[];
  readonly MinLength?: number;
  readonly MaxLength?: number;
  readonly MinValue?: number;
  readonly MaxValue?: number;
  readonly ConstraintDescription?: string;
  readonly Description?: string;
  readonly NoEcho?: boolean | string;
}

/** A role of the template: its name with the suffix as `*`, and the service that assumes it. */
export interface AssumedRole {
  readonly namePattern: string;
  readonly service: string;
}

/** `Fn::GetAtt: "X.Attr"` (valid in JSON templates) as the list form YAML's `!GetAtt` loads to. */
export function canonical(node: Json): Json {
  if (Array.isArray(node)) return node.map(canonical);
  if (!isJsonObject(node)) return node;
  const entries = Object.entries(node);
  const [only, value] = entries.length === 1 ? (entries[0] as [string, Json]) : ['', null];
  if (only === 'Fn::GetAtt' && typeof value === 'string') {
    const ref = splitDotted(value);
    if (ref.attribute !== undefined && ref.target !== '') return { 'Fn::GetAtt': [ref.target, ref.attribute] };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

export class TemplateModel {
  /** The template as long-form JSON, sections in their fixed order. */
  readonly body: JsonObject;

  constructor(body: JsonObject) {
    this.body = body;
  }

  /** A builder's template object (cloudform classes and intrinsics) as the model reads it. */
  static of(template: object): TemplateModel {
    return new TemplateModel(normalize(template));
  }

  /** A section as an object (empty when absent). */
  section(name: string): JsonObject {
    return asMap(this.body[name]);
  }

  /** Logical ID → resource, in template order. */
  resources(): [string, JsonObject][] {
    return Object.entries(this.section('Resources')).filter((e): e is [string, JsonObject] => isJsonObject(e[1]));
  }

  /** The resources of one type, in template order. */
  ofType(type: string): [string, JsonObject][] {
    return this.resources().filter(([, r]) => r['Type'] === type);
  }

  /** Every resource type the template declares, in first-seen order. */
  types(): string[] {
    return [...new Set(this.resources().map(([, r]) => String(r['Type'])))];
  }

  /** The Parameters section, in declaration order. */
  parameters(): Record<string, TemplateParameter> {
    const section = this.body['Parameters'];
    if (section === undefined || section === null) return {};
    if (!isJsonObject(section)) throw new InputError('the template’s Parameters section is not a mapping');
    return section as unknown as Record<string, TemplateParameter>;
  }

  /** Every policy document: role trust and inline policies, standalone policies, resource policies. */
  policyDocuments(): PolicyDocumentAt[] {
    return this.resources().flatMap(([id, r]) => policyDocumentsOf(id, r));
  }

  /** The intrinsic functions used anywhere (`Fn::GetAZs` …), sorted. */
  intrinsics(): string[] {
    const found = new Set<string>();
    const visit = (node: Json | undefined): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (isJsonObject(node)) {
        for (const [key, value] of Object.entries(node)) {
          if (key.startsWith('Fn::')) found.add(key);
          visit(value);
        }
      }
    };
    visit(this.body);
    return [...found].sort();
  }

  /** The template's Description (empty when absent). */
  description(): string {
    const text = this.body['Description'];
    return typeof text === 'string' ? text : '';
  }

  /** The literal value of tag `key` on the first resource that carries it (list or map Tags). */
  tagValue(key: string): string | undefined {
    for (const [, r] of this.resources()) {
      const tags = propertiesOf(r)['Tags'];
      const value = Array.isArray(tags)
        ? tags.find((t) => isJsonObject(t) && t['Key'] === key)
        : isJsonObject(tags)
          ? { Value: tags[key] ?? null }
          : undefined;
      const text = isJsonObject(value) ? value['Value'] : undefined;
      if (typeof text === 'string') return text;
    }
    return undefined;
  }

  /** Named roles and the service that assumes each; `${EnvironmentSuffix}` in the name becomes `*`. */
  assumedRoles(): AssumedRole[] {
    return this.ofType('AWS::IAM::Role').flatMap(([, role]) => {
      const properties = propertiesOf(role);
      const name = nameText(properties['RoleName']);
      const principal = statementsOf(properties['AssumeRolePolicyDocument'])[0]?.body['Principal'];
      const service = isJsonObject(principal) ? principal['Service'] : undefined;
      if (name === undefined || typeof service !== 'string') return [];
      return [{ namePattern: name.replace(/\$\{EnvironmentSuffix\}/g, '*'), service }];
    });
  }
}

/** A template body as CloudFormation's get-template returns it: already an object (JSON), or YAML/JSON text. */
export function templateFromBody(body: unknown, source: string): TemplateModel {
  if (typeof body === 'string') return parseTemplate(body, source);
  if (!isJsonObject(body) || !isJsonObject(body['Resources'])) {
    throw new InputError(`${source}: not a CloudFormation template (no Resources section)`);
  }
  return new TemplateModel(canonical(body) as JsonObject);
}

/** CloudFormation's limit on a template's size (loaded from S3; a request body takes 51,200 bytes). */
export const TEMPLATE_LIMIT = { bytes: 1_048_576, why: "CloudFormation's limit for a template" } as const;

/** A template file's text (YAML or JSON) as the model; throws InputError naming `source` when it is not a template. */
export function parseTemplate(text: string, source: string): TemplateModel {
  const bytes = Buffer.byteLength(text);
  if (bytes > TEMPLATE_LIMIT.bytes) {
    throw new InputError(
      `${source}: ${bytes} bytes, over ${TEMPLATE_LIMIT.bytes.toLocaleString('en-US')}, ${TEMPLATE_LIMIT.why}`,
    );
  }
  let parsed: JsonObject;
  try {
    parsed = loadYaml(text);
  } catch (error) {
    const line = String((error as Error).message.split('\n')[0]);
    throw new InputError(`${source}: not a CloudFormation template (${line})`);
  }
  if (!isJsonObject(parsed['Resources'])) {
    throw new InputError(`${source}: not a CloudFormation template (no Resources section)`);
  }
  return new TemplateModel(canonical(parsed) as JsonObject);
}
