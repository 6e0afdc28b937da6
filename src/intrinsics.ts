// Typed helpers over CloudFormation intrinsic functions. They build cloudform's
// IntrinsicFunction so the renderer and cloudform's own classes agree on one shape.
import type { IntrinsicFunction, List, Value } from 'cloudform-types/types/dataTypes.js';
import { IntrinsicFunction as Intrinsic } from './cfn/resources.js';

export type { IntrinsicFunction, List, Value };

/** Something with a logical ID: a resource, parameter or condition the template declares. */
export interface Named {
  readonly id: string;
}

function fn(name: string, payload: unknown): IntrinsicFunction {
  return new Intrinsic(name, payload);
}

const idOf = (target: Named | string): string => (typeof target === 'string' ? target : target.id);

/** `!Ref` to a resource, parameter or pseudo parameter (`AWS::Region` …). */
export const ref = (target: Named | string): IntrinsicFunction => fn('Ref', idOf(target));

/** `!GetAtt Name.Attr`. */
export const getAtt = (target: Named | string, attribute: string): IntrinsicFunction =>
  fn('Fn::GetAtt', [idOf(target), attribute]);

/** `!Sub 'text'`, or `!Sub [text, vars]` when variables are given. */
export function sub(text: string, vars?: Record<string, Value<unknown>>): IntrinsicFunction {
  return vars && Object.keys(vars).length > 0 ? fn('Fn::Sub', [text, vars]) : fn('Fn::Sub', text);
}

export const join = (delimiter: string, values: List<Value<string>>): IntrinsicFunction =>
  fn('Fn::Join', [delimiter, values]);
export const select = (index: number, list: List<unknown> | IntrinsicFunction): IntrinsicFunction =>
  fn('Fn::Select', [index, list]);
export const split = (delimiter: string, source: Value<string>): IntrinsicFunction =>
  fn('Fn::Split', [delimiter, source]);
export const getAZs = (region: Value<string> = ''): IntrinsicFunction => fn('Fn::GetAZs', region);
export const cidr = (block: Value<string>, count: number, cidrBits: number): IntrinsicFunction =>
  fn('Fn::Cidr', [block, count, cidrBits]);
export const base64 = (value: Value<string>): IntrinsicFunction => fn('Fn::Base64', value);
export const importValue = (name: Value<string>): IntrinsicFunction => fn('Fn::ImportValue', name);
export const findInMap = (map: string, top: Value<string>, second: Value<string>): IntrinsicFunction =>
  fn('Fn::FindInMap', [map, top, second]);

/** `!If [condition, whenTrue, whenFalse]`. */
export const ifCondition = (condition: Named | string, whenTrue: unknown, whenFalse: unknown): IntrinsicFunction =>
  fn('Fn::If', [idOf(condition), whenTrue, whenFalse]);
export const equals = (left: unknown, right: unknown): IntrinsicFunction => fn('Fn::Equals', [left, right]);
export const not = (condition: unknown): IntrinsicFunction => fn('Fn::Not', [condition]);
export const and = (...conditions: unknown[]): IntrinsicFunction => fn('Fn::And', conditions);
export const or = (...conditions: unknown[]): IntrinsicFunction => fn('Fn::Or', conditions);
/** `!Condition Name`, the reference form used inside !And, !Or and !Not. */
export const condition = (target: Named | string): { Condition: string } => ({ Condition: idOf(target) });

/** `AWS::NoValue`: removes the property where it stands. */
export const noValue = (): IntrinsicFunction => ref('AWS::NoValue');

/** Services whose ARNs name no region (IAM) or neither region nor account (S3). */
const ARN_SCOPES: Readonly<Record<string, 'account' | 'global'>> = { iam: 'account', chatbot: 'account', s3: 'global' };

/**
 * The `!Sub` text of an ARN in this stack's partition, region and account:
 * `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>`, or in the account
 * and/or Region `at` names (a promoting pipeline's targets). IAM ARNs carry no region and S3 ARNs
 * neither region nor account, as the Service Authorization Reference writes them.
 */
export function arnText(
  service: string,
  resource: string,
  at: { readonly account?: string; readonly region?: string } = {},
): string {
  const scope = ARN_SCOPES[service];
  const region = scope === undefined ? (at.region ?? '${AWS::Region}') : '';
  const account = scope === 'global' ? '' : (at.account ?? '${AWS::AccountId}');
  return `arn:\${AWS::Partition}:${service}:${region}:${account}:${resource}`;
}

/** An ARN in this stack's partition, region and account, as a `!Sub`; `resource` may name `${X}` variables. */
export const arn = (service: string, resource: string, vars?: Record<string, Value<unknown>>): IntrinsicFunction =>
  sub(arnText(service, resource), vars);

export const AWS = {
  accountId: '${AWS::AccountId}',
  region: '${AWS::Region}',
  partition: '${AWS::Partition}',
  urlSuffix: '${AWS::URLSuffix}',
  stackName: '${AWS::StackName}',
} as const;

/** JSON text for a `!Sub`, with each intrinsic in `value` turned into a `${…}` placeholder. */
export interface SubJson {
  readonly text: string;
  readonly vars: Record<string, Value<unknown>>;
}

/**
 * Writes a long-form JSON value (after toJSON) as indented JSON text for a `!Sub`: `Ref` and
 * `GetAtt` become `${Name}` / `${Name.Attr}`, a plain `Sub` is inlined, and any other
 * intrinsic becomes a named variable. Refs in `numeric` are written unquoted (JSON numbers).
 */
export function subJson(value: unknown, numeric: ReadonlySet<string> = new Set()): SubJson {
  const vars: Record<string, Value<unknown>> = {};
  const tokens = new Map<string, string>();
  const token = (placeholder: string, quoted: boolean): string => {
    const t = `@@${tokens.size}@@`;
    tokens.set(t, quoted ? placeholder : `@@UNQUOTE@@${placeholder}`);
    return t;
  };
  const visit = (node: unknown, key: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n, key));
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [only, arg] = entries.length === 1 ? (entries[0] as [string, unknown]) : ['', undefined];
    if (only === 'Ref' && typeof arg === 'string') return token(`\${${arg}}`, !numeric.has(arg));
    if (only === 'Fn::GetAtt' && Array.isArray(arg)) return token(`\${${arg.join('.')}}`, true);
    if (only === 'Fn::Sub' && typeof arg === 'string') return token(arg, true);
    if (only.startsWith('Fn::')) {
      const name = key.charAt(0).toUpperCase() + key.slice(1);
      vars[name] = node as Value<unknown>;
      return token(`\${${name}}`, true);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, visit(v, k)]));
  };
  let text = JSON.stringify(visit(value, 'Value'), null, 2);
  for (const [t, placeholder] of tokens) {
    text = placeholder.startsWith('@@UNQUOTE@@')
      ? text.replace(`"${t}"`, placeholder.slice('@@UNQUOTE@@'.length))
      : text.replace(t, placeholder);
  }
  return { text, vars };
}
