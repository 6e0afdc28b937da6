// The product stack: deployed with `aws cloudformation deploy`, skipped when it already holds
// this template with these parameters (so an unchanged publish makes no change set at all).
import { ToolError } from '../errors.js';
import type { AwsConnection } from '../tools/aws.js';
import { aws, awsJson, parseAwsJson } from '../tools/aws.js';
import { firstLine } from '../tools/run.js';

/** What the stack should hold. */
export interface ProductStack {
  readonly stackName: string;
  readonly templateFile: string;
  readonly templateBody: string;
  /** Parameters to set; any other keeps its previous value. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly connection: AwsConnection;
  /** Stops the AWS calls (Ctrl-C). */
  readonly signal: AbortSignal;
}

export type StackOutcome = 'created' | 'updated' | 'unchanged';

interface DescribedStack {
  StackStatus: string;
  Parameters?: { ParameterKey: string; ParameterValue: string }[];
}

/** The stack, or undefined when there is none by that name. */
async function describe(stack: ProductStack): Promise<DescribedStack | undefined> {
  const args = ['cloudformation', 'describe-stacks', '--stack-name', stack.stackName, '--output', 'json'];
  const result = await aws(args, stack.connection, { signal: stack.signal });
  if (result.exitCode !== 0) {
    if (/does not exist/.test(result.stderr)) return undefined;
    throw new ToolError(`stack ${stack.stackName}: cannot describe it (${firstLine(result.stderr)})`);
  }
  return parseAwsJson<{ Stacks?: DescribedStack[] }>(args, result.stdout).Stacks?.[0];
}

/** Whether a settled stack already holds this template and these parameter values. */
async function holds(stack: ProductStack, current: DescribedStack): Promise<boolean> {
  if (!/_COMPLETE$/.test(current.StackStatus) || current.StackStatus.includes('ROLLBACK')) return false;
  const values = new Map((current.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
  if (Object.entries(stack.parameters).some(([key, value]) => values.get(key) !== value)) return false;
  const { TemplateBody } = await awsJson<{ TemplateBody?: unknown }>(
    ['cloudformation', 'get-template', '--stack-name', stack.stackName, '--template-stage', 'Original'],
    stack.connection,
    { signal: stack.signal },
  );
  return TemplateBody === stack.templateBody;
}

/** Creates or updates the stack, or leaves it when it already matches. */
export async function deployProductStack(stack: ProductStack): Promise<StackOutcome> {
  const current = await describe(stack);
  if (current !== undefined && (await holds(stack, current))) return 'unchanged';
  const result = await aws(
    [
      'cloudformation',
      'deploy',
      '--stack-name',
      stack.stackName,
      '--template-file',
      stack.templateFile,
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
      '--no-fail-on-empty-changeset',
      '--parameter-overrides',
      ...Object.entries(stack.parameters).map(([key, value]) => `${key}=${value}`),
    ],
    stack.connection,
    { signal: stack.signal },
  );
  // Some endpoints refuse an empty change set outright instead of reporting it empty.
  if (result.exitCode !== 0 && /No updates are to be performed/.test(result.stderr)) return 'unchanged';
  if (result.exitCode !== 0) {
    throw new ToolError(`stack ${stack.stackName}: aws cloudformation deploy failed (${firstLine(result.stderr)})`);
  }
  return current === undefined ? 'created' : 'updated';
}
