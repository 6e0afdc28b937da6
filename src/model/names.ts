// Physical names: which property names a resource (its row in cfn/types.ts), and the name as the
// template writes it. A type without a row has no known name property.
import { RESOURCE_TYPES } from '../cfn/types.js';
import type { Json, JsonObject } from './json.js';
import { nameText, propertiesOf, typeOf } from './resource.js';

/** The property value that names `resource`, or undefined when AWS generates its name. */
export function nameValue(resource: JsonObject): Json | undefined {
  const property = RESOURCE_TYPES[typeOf(resource)]?.nameProperty;
  return property === undefined ? undefined : propertiesOf(resource)[property];
}

/** A resource's physical name as the template writes it (plain or `!Sub` text), or undefined when AWS generates it. */
export const namePattern = (resource: JsonObject): string | undefined => nameText(nameValue(resource));
