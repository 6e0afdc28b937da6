// What deploy needs to know about the template file before calling AWS: its parameters, its
// size against the inline limit, and the capabilities its resources require.
import { RESOURCE_TYPES } from '../cfn/types.js';
import { readInputText } from '../files.js';
import { propertiesOf, typeOf } from '../model/resource.js';
import type { TemplateModel, TemplateParameter } from '../model/template.js';
import { parseTemplate, TEMPLATE_LIMIT } from '../model/template.js';

/** The largest template CloudFormation takes in the request body; bigger ones go through S3. */
export const INLINE_TEMPLATE_LIMIT = 51_200;

/** A template file read for deployment. */
export interface TemplateFile {
  readonly path: string;
  readonly bytes: number;
  readonly model: TemplateModel;
  readonly parameters: Readonly<Record<string, TemplateParameter>>;
}

export async function readTemplateFile(path: string): Promise<TemplateFile> {
  const label = `--template-file ${path}`;
  const text = await readInputText(path, label, TEMPLATE_LIMIT);
  const model = parseTemplate(text, label);
  return { path, bytes: Buffer.byteLength(text), model, parameters: model.parameters() };
}

/** The capabilities CloudFormation demands for this template's resources. */
export function requiredCapabilities(template: TemplateModel): string[] {
  const iam = template.resources().filter(([, r]) => typeOf(r).startsWith('AWS::IAM::'));
  const named = iam.some(([, r]) => {
    const property = RESOURCE_TYPES[typeOf(r)]?.nameProperty;
    return property !== undefined && propertiesOf(r)[property] !== undefined;
  });
  const capabilities: string[] = [];
  // NAMED_IAM also acknowledges unnamed IAM resources, so one of the two is enough.
  if (named) capabilities.push('CAPABILITY_NAMED_IAM');
  else if (iam.length > 0) capabilities.push('CAPABILITY_IAM');
  if (template.body['Transform'] !== undefined) capabilities.push('CAPABILITY_AUTO_EXPAND');
  return capabilities;
}
