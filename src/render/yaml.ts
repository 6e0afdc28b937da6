// Template object → reviewable YAML, and back. Intrinsics become CloudFormation's short-form
// tags (!Ref, !Sub, !GetAtt Name.Attr …); sections and resource attributes keep a fixed order;
// multi-line strings (buildspecs, scripts, JSON policies) come out as literal block scalars.
import yaml from 'js-yaml';
import type { Json, JsonObject } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import { splitDotted } from '../model/refs.js';

/** Top-level sections in the order CloudFormation's own documentation lists them. */
export const SECTION_ORDER = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Resources',
  'Outputs',
] as const;

/** Resource attributes in reading order: what it is and when, how it is kept, then its settings. */
export const RESOURCE_ATTRIBUTE_ORDER = [
  'Type',
  'Condition',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'Properties',
] as const;

/** Short-form tag for each intrinsic function's long-form key. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  Ref: '!Ref',
  'Fn::Base64': '!Base64',
  'Fn::Cidr': '!Cidr',
  'Fn::FindInMap': '!FindInMap',
  'Fn::GetAtt': '!GetAtt',
  'Fn::GetAZs': '!GetAZs',
  'Fn::ImportValue': '!ImportValue',
  'Fn::Join': '!Join',
  'Fn::Select': '!Select',
  'Fn::Split': '!Split',
  'Fn::Sub': '!Sub',
  'Fn::And': '!And',
  'Fn::Equals': '!Equals',
  'Fn::If': '!If',
  'Fn::Not': '!Not',
  'Fn::Or': '!Or',
};
const CONDITION_FUNCTIONS = new Set(['Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::If']);
const CONDITION_TAG = '!Condition';

/** A value to be written with a YAML tag. */
class Tagged {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}

type Kind = 'scalar' | 'sequence' | 'mapping';
const kindOf = (value: unknown): Kind =>
  Array.isArray(value) ? 'sequence' : value !== null && typeof value === 'object' ? 'mapping' : 'scalar';

/** Long form of a tagged node, as CloudFormation (and cfn-lint) reads it. */
function longForm(tag: string, kind: Kind, data: unknown): JsonObject {
  if (tag === CONDITION_TAG) return { Condition: data as Json };
  const key = Object.keys(SHORT_FORMS).find((k) => SHORT_FORMS[k] === tag) as string;
  if (tag === '!GetAtt' && kind === 'scalar') {
    const { target, attribute = '' } = splitDotted(String(data));
    return { [key]: [target, attribute] };
  }
  return { [key]: (data ?? '') as Json };
}

const TAGS = [...Object.values(SHORT_FORMS), CONDITION_TAG];
const KINDS: readonly Kind[] = ['scalar', 'sequence', 'mapping'];

/** Loading: one js-yaml type per (tag, node kind), each rebuilding the long form. */
export const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  TAGS.flatMap((tag) =>
    KINDS.map((kind) => new yaml.Type(tag, { kind, construct: (data: unknown) => longForm(tag, kind, data) })),
  ),
);

/** Dumping: one type per node kind a tag goes on (scalar, list) that names its tag from the value. */
const DUMP_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  (['scalar', 'sequence'] as const).map(
    (kind) =>
      new yaml.Type('!', {
        kind,
        multi: true,
        predicate: (o: unknown) => o instanceof Tagged && kindOf(o.value) === kind,
        representName: (o: object) => (o as Tagged).tag,
        represent: (o: object) => (o as Tagged).value as object,
      }),
  ),
);

/** Replaces long-form intrinsics with Tagged values, depth first. */
function shorten(node: unknown, inCondition = false): unknown {
  if (Array.isArray(node)) return node.map((item) => shorten(item, inCondition));
  if (!isJsonObject(node)) return node;
  const keys = Object.keys(node);
  const only = keys.length === 1 ? (keys[0] as string) : undefined;
  if (only !== undefined) {
    const value = node[only];
    const tag = SHORT_FORMS[only];
    if (tag !== undefined) {
      if (only === 'Fn::GetAtt' && Array.isArray(value) && value.every((p) => typeof p === 'string')) {
        return new Tagged(tag, value.join('.'));
      }
      const argument = shorten(value, CONDITION_FUNCTIONS.has(only));
      // A YAML node takes one tag: a function whose argument is a map or another short form keeps its
      // long key (`Fn::Base64: !Sub …`), as CloudFormation's documentation writes nested functions.
      return kindOf(argument) === 'mapping' ? { [only]: argument } : new Tagged(tag, argument);
    }
    if (only === 'Condition' && inCondition && typeof value === 'string') {
      return new Tagged(CONDITION_TAG, value);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, shorten(node[k])]));
}

function ordered(object: JsonObject, order: readonly string[]): JsonObject {
  const known = order.filter((k) => k in object);
  const rest = Object.keys(object).filter((k) => !order.includes(k));
  return Object.fromEntries([...known, ...rest].map((k) => [k, object[k] as Json]));
}

/** Runs every `toJSON()` (cloudform's classes and intrinsics) and drops undefined properties. */
export function toPlain(template: object): JsonObject {
  return JSON.parse(JSON.stringify(template)) as JsonObject;
}

/** Plain template with sections and resource attributes in their fixed order. */
export function normalize(template: object): JsonObject {
  const plain = ordered(toPlain(template), SECTION_ORDER);
  const resources = plain['Resources'];
  if (isJsonObject(resources)) {
    plain['Resources'] = Object.fromEntries(
      Object.entries(resources).map(([id, r]) => [id, ordered(r as JsonObject, RESOURCE_ATTRIBUTE_ORDER)]),
    );
  }
  return plain;
}

/** The template as CloudFormation YAML with short-form tags. Deterministic: same input, same bytes. */
export function renderYaml(template: object): string {
  const text = yaml.dump(shorten(normalize(template)), {
    schema: DUMP_SCHEMA,
    noRefs: true,
    lineWidth: -1,
    quotingType: "'",
    indent: 2,
    noArrayIndent: false,
  });
  // js-yaml writes a tag before a block sequence as `!If ` with a trailing space; drop it.
  return text.replace(TRAILING_TAG_SPACE, '$1');
}

const TRAILING_TAG_SPACE = new RegExp(`( (?:${TAGS.join('|')})) $`, 'gm');

/** Deeper than any template needs; deeper nesting would overflow the stack of the code that walks it. */
export const MAX_YAML_DEPTH = 64;

/** Refuses anchors (CloudFormation takes none, and aliases can expand a few bytes into gigabytes) and deep nesting. */
function guard(): (event: yaml.EventType, state: yaml.State) => void {
  let depth = 0;
  return (event, state) => {
    depth += event === 'open' ? 1 : -1;
    const where = `at line ${state.line + 1}`;
    if (depth > MAX_YAML_DEPTH) throw new Error(`nested more than ${MAX_YAML_DEPTH} levels deep ${where}`);
    // The loader records each anchor as it reads it, before any alias can repeat it.
    if (Object.keys((state as yaml.State & { anchorMap: object }).anchorMap).length > 0) {
      throw new Error(`YAML anchor ${where}: CloudFormation takes no anchors (&name) or aliases (*name)`);
    }
  };
}

/** Parses CloudFormation YAML, short forms included, into its long-form JSON object. */
export function loadYaml(text: string): JsonObject {
  const loaded = yaml.load(text, { schema: CFN_SCHEMA, listener: guard() });
  if (!isJsonObject(loaded)) throw new Error('template must be a YAML mapping at the top level');
  return loaded as JsonObject;
}
