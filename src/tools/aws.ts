// The AWS CLI (pinned awscli in .venv, else PATH) through execa, with the connection options
// every command shares.
import { InputError, ToolError } from '../errors.js';
import { locateTool, PINNED, toolMissing } from './locate.js';
import { run } from './run.js';

/** Where and as whom the AWS CLI talks. */
export interface AwsConnection {
  /** AWS region. @default - the CLI's own configuration */
  readonly region?: string;
  /** Named profile. @default - the CLI's own configuration */
  readonly profile?: string;
  /** Endpoint override, e.g. a local emulator on 127.0.0.1. @default - the real AWS endpoint */
  readonly endpointUrl?: string;
}

/** Outcome of one AWS CLI call. */
export interface AwsResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stack name as CloudFormation takes it. */
export const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PROFILE = /^[A-Za-z0-9_.+@-]{1,64}$/;
const ENDPOINT = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/** A connection from flag values, each checked; throws InputError naming the first bad one. */
export function awsConnection(flags: AwsConnection): AwsConnection {
  const bad = (flag: string, value: string, allowed: string) =>
    new InputError(`--${flag} ${JSON.stringify(value)}: must be ${allowed}`);
  if (flags.region !== undefined && !REGION.test(flags.region))
    throw bad('region', flags.region, 'an AWS region such as eu-west-1');
  if (flags.profile !== undefined && !PROFILE.test(flags.profile))
    throw bad('profile', flags.profile, 'a profile name of letters, digits and _.+@-');
  if (flags.endpointUrl !== undefined && !ENDPOINT.test(flags.endpointUrl))
    throw bad('endpoint-url', flags.endpointUrl, 'an http:// or https:// URL');
  return { region: flags.region, profile: flags.profile, endpointUrl: flags.endpointUrl };
}

/** Global CLI flags for a connection. */
export function connectionArgs(connection: AwsConnection): string[] {
  return [
    ...(connection.region ? ['--region', connection.region] : []),
    ...(connection.profile ? ['--profile', connection.profile] : []),
    ...(connection.endpointUrl ? ['--endpoint-url', connection.endpointUrl] : []),
  ];
}

/** Runs `aws <args>` with the connection's flags (and extra environment); never throws on a non-zero exit. */
export async function aws(
  args: readonly string[],
  connection: AwsConnection = {},
  env: Readonly<Record<string, string>> = {},
): Promise<AwsResult> {
  const binary = locateTool('aws');
  if (binary === undefined) throw toolMissing('aws', PINNED.awscli);
  const result = await run(binary, [...args, ...connectionArgs(connection)], { env: { AWS_PAGER: '', ...env } });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/** Runs an AWS CLI call that prints JSON and returns it parsed; throws with the CLI's first error line. */
export async function awsJson<T>(args: readonly string[], connection: AwsConnection = {}): Promise<T> {
  const result = await aws([...args, '--output', 'json'], connection);
  if (result.exitCode !== 0) {
    const line = result.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${result.exitCode}`;
    throw new ToolError(`aws ${args.slice(0, 2).join(' ')}: ${line.trim()}`);
  }
  return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
}
