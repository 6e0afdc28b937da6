// The S3 calls publish makes, through the AWS CLI.
import { ToolError } from '../errors.js';
import type { AwsConnection } from '../tools/aws.js';
import { aws, awsJson } from '../tools/aws.js';
import { firstLine } from '../tools/run.js';

/**
 * The bucket's region; S3 reports us-east-1 as no constraint and the oldest EU buckets as `EU`. The
 * first call publish makes, so an unreachable endpoint fails in seconds.
 */
export async function bucketRegion(bucket: string, connection: AwsConnection, signal: AbortSignal): Promise<string> {
  const answer = await awsJson<{ LocationConstraint?: string | null }>(
    ['s3api', 'get-bucket-location', '--bucket', bucket],
    connection,
    { firstContact: true, signal },
  ).catch((error: Error) => {
    if (!(error instanceof ToolError)) throw error;
    throw new ToolError(`--bucket ${bucket}: cannot read the bucket's region (${error.message})`);
  });
  const location = answer.LocationConstraint;
  if (!location) return 'us-east-1';
  return location === 'EU' ? 'eu-west-1' : location;
}

/** Whether the object exists; any answer but found or 404 is an error. */
export async function objectExists(
  bucket: string,
  key: string,
  connection: AwsConnection,
  signal: AbortSignal,
): Promise<boolean> {
  const result = await aws(['s3api', 'head-object', '--bucket', bucket, '--key', key], connection, { signal });
  if (result.exitCode === 0) return true;
  if (/\b404\b|Not Found/.test(result.stderr)) return false;
  throw new ToolError(`s3://${bucket}/${key}: cannot check whether it exists (${firstLine(result.stderr)})`);
}

/** Uploads `file` as a YAML object whose metadata records its SHA-256. */
export async function putTemplate(
  bucket: string,
  key: string,
  file: string,
  sha256: string,
  connection: AwsConnection,
  signal: AbortSignal,
): Promise<void> {
  await awsJson(
    [
      's3api',
      'put-object',
      '--bucket',
      bucket,
      '--key',
      key,
      '--body',
      file,
      '--content-type',
      'application/x-yaml',
      '--metadata',
      `sha256=${sha256}`,
    ],
    connection,
    { signal },
  );
}
