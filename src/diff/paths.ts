// Which property paths differ between two versions of a resource (or any JSON value).
import type { Json } from '../model/json.js';
import { isJsonObject } from '../model/json.js';

// An intrinsic (`{Ref: X}`, `{Fn::Sub: …}`) is one value to a reader: report the path holding it.
const isIntrinsic = (v: Json | undefined): boolean =>
  isJsonObject(v) && Object.keys(v).length === 1 && /^(Ref|Fn::|Condition$)/.test(Object.keys(v)[0] as string);

/** JSON text with every map's keys sorted: values that differ only in key order read the same, as CloudFormation reads them. */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    isJsonObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );

export const sameJson = (a: unknown, b: unknown): boolean => jsonText(a) === jsonText(b);

/** Paths (`Properties.Environment.Image`, `Tags[2]`) where `before` and `after` differ, in `after`'s key order. */
export function changedPaths(before: Json | undefined, after: Json | undefined, path = ''): string[] {
  if (sameJson(before, after)) return [];
  const join = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (isJsonObject(before) && isJsonObject(after) && !isIntrinsic(before) && !isIntrinsic(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !(k in after))];
    return keys.flatMap((k) => changedPaths(before[k], after[k], join(k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return after.flatMap((item, i) => changedPaths(before[i], item, `${path}[${i}]`));
  }
  return [path === '' ? '(whole value)' : path];
}
