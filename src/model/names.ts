// Physical names: which property names a resource (its row in cfn/types.ts), and the name as the
// template writes it. A type without a row (a user's own template) falls back to a `…Name`
// property, then to a `Name` tag.
import { RESOURCE_TYPES } from '../cfn/types.js';
import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';
import { shortForm } from './refs.js';
import { propertiesOf } from './resource.js';

const isNameValue = (v: Json | undefined): boolean =>
  typeof v === 'string' || (isJsonObject(v) && Object.keys(v).length === 1 && 'Fn::Sub' in v);

/** The property value that names `resource`, or undefined when AWS generates its name. */
export function nameValue(resource: JsonObject): Json | undefined {
  const properties = propertiesOf(resource);
  const row = RESOURCE_TYPES[String(resource['Type'])];
  if (row !== undefined) return row.nameProperty === undefined ? undefined : properties[row.nameProperty];
  const byKey = Object.keys(properties).find((k) => k.endsWith('Name') && isNameValue(properties[k]));
  if (byKey !== undefined) return properties[byKey];
  const tags = properties['Tags'];
  const tag = Array.isArray(tags) ? tags.find((t) => isJsonObject(t) && t['Key'] === 'Name') : undefined;
  return isJsonObject(tag) && isNameValue(tag['Value']) ? tag['Value'] : undefined;
}

/** A resource's physical name as the template writes it (the `!Sub` text), or undefined when AWS generates it. */
export function namePattern(resource: JsonObject): string | undefined {
  const value = nameValue(resource);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (isJsonObject(value) && typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'];
  return shortForm(value);
}
