// `cfn-cicd deploy`: `aws cloudformation deploy` with the capabilities, tags and parameter values
// the template needs, every value checked against the template's constraints before any AWS call;
// stack events stream while it runs, then the outputs (or, with --no-execute, the change set).
import type { CommandModule } from 'yargs';
import type { CliContext } from '../cli.js';
import { UsageError } from '../cli.js';
import { INLINE_TEMPLATE_LIMIT } from '../deploy/template-file.js';
import { PIPELINE_TEMPLATE_FILE } from '../naming.js';
import type { DeployArgs } from './run/deploy.js';

export function deployCommand(ctx: CliContext): CommandModule<object, DeployArgs> {
  return {
    command: 'deploy',
    describe: 'aws cloudformation deploy with checked parameters, capabilities and tags; --no-execute previews',
    builder: (y) =>
      y
        // Template parameters arrive as flags named after them, checked against the template instead.
        .strict(false)
        // Parameter values are text: '007' and '1e3' must reach the pre-flight as typed.
        .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false, 'dot-notation': false })
        .option('template-file', {
          type: 'string',
          default: `templates/${PIPELINE_TEMPLATE_FILE}`,
          describe: 'template to deploy',
        })
        .option('stack-name', { type: 'string', describe: 'stack name (default: cicd-pipeline-<env-suffix>)' })
        .option('env-suffix', { type: 'string', describe: 'EnvironmentSuffix parameter, e.g. dev' })
        .option('github-secret-arn', { type: 'string', describe: 'GitHubTokenSecretArn parameter' })
        .option('parameters', {
          type: 'string',
          describe: 'JSON file: {"Key":"Value"} or [{"ParameterKey":…,"ParameterValue":…}]; flags win over it',
        })
        .option('parameter', { type: 'string', array: true, describe: 'Key=Value, repeatable' })
        .option('tags', { type: 'string', array: true, describe: 'stack tags Key=Value …' })
        .option('region', { type: 'string', describe: 'AWS region (default: the CLI configuration)' })
        .option('profile', { type: 'string', describe: 'AWS CLI profile' })
        .option('endpoint-url', { type: 'string', describe: 'CloudFormation endpoint, e.g. a local emulator' })
        .option('s3-bucket', { type: 'string', describe: `bucket for templates over ${INLINE_TEMPLATE_LIMIT} bytes` })
        .option('execute', {
          type: 'boolean',
          default: true,
          describe: 'execute the change set; --no-execute creates it and prints its changes',
        })
        .option('fail-on-empty-changeset', {
          type: 'boolean',
          default: true,
          describe: 'exit non-zero when there is nothing to change; --no-fail-on-empty-changeset exits 0',
        })
        .epilog('Any template parameter is also a flag: GitHubOwner → --github-owner VALUE.'),
    handler: async (args) => {
      // The implementation loads on use, so `build` (run on every save) never pays for it.
      const { DeployInputError } = await import('../deploy/inputs.js');
      const { runDeployCommand } = await import('./run/deploy.js');
      try {
        ctx.exitCode = await runDeployCommand(args, ctx);
      } catch (error) {
        if (error instanceof DeployInputError) throw new UsageError(error.message);
        throw error;
      }
    },
  };
}
