// `cfn-cicd publish`: the pipeline template to S3 under its content address, and a new Service
// Catalog product version pointing at it. Flags are checked before anything is read or sent.
import type { CommandModule } from 'yargs';
import { InterruptedError } from '../errors.js';
import { interruptible } from '../interrupt.js';
import type { CliContext } from './context.js';
import { EXIT } from './context.js';
import { single } from './flags.js';

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

export async function runPublish(args: PublishArgs, ctx: CliContext): Promise<number> {
  // The implementation loads on use, so `build` (run on every save) never pays for it.
  const { publishOptions } = await import('../publish/options.js');
  const { publish } = await import('../publish/publish.js');
  const options = publishOptions({
    bucket: single(args, 'bucket') as string,
    version: single(args, 'version'),
    stackName: single(args, 'stack-name'),
    envSuffix: single(args, 'env-suffix') as string,
    principalArn: single(args, 'principal-arn'),
    templateFile: single(args, 'template-file'),
    region: single(args, 'region'),
    profile: single(args, 'profile'),
    endpointUrl: single(args, 'endpoint-url'),
  });
  const { stackCommand } = await import('../deploy/state.js');
  const result = await interruptible((signal) => publish(options, signal)).catch((error: Error) => {
    if (!(error instanceof InterruptedError)) throw error;
    const events = stackCommand('describe-stack-events', options.stackName, options.connection);
    throw new InterruptedError(
      error.signal,
      `interrupted by ${error.signal}: publishing again finishes the job (an uploaded template is reused); the product stack may still be changing: \`${events}\``,
    );
  });
  const object = `s3://${options.bucket}/${result.artifact.key}`;
  ctx.io.out(
    result.uploaded
      ? `uploaded ${object} (${result.artifact.body.length} bytes)`
      : `${object} already holds this template; not uploaded again`,
  );
  ctx.io.out(`product stack ${options.stackName}: ${result.stack} (version ${result.version}, ${result.url})`);
  return EXIT.ok;
}

export function publishCommand(ctx: CliContext): CommandModule<object, PublishArgs> {
  return {
    command: 'publish',
    describe:
      'upload the pipeline template to S3 (content-addressed) and register it as a Service Catalog product version',
    builder: (y) =>
      y
        .option('bucket', { type: 'string', demandOption: true, describe: 'S3 bucket the template is uploaded to' })
        .option('version', {
          type: 'string',
          describe: 'product version name (default: v- and the first 12 hex digits of the template SHA-256)',
        })
        .option('stack-name', { type: 'string', describe: 'product stack name (default: cicd-catalog-<env-suffix>)' })
        .option('env-suffix', { type: 'string', default: 'dev', describe: 'EnvironmentSuffix of the product stack' })
        .option('principal-arn', { type: 'string', describe: 'IAM role, user or group ARN given the portfolio' })
        .option('template-file', {
          type: 'string',
          describe: 'pipeline template to publish (default: templates/cicd-pipeline.yaml, else a fresh render)',
        })
        .option('region', { type: 'string', describe: 'AWS region' })
        .option('profile', { type: 'string', describe: 'AWS CLI profile' })
        .option('endpoint-url', { type: 'string', describe: 'AWS endpoint override, e.g. a local emulator' }),
    handler: async (args) => {
      ctx.exitCode = await runPublish(args, ctx);
    },
  };
}
