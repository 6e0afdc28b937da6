// The template deploy tests read: the committed file under templates/, as `cfn-cicd deploy` reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateParameter } from '../../src/deploy/preflight.js';
import { templateParameters } from '../../src/deploy/preflight.js';
import type { JsonObject } from '../../src/render/yaml.js';
import { loadYaml } from '../../src/render/yaml.js';
import { PIPELINE_TEMPLATE_FILE } from '../../src/naming.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { valuesOf } from '../fixtures/parameter-values.js';

export const TEMPLATE_PATH = join(PACKAGE_ROOT, 'templates', PIPELINE_TEMPLATE_FILE);

export const pipelineTemplateFile = (): JsonObject => loadYaml(readFileSync(TEMPLATE_PATH, 'utf8'));

export const pipelineParameters = (): Record<string, TemplateParameter> => templateParameters(pipelineTemplateFile());

/** Every parameter without a Default, set to its first good value, with the given ones on top. */
export function requiredValues(
  parameters: Readonly<Record<string, TemplateParameter>>,
  given: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const required = Object.entries(parameters).filter(([, p]) => p.Default === undefined);
  return {
    ...Object.fromEntries(required.map(([name]) => [name, valuesOf(name).good[0] as string])),
    ...given,
  };
}
