// Security-relevant differences between two templates: every policy statement (role trust and
// inline policies, key, bucket and topic policies …), managed policy ARNs, and security group rules.
import type { Json, JsonObject } from '../model/json.js';
import { asList, isJsonObject } from '../model/json.js';
import type { PolicyDocumentAt, PolicyStatement } from '../model/policies.js';
import { conditionEntries, onlyIfText, policyDocumentsOf } from '../model/policies.js';
import { Readable } from '../model/readable.js';
import { propertiesOf, typeOf } from '../model/resource.js';
import type { TemplateModel } from '../model/template.js';
import { jsonText, sameJson } from './paths.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One statement, rule or attachment that differs, with what differs inside it. */
export interface SecurityChange {
  readonly resourceId: string;
  readonly type: string;
  /** Where in the resource: `policy least-privilege`, `trust policy`, `key policy`, `ingress` … */
  readonly where: string;
  /** Which item: `statement ArtifactsWrite`, `rule tcp 443 from 0.0.0.0/0`, `managed policy arn:…`. */
  readonly subject: string;
  readonly change: ChangeKind;
  /** Action-level and field-level differences: `+ s3:DeleteObject`, `- on arn:…`, `Condition: … → …`. */
  readonly details: readonly string[];
}

// Fields besides Action and Resource whose change alters what a statement allows.
const STATEMENT_FIELDS = ['Effect', 'Principal', 'NotPrincipal', 'Condition'] as const;

const without = (object: JsonObject, keys: readonly string[]): JsonObject =>
  Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));

/** Statements keyed by Sid, else by everything but their actions, so an added action reads as a change. */
function keyedStatements(statements: readonly PolicyStatement[]): Map<string, PolicyStatement> {
  const keyed = new Map<string, PolicyStatement>();
  for (const s of statements) {
    const scope = jsonText(without(s.body, ['Action', 'NotAction']));
    const base = typeof s.body['Sid'] === 'string' ? `sid:${s.body['Sid']}` : `scope:${scope}`;
    let key = base;
    for (let n = 2; keyed.has(key); n++) key = `${base}#${n}`;
    keyed.set(key, s);
  }
  return keyed;
}

const listDiff = (before: readonly string[], after: readonly string[], prefix = ''): string[] => [
  ...after.filter((x) => !before.includes(x)).map((x) => `+ ${prefix}${x}`),
  ...before.filter((x) => !after.includes(x)).map((x) => `- ${prefix}${x}`),
];

const strings = (value: Json | undefined, readable: Readable): string[] => asList(value).map((v) => readable.text(v));

/** `key Operator value` per condition entry, in readable ARNs. */
const conditionText = (condition: Json | undefined, readable: Readable): string =>
  conditionEntries(condition)
    .map(({ key, operator, values }) => `${key} ${operator} ${values.map((v) => readable.text(v)).join(' or ')}`)
    .join(' and ');

/** `{Service: x}` as `Service x`. */
function principalText(principal: Json | undefined, readable: Readable): string {
  if (!isJsonObject(principal)) return readable.text(principal);
  return Object.entries(principal)
    .map(([kind, ids]) => `${kind} ${strings(ids, readable).join(', ')}`)
    .join('; ');
}

/** `(always)`, or the template conditions under which a statement exists. */
const existsText = (s: PolicyStatement): string => onlyIfText(s.onlyIf) || '(always)';

function statementLabel(statement: PolicyStatement, readable: Readable): string {
  const s = statement.body;
  const when = statement.onlyIf.length > 0 ? ` (only if ${onlyIfText(statement.onlyIf)})` : '';
  if (typeof s['Sid'] === 'string') return `statement ${s['Sid']}${when}`;
  const by = s['Principal'] !== undefined ? ` ${principalText(s['Principal'], readable)}` : '';
  const on = strings(s['Resource'] ?? s['NotResource'], readable).join(', ');
  return `statement (${String(s['Effect'])}${by}${on ? ` on ${on}` : ''})${when}`;
}

