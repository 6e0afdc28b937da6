// A template as JSON: what every cloudform `toJSON()` yields and what a YAML or JSON file parses to.

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A JSON object (not an array, not null): the shape of a template section, resource or property map. */
export const isJsonObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A map field (a section, Properties, a Condition block) as an object: empty when absent or not a map. */
export const asMap = (value: Json | undefined): JsonObject => (isJsonObject(value) ? value : {});

/** A string-or-list field (Action, Resource, DependsOn) as a list. */
export const asList = (value: Json | undefined): Json[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
