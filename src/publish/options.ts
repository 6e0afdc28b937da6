// Flags of `cfn-cicd publish`, checked before any file is read or AWS is called, so a bad value
// gets one line naming it and nothing happens.
import { InputError } from '../errors.js';
import { ENVIRONMENT_SUFFIX } from '../parameters/pipeline.js';
import { PRINCIPAL_ARN_PATTERN, PROVISIONING_ARTIFACT_NAME_PATTERN } from '../parameters/service-catalog.js';
import type { AwsConnection } from '../tools/aws.js';
import { awsConnection, STACK_NAME } from '../tools/aws.js';

/** What to publish, and where. */
export interface PublishOptions {
  /** S3 bucket the pipeline template is uploaded to. */
  readonly bucket: string;
  /** Version name of the product. @default - `v-` and the first 12 hex digits of the template's SHA-256 */
  readonly version?: string;
  /** Product stack name. @default `cicd-catalog-<envSuffix>` */
  readonly stackName: string;
  /** EnvironmentSuffix of the product stack's resources. */
  readonly envSuffix: string;
  /** IAM role, user or group given the portfolio. @default - the stack's previous value (none at first) */
  readonly principalArn?: string;
  /** Pipeline template to publish. @default - templates/cicd-pipeline.yaml, else a fresh render */
  readonly templateFile?: string;
  readonly connection: AwsConnection;
}

/** Flags as yargs parses them. */
export interface PublishFlags {
  readonly bucket: string;
  readonly version?: string;
  readonly stackName?: string;
  readonly envSuffix: string;
  readonly principalArn?: string;
  readonly templateFile?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

// Dots are allowed in S3 but not here: the template URL is virtual-hosted HTTPS, and the launch
// role is scoped to the URL's first host label.
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const BUCKET_RESERVED = /^(xn--|sthree-)|(-s3alias|--ol-s3|--x-s3)$/;

function check(ok: boolean, message: string): void {
  if (!ok) throw new InputError(message);
}

/** Checked options; throws InputError naming the first bad flag and what it allows. */
export function publishOptions(flags: PublishFlags): PublishOptions {
  check(
    BUCKET.test(flags.bucket) && !BUCKET_RESERVED.test(flags.bucket),
    `--bucket ${JSON.stringify(flags.bucket)}: must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots: the template URL is virtual-hosted HTTPS)`,
  );
  if (flags.version !== undefined) {
    check(
      new RegExp(PROVISIONING_ARTIFACT_NAME_PATTERN).test(flags.version),
      `--version ${JSON.stringify(flags.version)}: must be 1-100 letters, digits, dots, underscores and hyphens, starting with a letter or digit`,
    );
  }
  const suffix = ENVIRONMENT_SUFFIX.definition;
  check(
    new RegExp(suffix.AllowedPattern as string).test(flags.envSuffix) &&
      flags.envSuffix.length <= (suffix.MaxLength as number),
    `--env-suffix ${JSON.stringify(flags.envSuffix)}: must be ${suffix.ConstraintDescription}`,
  );
  const stackName = flags.stackName ?? `cicd-catalog-${flags.envSuffix}`;
  check(
    STACK_NAME.test(stackName),
    `--stack-name ${JSON.stringify(stackName)}: must be 1-128 letters, digits and hyphens, starting with a letter`,
  );
  if (flags.principalArn !== undefined) {
    check(
      flags.principalArn !== '' && new RegExp(PRINCIPAL_ARN_PATTERN).test(flags.principalArn),
      `--principal-arn ${JSON.stringify(flags.principalArn)}: must be an IAM role, user or group ARN, e.g. arn:aws:iam::123456789012:role/app-team`,
    );
  }
  return {
    bucket: flags.bucket,
    version: flags.version,
    stackName,
    envSuffix: flags.envSuffix,
    principalArn: flags.principalArn,
    templateFile: flags.templateFile,
    connection: awsConnection({ region: flags.region, profile: flags.profile, endpointUrl: flags.endpointUrl }),
  };
}
