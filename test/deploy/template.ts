// The template deploy tests read: the committed file under templates/, as `cfn-cicd deploy` reads it.
import type { TemplateParameter } from '../../src/model/template.js';
import { committedPath, committedTemplate } from '../helpers.js';
import { valuesOf } from '../fixtures/parameter-values.js';

export const TEMPLATE_PATH = committedPath();

/** The parameters of a committed pipeline template: the default (ECS engine), or another under templates/. */
export const pipelineParameters = (file?: string): Record<string, TemplateParameter> =>
  committedTemplate(file).Parameters as Record<string, TemplateParameter>;

/** Both engines' committed pipeline templates, and the promoting pipeline's two. */
export const PIPELINE_FILES = [
  'cicd-pipeline.yaml',
  'codedeploy/cicd-pipeline.yaml',
  'environments/cicd-pipeline.yaml',
  'environments/cicd-environment.yaml',
  'own-vpc/cicd-pipeline.yaml',
] as const;

/**
 * Every parameter without a Default, and the GitHub token secret (the template's rule requires it
 * without a CodeConnections connection), set to its first good value, with the given ones on top.
 */
export function requiredValues(
  parameters: Readonly<Record<string, TemplateParameter>>,
  given: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const required = Object.entries(parameters).filter(
    ([name, p]) => p.Default === undefined || name === 'GitHubTokenSecretArn',
  );
  return {
    ...Object.fromEntries(required.map(([name]) => [name, valuesOf(name).good[0] as string])),
    ...given,
  };
}
