// Where a template points at its own logical IDs: !Ref X, !GetAtt X.Attr and ${X} / ${X.Attr} in !Sub.
import type { Json } from './json.js';
import { asMap, isJsonObject } from './json.js';

/** One reference to a logical ID (resource, parameter or pseudo parameter). */
export interface Reference {
  readonly target: string;
  /** The attribute of a !GetAtt or ${X.Attr}. @default - a plain reference (!Ref, ${X}) */
  readonly attribute?: string;
}

// ${!Literal} is CloudFormation's escape for a literal "${", not a reference.
const SUB_VARIABLE = /\$\{(?!!)([^}]+)\}/g;

/** `X` or `X.Attr` split into a reference: the one reader of CloudFormation's dotted form. */
export function splitDotted(text: string): Reference {
  const dot = text.indexOf('.');
  return dot < 0 ? { target: text } : { target: text.slice(0, dot), attribute: text.slice(dot + 1) };
}

/** The `Fn::GetAtt` payload (`[X, Attr]` or `"X.Attr"`) as a reference. */
export function getAttReference(payload: Json | undefined): Reference | undefined {
  if (typeof payload === 'string') return splitDotted(payload);
  if (Array.isArray(payload) && typeof payload[0] === 'string' && typeof payload[1] === 'string') {
    return { target: payload[0], attribute: payload[1] };
  }
  return undefined;
}

/** The variables a !Sub text names, minus those its own variable map defines. */
export function subVariables(text: string, locals: Readonly<Record<string, Json>> = {}): Reference[] {
  return [...text.matchAll(SUB_VARIABLE)]
    .map((m) => (m[1] as string).trim())
    .filter((name) => !(name in locals))
    .map(splitDotted);
}

/** Every reference anywhere under `node`, depth first, in document order. */
export function referencesIn(node: Json | undefined): Reference[] {
  const found: Reference[] = [];
  const visit = (n: Json | undefined): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!isJsonObject(n)) return;
    const keys = Object.keys(n);
    if (keys.length === 1) {
      const value = n[keys[0] as string];
      if (keys[0] === 'Ref' && typeof value === 'string') return void found.push({ target: value });
      if (keys[0] === 'Fn::GetAtt') {
        const ref = getAttReference(value);
        if (ref) return void found.push(ref);
      }
      if (keys[0] === 'Fn::Sub') {
        if (typeof value === 'string') return void found.push(...subVariables(value));
        if (Array.isArray(value) && typeof value[0] === 'string') {
          const locals = asMap(value[1]);
          found.push(...subVariables(value[0], locals));
          return visit(Object.values(locals));
        }
      }
    }
    Object.values(n).forEach(visit);
  };
  visit(node);
  return found;
}
