// The "before" side of a diff: a template file, or the template a deployed stack was created from.
import { ToolError } from '../errors.js';
import { readInputText } from '../files.js';
import type { TemplateModel } from '../model/template.js';
import { parseTemplate, TEMPLATE_LIMIT, templateFromBody } from '../model/template.js';
import type { AwsConnection } from '../tools/aws.js';
import { awsJson } from '../tools/aws.js';

/** Reads a YAML or JSON template file, no bigger than CloudFormation takes. */
export async function templateFromFile(path: string): Promise<TemplateModel> {
  const label = `--against ${path}`;
  return parseTemplate(await readInputText(path, label, TEMPLATE_LIMIT), label);
}

/** The template a stack was created or last updated with, as submitted (`--template-stage Original`). */
export async function templateFromStack(stackName: string, connection: AwsConnection): Promise<TemplateModel> {
  let answer: { TemplateBody?: unknown };
  try {
    answer = await awsJson<{ TemplateBody?: unknown }>(
      ['cloudformation', 'get-template', '--stack-name', stackName, '--template-stage', 'Original'],
      connection,
      { firstContact: true },
    );
  } catch (error) {
    throw error instanceof ToolError ? new ToolError(`--stack ${stackName}: ${error.message}`) : error;
  }
  return templateFromBody(answer.TemplateBody, `--stack ${stackName}`);
}