/** Every action and resource of a statement, as `+`/`-` lines. */
function wholeStatement(s: JsonObject, readable: Readable, sign: '+' | '-'): string[] {
  const empty: string[] = [];
  const diff = (v: string[], prefix = '') => (sign === '+' ? listDiff(empty, v, prefix) : listDiff(v, empty, prefix));
  return [
    ...diff(strings(s['Action'] ?? s['NotAction'], readable), s['NotAction'] ? 'all except ' : ''),
    ...diff(strings(s['Resource'] ?? s['NotResource'], readable), s['NotResource'] ? 'on all except ' : 'on '),
    ...(s['Condition'] !== undefined ? [`${sign} when ${conditionText(s['Condition'], readable)}`] : []),
  ];
}

function statementDetails(was: PolicyStatement, is: PolicyStatement, old: Readable, now: Readable): string[] {
  const [before, after] = [was.body, is.body];
  const details = [
    ...listDiff(strings(before['Action'], old), strings(after['Action'], now)),
    ...listDiff(strings(before['NotAction'], old), strings(after['NotAction'], now), 'all except '),
    ...listDiff(strings(before['Resource'], old), strings(after['Resource'], now), 'on '),
    ...listDiff(strings(before['NotResource'], old), strings(after['NotResource'], now), 'on all except '),
  ];
  for (const field of STATEMENT_FIELDS) {
    if (sameJson(before[field], after[field])) continue;
    const text = (value: Json | undefined, r: Readable) =>
      value === undefined ? '(none)' : field === 'Condition' ? conditionText(value, r) : principalText(value, r);
    details.push(`${field}: ${text(before[field], old)} → ${text(after[field], now)}`);
  }
  if (!sameJson(was.onlyIf, is.onlyIf)) details.push(`Exists: ${existsText(was)} → ${existsText(is)}`);
  return details;
}

function documentChanges(
  before: PolicyDocumentAt | undefined,
  after: PolicyDocumentAt | undefined,
  old: Readable,
  now: Readable,
): SecurityChange[] {
  const doc = (after ?? before) as PolicyDocumentAt;
  const was = keyedStatements(before?.statements ?? []);
  const is = keyedStatements(after?.statements ?? []);
  const base = { resourceId: doc.resourceId, type: doc.type, where: doc.label };
  const changes: SecurityChange[] = [];
  for (const [key, s] of is) {
    const previous = was.get(key);
    if (previous === undefined) {
      changes.push({
        ...base,
        subject: statementLabel(s, now),
        change: 'added',
        details: wholeStatement(s.body, now, '+'),
      });
    } else {
      // Only what changes a grant counts: actions or resources in another order are the same statement.
      const details = statementDetails(previous, s, old, now);
      if (details.length > 0) changes.push({ ...base, subject: statementLabel(s, now), change: 'changed', details });
    }
  }
  for (const [key, s] of was) {
    if (!is.has(key)) {
      changes.push({
        ...base,
        subject: statementLabel(s, old),
        change: 'removed',
        details: wholeStatement(s.body, old, '-'),
      });
    }
  }
  return changes;
}

const SECURITY_GROUP_RULES: Readonly<Record<string, string>> = {
  SecurityGroupIngress: 'ingress',
  SecurityGroupEgress: 'egress',
};

/** A rule as a reader says it: `tcp 443-443 from 0.0.0.0/0`. */
function ruleText(rule: JsonObject, direction: string, readable: Readable): string {
  const peer =
    rule['CidrIp'] ??
    rule['CidrIpv6'] ??
    rule['SourceSecurityGroupId'] ??
    rule['DestinationSecurityGroupId'] ??
    rule['SourcePrefixListId'] ??
    rule['DestinationPrefixListId'];
  const protocol = String(readable.text(rule['IpProtocol']));
  const ports =
    rule['FromPort'] === undefined ? '' : ` ${readable.text(rule['FromPort'])}-${readable.text(rule['ToPort'])}`;
  return `${protocol === '-1' ? 'all traffic' : protocol}${ports} ${direction === 'ingress' ? 'from' : 'to'} ${readable.text(peer)}`;
}

