// One resource of a template as JSON: its type and properties, read the same way everywhere.
import type { Json, JsonObject } from './json.js';
import { asMap, isJsonObject } from './json.js';

/** The resource's Properties (empty when it has none). */
export const propertiesOf = (resource: JsonObject): JsonObject => asMap(resource['Properties']);

/** The resource's Type as text. */
export const typeOf = (resource: JsonObject | undefined): string => String(resource?.['Type']);

/** A name as written: plain text or the text of a plain `!Sub`. */
export const nameText = (value: Json | undefined): string | undefined =>
  typeof value === 'string'
    ? value
    : isJsonObject(value) && typeof value['Fn::Sub'] === 'string'
      ? value['Fn::Sub']
      : undefined;
