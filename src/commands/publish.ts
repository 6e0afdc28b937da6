// `cfn-cicd publish`: the pipeline template to S3 under its content address, and a new Service
// Catalog product version pointing at it. Flags are checked before anything is read or sent.
import type { CommandModule } from 'yargs';
import type { CliContext } from '../cli.js';
import type { PublishArgs } from './run/publish.js';

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
      // The implementation loads on use, so `build` (run on every save) never pays for it.
      const { runPublish } = await import('./run/publish.js');
      ctx.exitCode = await runPublish(args, ctx);
    },
  };
}
