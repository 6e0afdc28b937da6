// What the docs tests compare against: every emitted template as its YAML file holds it, and the
// references in it, found here independently of src/docs.
import type { Json, JsonObject } from '../../src/model/json.js';
import { TemplateModel } from '../../src/model/template.js';
import type { ShippedVariant } from '../helpers.js';
import { emittedTemplates, SHIPPED_VARIANTS } from '../helpers.js';

export interface Emitted {
  readonly file: string;
  readonly body: JsonObject;
  readonly model: TemplateModel;
  readonly resources: Record<string, JsonObject & { Type: string; Properties?: JsonObject }>;
}

export const emitted = (): Emitted[] =>
  emittedTemplates([SHIPPED_VARIANTS[0] as ShippedVariant]).map(({ file, template }) => {
    const body = template as unknown as JsonObject;
    return { file, body, model: new TemplateModel(body), resources: template.Resources as Emitted['resources'] };
  });

/** Logical IDs `node` names through Ref, GetAtt and ${X} / ${X.Attr} in Sub (minus Sub's own variables). */
export function referencedIds(node: Json | undefined): string[] {
  const ids: string[] = [];
  const visit = (n: Json | undefined, locals: readonly string[] = []): void => {
    if (Array.isArray(n)) return n.forEach((x) => visit(x, locals));
    if (n === null || typeof n !== 'object') return;
    if (typeof n['Ref'] === 'string') ids.push(n['Ref']);
    const getAtt = n['Fn::GetAtt'];
    if (Array.isArray(getAtt)) ids.push(String(getAtt[0]));
    const sub = n['Fn::Sub'];
    const [text, vars] = Array.isArray(sub) ? [sub[0], sub[1]] : [sub, undefined];
    if (typeof text === 'string') {
      const own = vars && typeof vars === 'object' && !Array.isArray(vars) ? Object.keys(vars) : [];
      for (const m of text.matchAll(/\$\{([^}]+)\}/g)) {
        const name = (m[1] as string).split('.')[0] as string;
        if (!name.startsWith('!') && !own.includes(name)) ids.push(name);
      }
      if (vars) visit(vars);
      return;
    }
    Object.values(n).forEach((x) => visit(x, locals));
  };
  visit(node);
  return ids;
}
