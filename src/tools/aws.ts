// The AWS CLI (pinned awscli in .venv, else PATH) through execa, with the connection options
// every command shares. A call that was killed, exited with a code the CLI never uses, or answered
// JSON calls with something else is a ToolError; a documented failure comes back for the caller.
import { InputError, ToolError } from '../errors.js';
import { PINNED, requireTool } from './locate.js';
import { firstLine, runTool } from './run.js';

/** Where and as whom the AWS CLI talks. */
export interface AwsConnection {
  /** AWS region. @default - the CLI's own configuration */
  readonly region?: string;
  /** Named profile. @default - the CLI's own configuration */
  readonly profile?: string;
  /** Endpoint override, e.g. a local emulator on 127.0.0.1. @default - the real AWS endpoint */
  readonly endpointUrl?: string;
  /** The endpoint is a local emulator: calls carry throwaway credentials, never the user's. @default false */
  readonly emulator?: boolean;
}

/** Credentials for a local emulator: moto takes any, and the user's own are never sent to it. */
export const EMULATOR_CREDENTIALS: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
};

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

/** How one AWS CLI call runs. */
export interface AwsOptions {
  /** Variables added to the environment. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** Stops the call (Ctrl-C); it then throws the signal's reason. @default - runs to its end */
  readonly signal?: AbortSignal;
  /**
   * The first call a command makes: one attempt, so an unreachable endpoint fails in about a
   * second (refused) or CONNECT_TIMEOUT_SECONDS (dropped) instead of after 20-40 s of retries.
   * @default false - the CLI's own retries, which ride out throttling
   */
  readonly firstContact?: boolean;
}

/** Seconds the CLI waits to connect (its own default is 60); a reachable endpoint answers in far less. */
export const CONNECT_TIMEOUT_SECONDS = 5;

/** The AWS CLI's exit codes: 1 an S3 transfer failed, 2 bad arguments, 130 Ctrl-C, 252-255 errors it explains. */
const AWS_EXIT_CODES: ReadonlySet<number> = new Set([0, 1, 2, 130, 252, 253, 254, 255]);

/** `aws cloudformation deploy`: how errors name a call. */
const callName = (args: readonly string[]): string => `aws ${args.slice(0, 2).join(' ')}`;

/** Runs `aws <args>` with the connection's flags; any documented exit code is returned, anything else throws. */
export async function aws(
  args: readonly string[],
  connection: AwsConnection = {},
  options: AwsOptions = {},
): Promise<AwsResult> {
  const binary = requireTool('aws', PINNED.awscli);
  const name = callName(args);
  const result = await runTool(
    name,
    binary,
    [...args, ...connectionArgs(connection), '--cli-connect-timeout', String(CONNECT_TIMEOUT_SECONDS)],
    {
      env: {
        AWS_PAGER: '',
        ...(connection.emulator ? EMULATOR_CREDENTIALS : {}),
        ...(options.firstContact ? { AWS_MAX_ATTEMPTS: '1' } : {}),
        ...options.env,
      },
      signal: options.signal,
    },
  );
  if (!AWS_EXIT_CODES.has(result.exitCode)) {
    throw new ToolError(
      `${name} exited with ${result.exitCode}, not an AWS CLI exit code: ${firstLine(result.stderr) || 'no message'}`,
    );
  }
  return result;
}

/** A call's JSON answer; empty output (commands that answer nothing) is `{}`. */
export function parseAwsJson<T>(args: readonly string[], stdout: string): T {
  if (stdout.trim() === '') return {} as T;
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new ToolError(`${callName(args)} printed output that is not JSON: ${firstLine(stdout)}`);
  }
}

/** Runs an AWS CLI call that prints JSON and returns it parsed; throws with the CLI's first error line. */
export async function awsJson<T>(
  args: readonly string[],
  connection: AwsConnection = {},
  options: AwsOptions = {},
): Promise<T> {
  const result = await aws([...args, '--output', 'json'], connection, options);
  if (result.exitCode !== 0) {
    throw new ToolError(`${callName(args)}: ${firstLine(result.stderr) || `exit ${result.exitCode}`}`);
  }
  return parseAwsJson<T>(args, result.stdout);
}
