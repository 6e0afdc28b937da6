// The "before" side of a diff: a template file, or the template a deployed stack was created from.
import { readFile } from 'node:fs/promises';
import { InputError, ToolError } from '../errors.js';
import type { TemplateModel } from '../model/template.js';
import { parseTemplate, templateFromBody } from '../model/template.js';
import type { AwsConnection } from '../tools/aws.js';
import { awsJson } from '../tools/aws.js';

/** Reads a YAML or JSON template file. */
export async function templateFromFile(path: string): Promise<TemplateModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`--against ${path}: cannot read (${String((error as NodeJS.ErrnoException).code)})`);
  }
  return parseTemplate(text, `--against ${path}`);
}

/** The template a stack was created or last updated with, as submitted (`--template-stage Original`). */
export async function templateFromStack(stackName: string, connection: AwsConnection): Promise<TemplateModel> {
  let answer: { TemplateBody?: unknown };
  try {
    answer = await awsJson<{ TemplateBody?: unknown }>(
      ['cloudformation', 'get-template', '--stack-name', stackName, '--template-stage', 'Original'],
      connection,
    );
  } catch (error) {
    throw error instanceof ToolError ? new ToolError(`--stack ${stackName}: ${error.message}`) : error;
  }
  return templateFromBody(answer.TemplateBody, `--stack ${stackName}`);
}
