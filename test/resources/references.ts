// What a resource depends on, read from the template: the names its properties refer to, and the
// parameters behind it through other resources.
import type { Json } from '../../src/model/json.js';
import type { CfnResource, CfnTemplate } from '../helpers.js';
import { walk } from '../helpers.js';

/** Names a resource's properties refer to (Ref, GetAtt, ${X} in Sub, FindInMap's Ref). */
export function references(node: Json | undefined): Set<string> {
  const out = new Set<string>();
  for (const n of walk(node)) {
    if (n === null || typeof n !== 'object' || Array.isArray(n)) continue;
    if (typeof n['Ref'] === 'string') out.add(n['Ref']);
    const getAtt = n['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') out.add(getAtt[0]);
    const sub = n['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) out.add(m[1] as string);
  }
  return out;
}

/** Parameters a resource depends on, following references through other resources. */
export function parametersBehind(t: CfnTemplate, id: string, seen = new Set<string>()): Set<string> {
  const params = new Set<string>();
  if (seen.has(id)) return params;
  seen.add(id);
  const r = t.Resources[id] as CfnResource | undefined;
  if (r === undefined) {
    if (id in (t['Parameters'] as object)) params.add(id);
    return params;
  }
  for (const name of references(r.Properties as Json)) for (const p of parametersBehind(t, name, seen)) params.add(p);
  return params;
}
