// The templates docs are written from: every emitted template, as the model reads it.
import type { BuildConfig } from '../config.js';
import { DEFAULT_CONFIG } from '../config.js';
import { TemplateModel } from '../model/template.js';
import { templatesFor } from '../template.js';

/** One emitted template: its file name under templates/ and its model. */
export interface DocTemplate {
  readonly file: string;
  readonly model: TemplateModel;
}

/** Every template `cfn-cicd build` writes, in its order. */
export function emittedTemplates(config: BuildConfig = DEFAULT_CONFIG): DocTemplate[] {
  return Object.entries(templatesFor(config)).map(([file, build]) => ({ file, model: TemplateModel.of(build()) }));
}