/** Security group rules of a resource, keyed by everything but the description. */
function rulesOf(resource: JsonObject): Map<string, { where: string; rule: JsonObject }> {
  const type = typeOf(resource);
  const properties = propertiesOf(resource);
  const rules = new Map<string, { where: string; rule: JsonObject }>();
  const add = (where: string, rule: JsonObject) => {
    rules.set(`${where}:${jsonText(without(rule, ['Description']))}`, { where, rule });
  };
  if (type === 'AWS::EC2::SecurityGroup') {
    for (const [property, where] of Object.entries(SECURITY_GROUP_RULES)) {
      for (const rule of asList(properties[property]).filter(isJsonObject)) add(where, rule);
    }
  }
  const standalone = SECURITY_GROUP_RULES[type.replace('AWS::EC2::', '')];
  if (standalone !== undefined && type !== 'AWS::EC2::SecurityGroup') add(standalone, properties);
  return rules;
}

function ruleChanges(
  id: string,
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  old: Readable,
  now: Readable,
): SecurityChange[] {
  const was = before ? rulesOf(before) : new Map<string, { where: string; rule: JsonObject }>();
  const is = after ? rulesOf(after) : new Map<string, { where: string; rule: JsonObject }>();
  const type = typeOf(after ?? before);
  const changes: SecurityChange[] = [];
  for (const [key, { where, rule }] of is) {
    const previous = was.get(key);
    const subject = `rule ${ruleText(rule, where, now)}`;
    if (previous === undefined) changes.push({ resourceId: id, type, where, subject, change: 'added', details: [] });
    else if (!sameJson(previous.rule, rule)) {
      const details = [
        `Description: ${JSON.stringify(previous.rule['Description'] ?? null)} → ${JSON.stringify(rule['Description'] ?? null)}`,
      ];
      changes.push({ resourceId: id, type, where, subject, change: 'changed', details });
    }
  }
  for (const [key, { where, rule }] of was) {
    if (!is.has(key)) {
      changes.push({
        resourceId: id,
        type,
        where,
        subject: `rule ${ruleText(rule, where, old)}`,
        change: 'removed',
        details: [],
      });
    }
  }
  return changes;
}

/** Managed policy ARNs and permissions boundary of a role. */
function attachmentChanges(
  id: string,
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  old: Readable,
  now: Readable,
): SecurityChange[] {
  const type = typeOf(after ?? before);
  if (type !== 'AWS::IAM::Role') return [];
  const props = (r: JsonObject | undefined): JsonObject => (r ? propertiesOf(r) : {});
  const changes: SecurityChange[] = [];
  const was = strings(props(before)['ManagedPolicyArns'], old);
  const is = strings(props(after)['ManagedPolicyArns'], now);
  for (const line of listDiff(was, is)) {
    changes.push({
      resourceId: id,
      type,
      where: 'managed policies',
      subject: `managed policy ${line.slice(2)}`,
      change: line.startsWith('+') ? 'added' : 'removed',
      details: [],
    });
  }
  if (!sameJson(props(before)['PermissionsBoundary'], props(after)['PermissionsBoundary'])) {
    changes.push({
      resourceId: id,
      type,
      where: 'permissions boundary',
      subject: 'permissions boundary',
      change: 'changed',
      details: [
        `${old.text(props(before)['PermissionsBoundary']) || '(none)'} → ${now.text(props(after)['PermissionsBoundary']) || '(none)'}`,
      ],
    });
  }
  return changes;
}

/** Every security-relevant change from `before` to `after`, resource by resource in `after`'s order. */
export function securityChanges(before: TemplateModel, after: TemplateModel): SecurityChange[] {
  const old = new Readable(before);
  const now = new Readable(after);
  const was = new Map(before.resources());
  const is = new Map(after.resources());
  const ids = [...is.keys(), ...[...was.keys()].filter((id) => !is.has(id))];
  return ids.flatMap((id) => {
    const b = was.get(id);
    const a = is.get(id);
    const docsBefore = b ? policyDocumentsOf(id, b) : [];
    const docsAfter = a ? policyDocumentsOf(id, a) : [];
    const labels = [...new Set([...docsAfter, ...docsBefore].map((d) => d.label))];
    return [
      ...labels.flatMap((label) =>
        documentChanges(
          docsBefore.find((d) => d.label === label),
          docsAfter.find((d) => d.label === label),
          old,
          now,
        ),
      ),
      ...attachmentChanges(id, b, a, old, now),
      ...ruleChanges(id, b, a, old, now),
    ];
  });
}
