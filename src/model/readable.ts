// Intrinsic functions as text a reviewer reads: `!Sub '${ArtifactBucket.Arn}/*'` becomes
// `arn:aws:s3:::cicd-artifacts-<suffix>-<account>-<region>/*`; what only deploy time knows stays `<Id.Attr>`.
import { RESOURCE_TYPES } from '../cfn/types.js';
import { Params } from '../naming.js';
import type { Json, JsonObject } from './json.js';
import { asMap, isJsonObject } from './json.js';
import { nameValue } from './names.js';
import { getAttReference, splitDotted } from './refs.js';
import type { Reference } from './refs.js';
import type { TemplateModel } from './template.js';

/** Placeholders for pseudo parameters, the way an ARN pattern is usually written. */
export const PSEUDO_PLACEHOLDERS: Readonly<Record<string, string>> = {
  'AWS::AccountId': '<account>',
  'AWS::Region': '<region>',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': '<stack>',
  'AWS::StackId': '<stack-id>',
  'AWS::NotificationARNs': '<notification-arns>',
  'AWS::NoValue': '(none)',
};

/** Parameters with a short placeholder; any other parameter reads `<Name>`. */
const PARAMETER_PLACEHOLDERS: Readonly<Record<string, string>> = { [Params.EnvironmentSuffix]: '<suffix>' };

// Names may reference other names; a cycle would be a broken template, this only stops runaway recursion.
const MAX_DEPTH = 8;

/** Reads intrinsics in the context of one template's resources. */
export class Readable {
  private readonly resources: JsonObject;

  constructor(template: TemplateModel) {
    this.resources = template.section('Resources');
  }

  /** `value` as readable text. */
  text(value: Json | undefined, depth = 0): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'object') return String(value);
    if (Array.isArray(value)) return value.map((v) => this.text(v, depth)).join(', ');
    const keys = Object.keys(value);
    const fn = keys.length === 1 ? (keys[0] as string) : undefined;
    const arg = fn === undefined ? undefined : value[fn];
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.reference({ target: arg }, depth) : JSON.stringify(value);
      case 'Fn::GetAtt': {
        const ref = getAttReference(arg);
        return ref ? this.reference(ref, depth) : JSON.stringify(value);
      }
      case 'Fn::Sub':
        return this.sub(arg, depth);
      case 'Fn::Join':
        return Array.isArray(arg) && Array.isArray(arg[1])
          ? arg[1].map((v) => this.text(v, depth)).join(String(arg[0]))
          : JSON.stringify(value);
      case 'Fn::If':
        return Array.isArray(arg)
          ? `${this.text(arg[1], depth)} if ${String(arg[0])}, else ${this.text(arg[2], depth)}`
          : JSON.stringify(value);
      default:
        return JSON.stringify(value);
    }
  }

  /** What a reference resolves to, as far as the template tells. */
  reference(ref: Reference, depth = 0): string {
    const pseudo = PSEUDO_PLACEHOLDERS[ref.target];
    if (pseudo !== undefined) return pseudo;
    const resource = this.resources[ref.target];
    const shown = `<${ref.target}${ref.attribute ? `.${ref.attribute}` : ''}>`;
    if (!isJsonObject(resource)) return PARAMETER_PLACEHOLDERS[ref.target] ?? shown;
    const form = RESOURCE_TYPES[String(resource['Type'])]?.returns?.[ref.attribute ?? 'Ref'];
    const name = nameValue(resource);
    if (form === undefined || name === undefined || depth >= MAX_DEPTH) return shown;
    return this.sub(form, depth)
      .split('{}')
      .join(this.text(name, depth + 1));
  }

  private sub(arg: Json | undefined, depth: number): string {
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (typeof text !== 'string') return JSON.stringify({ 'Fn::Sub': arg });
    const locals = asMap(vars);
    return text.replace(/\$\{([^}]+)\}/g, (_, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (name in locals) return this.text(locals[name], depth);
      return this.reference(splitDotted(name), depth);
    });
  }
}
