// What deploy needs to know about the template file before calling AWS: its parameters, its
// size against the inline limit, and the capabilities its resources require.
import { readFile } from 'node:fs/promises';
import type { JsonObject } from '../render/yaml.js';
import { loadYaml } from '../render/yaml.js';
import { DeployInputError } from './inputs.js';
import type { TemplateParameter } from './preflight.js';
import { templateParameters } from './preflight.js';

/** The largest template CloudFormation takes in the request body; bigger ones go through S3. */
export const INLINE_TEMPLATE_LIMIT = 51_200;

/** A template file read for deployment. */
export interface TemplateFile {
  readonly path: string;
  readonly bytes: number;
  readonly template: JsonObject;
  readonly parameters: Readonly<Record<string, TemplateParameter>>;
}

export async function readTemplateFile(path: string): Promise<TemplateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DeployInputError(
      `--template-file ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let template: JsonObject;
  try {
    template = loadYaml(text);
  } catch (error) {
    throw new DeployInputError(`--template-file ${path}: not a CloudFormation template (${(error as Error).message})`);
  }
  if (template['Resources'] === undefined) {
    throw new DeployInputError(`--template-file ${path}: not a CloudFormation template (no Resources section)`);
  }
  return { path, bytes: Buffer.byteLength(text), template, parameters: templateParameters(template) };
}

/** IAM types and the property that gives each a custom name (which needs CAPABILITY_NAMED_IAM). */
const IAM_NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
};

/** The capabilities CloudFormation demands for this template's resources. */
export function requiredCapabilities(template: JsonObject): string[] {
  const resources = Object.values((template['Resources'] ?? {}) as Record<string, JsonObject>);
  const iam = resources.filter((r) => typeof r['Type'] === 'string' && r['Type'].startsWith('AWS::IAM::'));
  const named = iam.some((r) => {
    const property = IAM_NAME_PROPERTIES[r['Type'] as string];
    return property !== undefined && (r['Properties'] as JsonObject | undefined)?.[property] !== undefined;
  });
  const capabilities: string[] = [];
  // NAMED_IAM also acknowledges unnamed IAM resources, so one of the two is enough.
  if (named) capabilities.push('CAPABILITY_NAMED_IAM');
  else if (iam.length > 0) capabilities.push('CAPABILITY_IAM');
  if (template['Transform'] !== undefined) capabilities.push('CAPABILITY_AUTO_EXPAND');
  return capabilities;
}
