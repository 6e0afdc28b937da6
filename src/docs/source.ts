// The templates docs are written from: every emitted template, as plain long-form JSON.
import { isJsonObject } from '../render/yaml.js';
import type { BuildConfig } from '../config.js';
import { DEFAULT_CONFIG } from '../config.js';
import type { JsonObject } from '../render/yaml.js';
import { normalize } from '../render/yaml.js';
import { EMITTED_TEMPLATES } from '../template.js';

/** One emitted template: its file name under templates/ and its body. */
export interface DocTemplate {
  readonly file: string;
  readonly body: JsonObject;
}

/** Every template `cfn-cicd build` writes, in its order. */
export function emittedTemplates(config: BuildConfig = DEFAULT_CONFIG): DocTemplate[] {
  return Object.entries(EMITTED_TEMPLATES).map(([file, build]) => ({ file, body: normalize(build(config)) }));
}

/** A template section as an object (empty when absent). */
export const section = (template: JsonObject, name: string): JsonObject => {
  const value = template[name];
  return isJsonObject(value) ? value : {};
};

/** The resources of a template, logical ID → resource, in template order. */
export const resourcesOf = (template: JsonObject): [string, JsonObject][] =>
  Object.entries(section(template, 'Resources')).filter((e): e is [string, JsonObject] => isJsonObject(e[1]));
