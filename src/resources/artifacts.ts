// The bucket where pipeline artifacts live between stages: private, KMS-encrypted, TLS-only,
// and short-lived (artifacts are rebuilt on every run, so old ones are only cost).
import { Bucket, BucketPolicy } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { retain, skipCheckov } from '../cfn/extensions.js';
import { ARTIFACT_READ, S3_ALL } from '../iam/actions.js';
import type { AccountRole } from '../iam/policy.js';
import { allowAccountRoles, denyInsecureTransport, policyDocument } from '../iam/policy.js';
import { getAtt, ref, sub } from '../intrinsics.js';
import { bucketName, Ids } from '../naming.js';
import type { KeyRef } from './encryption.js';

export type Bucket = InstanceType<typeof Bucket>;

/** Where pipeline artifacts live between stages. */
export interface ArtifactStoreProps {
  /** Key that encrypts every object. */
  readonly key: KeyRef;
  /** Days before an artifact (and a superseded version of it) expires. @default 30 */
  readonly expireAfterDays?: number;
  /** Days before an unfinished multipart upload is aborted. @default 1 */
  readonly abortUploadsAfterDays?: number;
  /** Roles of other accounts that read artifacts (target accounts' deploy roles). @default - none */
  readonly readers?: readonly AccountRole[];
}

export interface ArtifactStore {
  readonly bucket: Part<Bucket>;
  readonly policy: Part<InstanceType<typeof BucketPolicy>>;
  readonly outputs: Record<string, Output>;
}

export function artifactStore(props: ArtifactStoreProps): ArtifactStore {
  const expireAfterDays = props.expireAfterDays ?? 30;
  const bucket = part(
    Ids.ArtifactBucket,
    retain(
      new Bucket({
        BucketName: bucketName('artifacts'),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt(props.key, 'Arn') },
              BucketKeyEnabled: true,
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'expire-artifacts',
              Status: 'Enabled',
              ExpirationInDays: expireAfterDays,
              NoncurrentVersionExpiration: { NoncurrentDays: expireAfterDays },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: props.abortUploadsAfterDays ?? 1 },
            },
          ],
        },
      }),
    ),
  );
  skipCheckov(bucket.resource, [
    {
      id: 'CKV_AWS_18',
      comment:
        'Transient artifacts (30-day expiry) used only by the pipeline roles; object-level audit belongs in CloudTrail data events, not a second bucket.',
    },
  ]);
  const policy = part(
    Ids.ArtifactBucketPolicy,
    new BucketPolicy({
      Bucket: ref(bucket),
      PolicyDocument: policyDocument([
        denyInsecureTransport('DenyInsecureTransport', S3_ALL, [
          getAtt(bucket, 'Arn'),
          sub(`\${${Ids.ArtifactBucket}.Arn}/*`),
        ]),
        ...(props.readers !== undefined && props.readers.length > 0
          ? [
              allowAccountRoles('AllowTargetDeployRolesToReadArtifacts', props.readers, ARTIFACT_READ, [
                sub(`\${${Ids.ArtifactBucket}.Arn}/*`),
              ]),
            ]
          : []),
      ]),
    }),
  );
  return {
    bucket,
    policy,
    outputs: {
      ArtifactBucketName: {
        Description: 'S3 bucket that holds pipeline artifacts (expire after 30 days).',
        Value: ref(bucket),
      },
    },
  };
}
