// The AWS calls of a deployment: `aws cloudformation deploy` itself, then what it does not print —
// the change set's changes for a preview, and the stack's status and outputs afterwards.
import { ToolError } from '../errors.js';
import type { AwsConnection, AwsOptions, AwsResult } from '../tools/aws.js';
import { aws, awsJson, parseAwsJson } from '../tools/aws.js';
import { firstLine } from '../tools/run.js';

/** Everything `aws cloudformation deploy` is told. */
export interface DeployRequest {
  readonly templateFile: string;
  readonly stackName: string;
  /** Values to override; the others keep their previous value (or Default on create). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly capabilities: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /** Bucket the CLI uploads the template to. @default - the template goes inline */
  readonly s3Bucket?: string;
  /** Execute the change set; false creates it for review only. */
  readonly execute: boolean;
  /** An empty change set is an error (exit non-zero) rather than "up to date". */
  readonly failOnEmptyChangeset: boolean;
  /** The stack's service role: CloudFormation acts with it on this and every later update. @default - the caller's rights */
  readonly roleArn?: string;
}

/** The argv of `aws cloudformation deploy` for a request (connection flags are added by aws()). */
export function deployArgs(request: DeployRequest): string[] {
  const overrides = Object.entries(request.parameters).map(([key, value]) => `${key}=${value}`);
  const tags = Object.entries(request.tags).map(([key, value]) => `${key}=${value}`);
  return [
    'cloudformation',
    'deploy',
    '--template-file',
    request.templateFile,
    '--stack-name',
    request.stackName,
    ...(overrides.length > 0 ? ['--parameter-overrides', ...overrides] : []),
    ...(request.capabilities.length > 0 ? ['--capabilities', ...request.capabilities] : []),
    ...(tags.length > 0 ? ['--tags', ...tags] : []),
    ...(request.s3Bucket !== undefined ? ['--s3-bucket', request.s3Bucket] : []),
    ...(request.roleArn !== undefined ? ['--role-arn', request.roleArn] : []),
    ...(request.execute ? [] : ['--no-execute-changeset']),
    ...(request.failOnEmptyChangeset ? [] : ['--no-fail-on-empty-changeset']),
  ];
}

/**
 * Runs `aws cloudformation deploy`. Its S3 client (the template upload) ignores --endpoint-url, so
 * AWS_ENDPOINT_URL_S3 sends the upload to the same endpoint: an emulator serves every service there.
 */
export async function runDeploy(
  request: DeployRequest,
  connection: AwsConnection,
  signal?: AbortSignal,
): Promise<AwsResult> {
  const uploadsToEmulator = connection.endpointUrl !== undefined && request.s3Bucket !== undefined;
  const env: Record<string, string> = uploadsToEmulator
    ? { AWS_ENDPOINT_URL_S3: connection.endpointUrl as string }
    : {};
  return aws(deployArgs(request), connection, { env, signal });
}

/** A stack that exists: its status and current parameter values. */
export interface ExistingStack {
  readonly status: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * The stack's status and parameter values, or undefined when there is none by that name. With
 * `firstContact` it is the check that CloudFormation answers at all, so an unreachable endpoint
 * fails in seconds.
 */
export async function existingStack(
  stackName: string,
  connection: AwsConnection,
  options: AwsOptions = {},
): Promise<ExistingStack | undefined> {
  const args = ['cloudformation', 'describe-stacks', '--stack-name', stackName, '--output', 'json'];
  const result = await aws(args, connection, options);
  if (result.exitCode !== 0) {
    if (/does not exist/.test(result.stderr)) return undefined;
    throw new ToolError(`aws cloudformation describe-stacks: ${firstLine(result.stderr) || `exit ${result.exitCode}`}`);
  }
  type Described = { StackStatus?: string; Parameters?: { ParameterKey: string; ParameterValue: string }[] };
  const { Stacks = [] } = parseAwsJson<{ Stacks?: Described[] }>(args, result.stdout);
  const [stack] = Stacks;
  if (stack?.StackStatus === undefined) return undefined;
  return {
    status: stack.StackStatus,
    parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue])),
  };
}

