// The stack's one customer-managed key. Its policy names each service that uses it and nothing
// wider: the account may administer the key but uses it only through those services. The key is
// built last, from the log groups the template holds, so its policy names each one exactly.
import { Key, KeyAlias } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { retain } from '../cfn/extensions.js';
import {
  KMS_ADMIN,
  KMS_CREATE_GRANT,
  KMS_DECRYPT,
  KMS_ENCRYPT_DECRYPT,
  KMS_GRANT_FOR_ECR,
  KMS_SNS_PUBLISH,
} from '../iam/actions.js';
import type { AccountRole, Statement } from '../iam/policy.js';
import { allowAccountRoles, policyDocument } from '../iam/policy.js';
import type { Named } from '../intrinsics.js';
import { arn, getAtt, ref, sub } from '../intrinsics.js';
import { Ids, physicalNameText } from '../naming.js';

export type Key = InstanceType<typeof Key>;

/** The stack key as the builders reference it, before it is built: `!GetAtt PipelineKey.Arn`. */
export type KeyRef = Named;
export const STACK_KEY: KeyRef = { id: Ids.Key };

const ACCOUNT_ROOT = arn('iam', 'root');
const ACCOUNT = sub('${AWS::AccountId}');

/** Services whose callers in this account may use the key on their behalf (kms:ViaService). */
const VIA_SERVICES = {
  // CodePipeline and CodeBuild read and write artifacts through S3 with SSE-KMS.
  AllowArtifactsThroughS3: ['s3'],
  // The webhook secret is encrypted by Secrets Manager.
  AllowSecretsManager: ['secretsmanager'],
} as const;

/** Statement letting this account's principals use the key only through one AWS service. */
function throughService(sid: string, service: string, actions: readonly string[]): Statement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: ACCOUNT_ROOT },
    Action: [...actions],
    Resource: '*',
    Condition: {
      StringEquals: {
        'kms:CallerAccount': ACCOUNT,
        // The service's regional endpoint, in this partition's domain (amazonaws.com.cn in China).
        'kms:ViaService': sub(`${service}.\${AWS::Region}.\${AWS::URLSuffix}`),
      },
    },
  };
}

/** What the key policy admits beyond the account's administration and the via-service uses. */
export interface KeyPolicyProps {
  /** `!Sub` texts of the template's log group names; CloudWatch Logs may use the key for exactly these. */
  readonly logGroupNames: readonly string[];
  /** The template has Lambda functions, whose environment Lambda encrypts under the key with a grant. @default false */
  readonly functions?: boolean;
  /**
   * `!Sub` text of the encrypted topic the template's alarms notify; CloudWatch may use the key for it
   * alone. @default - no alarm notifies a topic
   */
  readonly alarmTopicArn?: string;
  /**
   * People and roles of this account publish to the stack's encrypted topic (the pipeline role's
   * approval notifications): SNS may use the key on their behalf. @default false
   */
  readonly snsPublishers?: boolean;
  /**
   * Roles of other accounts that read the pipeline's artifacts (their deploy roles, as CodePipeline's
   * cross-account actions require). @default - none
   */
  readonly artifactReaders?: readonly AccountRole[];
}

/** The key policy: administration for the account, use only by the named services. */
export function keyPolicyStatements(props: KeyPolicyProps): Statement[] {
  return [
    {
      Sid: 'AllowKeyAdministrationByAccount',
      Effect: 'Allow',
      Principal: { AWS: ACCOUNT_ROOT },
      Action: [...KMS_ADMIN],
      Resource: '*',
    },
    ...Object.entries(VIA_SERVICES).map(([sid, [service]]) => throughService(sid, service, KMS_ENCRYPT_DECRYPT)),
    throughService('AllowEcrImageEncryption', 'ecr', [...KMS_ENCRYPT_DECRYPT, ...KMS_GRANT_FOR_ECR]),
    ...(props.snsPublishers === true
      ? [throughService('AllowSnsPublishingByThisAccount', 'sns', KMS_SNS_PUBLISH)]
      : []),
    ...(props.artifactReaders !== undefined && props.artifactReaders.length > 0
      ? [allowAccountRoles('AllowTargetDeployRolesToReadArtifacts', props.artifactReaders, KMS_DECRYPT, '*')]
      : []),
    ...(props.functions === true
      ? [throughService('AllowLambdaEnvironmentEncryption', 'lambda', [...KMS_ENCRYPT_DECRYPT, 'kms:CreateGrant'])]
      : []),
    {
      Sid: 'AllowCloudWatchLogsForThisStacksLogGroups',
      Effect: 'Allow',
      // The regional Logs principal, in this partition's domain (CloudWatch Logs guide, "Encrypt log data using AWS KMS").
      Principal: { Service: sub('logs.${AWS::Region}.${AWS::URLSuffix}') },
      Action: [...KMS_ENCRYPT_DECRYPT],
      Resource: '*',
      Condition: {
        // Each log group by name: a `cicd-*-<suffix>` pattern would also match another environment ending in -<suffix>.
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': props.logGroupNames.map((name) => arn('logs', `log-group:${name}`)),
        },
      },
    },
    {
      // Grants only for AWS resources or from AWS services (ECR's grant for the repository): a
      // principal cannot grant itself lasting use of the key (Control Tower CT.KMS.PR.3).
      Sid: 'DenyGrantsNotForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...KMS_CREATE_GRANT],
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    },
    {
      Sid: 'AllowEventBridgeToPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: [...KMS_SNS_PUBLISH],
      Resource: '*',
      // No aws:SourceAccount/SourceArn here: SNS does not support them in a key policy for
      // EventBridge-to-encrypted-topic delivery; the topic policy pins the rule's ARN instead.
    },
    ...(props.alarmTopicArn === undefined
      ? []
      : [
          {
            // An alarm publishes as cloudwatch.amazonaws.com, which needs a data key for the encrypted topic
            // (SNS Developer Guide, "Enable compatibility between event sources from AWS services and encrypted topics").
            Sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
            Effect: 'Allow' as const,
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: [...KMS_SNS_PUBLISH],
            Resource: '*' as const,
            // SNS names the topic in the encryption context: the key serves this topic only.
            Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': sub(props.alarmTopicArn) } },
          },
        ]),
  ];
}

export interface Encryption {
  readonly key: Part<Key>;
  readonly alias: Part<InstanceType<typeof KeyAlias>>;
  readonly outputs: Record<string, Output>;
}

/** The customer-managed key (rotation on, retained) and its alias `alias/cicd-key-<suffix>`. */
export function encryption(props: KeyPolicyProps): Encryption {
  const key = part(
    Ids.Key,
    retain(
      new Key({
        Description: sub(
          `Encrypts the artifacts, images, logs, secrets and notifications of ${physicalNameText('pipeline')}`,
        ),
        EnableKeyRotation: true,
        PendingWindowInDays: 30,
        KeyPolicy: policyDocument(keyPolicyStatements(props)),
      }),
    ),
  );
  const alias = part(
    Ids.KeyAlias,
    new KeyAlias({ AliasName: sub(`alias/${physicalNameText('key')}`), TargetKeyId: ref(key) }),
  );
  return {
    key,
    alias,
    outputs: {
      KeyArn: {
        Description: 'ARN of the customer-managed KMS key that encrypts everything in this stack.',
        Value: getAtt(key, 'Arn'),
      },
    },
  };
}
