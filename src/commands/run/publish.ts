// `cfn-cicd publish`: the pipeline template to S3 under its content address, and a new Service
// Catalog product version pointing at it. Flags are checked before anything is read or sent.
import type { CliContext } from '../../cli.js';
import { EXIT, UsageError } from '../../cli.js';
import { publishOptions } from '../../publish/options.js';
import { publish } from '../../publish/publish.js';

export interface PublishArgs {
  readonly bucket: string;
  readonly version?: string;
  readonly 'stack-name'?: string;
  readonly 'env-suffix': string;
  readonly 'principal-arn'?: string;
  readonly 'template-file'?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly 'endpoint-url'?: string;
}

/** A flag's one value: given twice (yargs makes an array) or empty is a usage error. */
function single<K extends keyof PublishArgs>(args: PublishArgs, flag: K): PublishArgs[K] {
  const value: unknown = args[flag];
  if (Array.isArray(value)) throw new UsageError(`--${flag} is given more than once`);
  if (value !== undefined && (typeof value !== 'string' || value === ''))
    throw new UsageError(`--${flag} needs a value`);
  return value as PublishArgs[K];
}

export async function runPublish(args: PublishArgs, ctx: CliContext): Promise<number> {
  const options = publishOptions({
    bucket: single(args, 'bucket'),
    version: single(args, 'version'),
    stackName: single(args, 'stack-name'),
    envSuffix: single(args, 'env-suffix'),
    principalArn: single(args, 'principal-arn'),
    templateFile: single(args, 'template-file'),
    region: single(args, 'region'),
    profile: single(args, 'profile'),
    endpointUrl: single(args, 'endpoint-url'),
  });
  const result = await publish(options);
  const object = `s3://${options.bucket}/${result.artifact.key}`;
  ctx.io.out(
    result.uploaded
      ? `uploaded ${object} (${result.artifact.body.length} bytes)`
      : `${object} already holds this template; not uploaded again`,
  );
  ctx.io.out(`product stack ${options.stackName}: ${result.stack} (version ${result.version}, ${result.url})`);
  return EXIT.ok;
}