/** The stack's status, or undefined when there is none by that name (see existingStack). */
export async function stackStatus(
  stackName: string,
  connection: AwsConnection,
  options: AwsOptions = {},
): Promise<string | undefined> {
  return (await existingStack(stackName, connection, options))?.status;
}

// The template upload's progress meter shares stderr with the error.
const PROGRESS = /^Uploading to |\r/;

/** The first line the CLI printed about what went wrong. */
export function firstErrorLine(result: AwsResult): string {
  const lines = `${result.stderr}\n${result.stdout}`.split('\n').filter((l) => !PROGRESS.test(l));
  return lines.map((l) => l.trim()).find((l) => l !== '') ?? `aws exited with ${result.exitCode}`;
}

// `aws cloudformation deploy --no-execute-changeset` prints the ARN in the command it suggests.
const CHANGE_SET_ARN = /arn:aws[\w-]*:cloudformation:[^\s]+:changeSet\/[^\s]+/;

export const changeSetArn = (stdout: string): string | undefined => CHANGE_SET_ARN.exec(stdout)?.[0];

interface ResourceChange {
  readonly Action?: string;
  readonly LogicalResourceId?: string;
  readonly ResourceType?: string;
  readonly Replacement?: string;
}

interface ChangeSet {
  readonly ChangeSetName?: string;
  readonly Status?: string;
  readonly StatusReason?: string;
  readonly Changes?: readonly { ResourceChange?: ResourceChange }[];
}

/** The change set's resource changes, one line each: `Add  PipelineKey (AWS::KMS::Key)`. */
export async function changeSetLines(arn: string, connection: AwsConnection): Promise<string[]> {
  const set = await awsJson<ChangeSet>(['cloudformation', 'describe-change-set', '--change-set-name', arn], connection);
  const changes = (set.Changes ?? []).map((c) => c.ResourceChange ?? {});
  const header = `Change set ${set.ChangeSetName ?? arn} (${set.Status ?? 'unknown status'}): ${changes.length} resource change(s), not executed`;
  return [
    header,
    ...changes.map((c) => {
      const replacement = c.Action === 'Modify' && c.Replacement ? `, replacement: ${c.Replacement}` : '';
      return `  ${(c.Action ?? '?').padEnd(6)} ${c.LogicalResourceId ?? '?'} (${c.ResourceType ?? '?'}${replacement})`;
    }),
  ];
}

/** A stack's status and outputs. */
export interface StackSummary {
  readonly status: string;
  readonly outputs: readonly { OutputKey: string; OutputValue: string }[];
}

export async function describeStack(stackName: string, connection: AwsConnection): Promise<StackSummary> {
  const { Stacks = [] } = await awsJson<{ Stacks?: { StackStatus: string; Outputs?: StackSummary['outputs'] }[] }>(
    ['cloudformation', 'describe-stacks', '--stack-name', stackName],
    connection,
  );
  const [stack] = Stacks;
  return { status: stack?.StackStatus ?? 'UNKNOWN', outputs: stack?.Outputs ?? [] };
}

/** The account and partition the connection's credentials belong to (`aws sts get-caller-identity`). */
export async function callerAccount(connection: AwsConnection): Promise<{ account: string; partition: string }> {
  const { Account, Arn } = await awsJson<{ Account?: string; Arn?: string }>(
    ['sts', 'get-caller-identity'],
    connection,
  );
  const partition = /^arn:([a-z-]+):/.exec(Arn ?? '')?.[1];
  if (Account === undefined || partition === undefined)
    throw new ToolError(`aws sts get-caller-identity answered without an account and ARN`);
  return { account: Account, partition };
}
