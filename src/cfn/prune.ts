// A template composed from shared parameter groups keeps only what its resources and outputs use:
// the parameters, conditions and mappings they reach, the rules whose parameters all remain, and the
// console groups of what is left. One template's builders can then serve two templates.
import type { Json } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import { referencesIn } from '../model/refs.js';
import type { ParameterGroup } from '../parameters/spec.js';

/** The names a template's resources and outputs reach, through its conditions. */
export interface Used {
  readonly parameters: ReadonlySet<string>;
  readonly conditions: ReadonlySet<string>;
  readonly mappings: ReadonlySet<string>;
}

/** Condition names a node names: resource/output `Condition`, `Fn::If`'s first item, `{Condition: X}`. */
function conditionsIn(node: Json | undefined, found: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => conditionsIn(n, found));
  if (!isJsonObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Condition' && typeof value === 'string') found.add(value);
    else if (key === 'Fn::If' && Array.isArray(value) && typeof value[0] === 'string') found.add(value[0]);
    conditionsIn(value, found);
  }
}

/** Mapping names a node reads with `Fn::FindInMap`. */
function mappingsIn(node: Json | undefined, found: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n) => mappingsIn(n, found));
  if (!isJsonObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Fn::FindInMap' && Array.isArray(value) && typeof value[0] === 'string') found.add(value[0]);
    mappingsIn(value, found);
  }
}

/** What `resources` and `outputs` reach, following each condition they name to what it reads. */
export function usedBy(resources: unknown, outputs: unknown, conditions: Readonly<Record<string, unknown>>): Used {
  const roots = JSON.parse(JSON.stringify([resources, outputs ?? {}])) as Json;
  const definitions = JSON.parse(JSON.stringify(conditions)) as Record<string, Json>;
  const parameters = new Set(referencesIn(roots).map((r) => r.target));
  const mappings = new Set<string>();
  mappingsIn(roots, mappings);
  const used = new Set<string>();
  conditionsIn(roots, used);
  const pending = [...used];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const definition = definitions[name];
    for (const r of referencesIn(definition)) parameters.add(r.target);
    mappingsIn(definition, mappings);
    const nested = new Set<string>();
    conditionsIn(definition, nested);
    for (const n of nested) {
      if (used.has(n)) continue;
      used.add(n);
      pending.push(n);
    }
  }
  return { parameters, conditions: used, mappings };
}

/** The groups with only the used parameters; a group left empty is dropped. */
export const usedGroups = (groups: readonly ParameterGroup[], used: Used): ParameterGroup[] =>
  groups
    .map((g) => ({ ...g, parameters: g.parameters.filter((p) => used.parameters.has(p.name)) }))
    .filter((g) => g.parameters.length > 0);

/** The entries of `section` whose names are in `names`, in their order. */
export const usedEntries = <T>(section: Readonly<Record<string, T>>, names: ReadonlySet<string>): Record<string, T> =>
  Object.fromEntries(Object.entries(section).filter(([name]) => names.has(name)));

/** The rules whose every parameter is still in the template. */
export function usedRules(rules: Readonly<Record<string, unknown>>, used: Used): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(rules).filter(([, rule]) =>
      referencesIn(JSON.parse(JSON.stringify(rule)) as Json).every(
        (r) => used.parameters.has(r.target) || r.target.startsWith('AWS::'),
      ),
    ),
  );
}
