// The AWS CLI (pinned awscli in .venv, else PATH) through execa, with the connection options
// every command shares.
import { locateTool, PINNED, ToolMissingError } from './locate.js';
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
  if (binary === undefined) throw new ToolMissingError('aws', PINNED.awscli);
  const result = await run(binary, [...args, ...connectionArgs(connection)], { env: { AWS_PAGER: '', ...env } });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/** Runs an AWS CLI call that prints JSON and returns it parsed; throws with the CLI's first error line. */
export async function awsJson<T>(args: readonly string[], connection: AwsConnection = {}): Promise<T> {
  const result = await aws([...args, '--output', 'json'], connection);
  if (result.exitCode !== 0) {
    const line = result.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${result.exitCode}`;
    throw new Error(`aws ${args.slice(0, 2).join(' ')}: ${line.trim()}`);
  }
  return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
}
