// The load balancer's access logs (AccessLogs true): a dedicated bucket and the attributes that point
// the load balancer at it. ELB writes access logs only to a bucket encrypted with S3-managed keys
// (Application Load Balancers Guide, "Enable access logs for your Application Load Balancer": "The
// only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)"), so this
// bucket is the one store without the stack key (docs/SECURITY.md). Otherwise it is kept as the
// artifact bucket is: private, versioned, TLS-only, and its objects expire.
import { Bucket, BucketPolicy } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { retain, skipCheckov } from '../cfn/extensions.js';
import { S3_ALL } from '../iam/actions.js';
import { denyInsecureTransport, policyDocument } from '../iam/policy.js';
import type { Statement } from '../iam/policy.js';
import { findInMap, getAtt, ifCondition, noValue, ref, sub } from '../intrinsics.js';
import { bucketName, Conditions, Ids, Mappings, STORE_METADATA_KEY } from '../naming.js';

/** Days an access log (and a superseded version of it) is kept. */
export const ACCESS_LOG_DAYS = 90;
/** The key prefix the load balancer writes under; ELB adds AWSLogs/<account>/ after it. */
export const ACCESS_LOG_PREFIX = 'alb';
/** What the bucket states in its Metadata: why it cannot take the stack key (templates/cfn-cicd.guard reads it; src/cfn/types.ts). */
export const SSE_S3_ONLY = 'SseS3Only';

/** Where ELB writes: this account's logs under the prefix. */
const LOG_OBJECTS = `\${${Ids.AccessLogBucket}.Arn}/${ACCESS_LOG_PREFIX}/AWSLogs/\${AWS::AccountId}/*`;

export interface AccessLogs {
  readonly bucket: Part;
  readonly policy: Part;
  readonly parts: readonly Part[];
  /** The load balancer attributes that turn logging on and name the bucket, by AccessLogs. */
  readonly attributes: readonly unknown[];
  /** A load balancer tag that references the bucket policy: ELB checks its write access when logging is turned on. */
  readonly policyTag: { readonly Key: string; readonly Value: unknown };
}

export function accessLogs(): AccessLogs {
  const bucket = part(
    Ids.AccessLogBucket,
    retain(
      new Bucket({
        BucketName: bucketName('alb-logs'),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
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
              Id: 'expire-access-logs',
              Status: 'Enabled',
              ExpirationInDays: ACCESS_LOG_DAYS,
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
          ],
        },
      }).condition(Conditions.HasAccessLogs),
    ),
  );
  bucket.resource.metadata({
    ...(bucket.resource.Metadata ?? {}),
    [STORE_METADATA_KEY]: {
      [SSE_S3_ONLY]:
        'Elastic Load Balancing writes access logs only to buckets encrypted with S3-managed keys (SSE-S3)',
    },
  });
  skipCheckov(bucket.resource, [
    {
      id: 'CKV_AWS_18',
      comment: 'It holds the load balancer access logs themselves; logging its own access would need a third bucket',
    },
  ]);
  const deliveredBy = (principal: Statement['Principal']): Statement => ({
    Effect: 'Allow',
    Principal: principal,
    Action: ['s3:PutObject'],
    Resource: [sub(LOG_OBJECTS)],
  });
  const policy = part(
    Ids.AccessLogBucketPolicy,
    new BucketPolicy({
      Bucket: ref(bucket),
      PolicyDocument: policyDocument([
        denyInsecureTransport('DenyInsecureTransport', S3_ALL, [
          getAtt(bucket, 'Arn'),
          sub(`\${${Ids.AccessLogBucket}.Arn}/*`),
        ]),
        { Sid: 'LogDeliveryWrites', ...deliveredBy({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }) },
        // Regions available before August 2022 deliver from their Elastic Load Balancing account instead.
        ifCondition(
          Conditions.ElbAccountRegion,
          {
            Sid: 'ElbAccountWrites',
            ...deliveredBy({
              AWS: sub('arn:${AWS::Partition}:iam::${Account}:root', {
                Account: findInMap(Mappings.ElbLogAccounts, ref('AWS::Region'), 'Account'),
              }),
            }),
          },
          noValue(),
        ),
      ]),
    }).condition(Conditions.HasAccessLogs),
  );
  const onlyWithLogs = (key: string, value: unknown) =>
    ifCondition(Conditions.HasAccessLogs, { Key: key, Value: value }, noValue());
  return {
    bucket,
    policy,
    parts: [bucket, policy],
    attributes: [
      // Literal text in each branch, as deletion protection's.
      { Key: 'access_logs.s3.enabled', Value: ifCondition(Conditions.HasAccessLogs, 'true', 'false') },
      onlyWithLogs('access_logs.s3.bucket', ref(bucket)),
      onlyWithLogs('access_logs.s3.prefix', ACCESS_LOG_PREFIX),
    ],
    policyTag: {
      Key: 'cicd:access-log-policy',
      Value: ifCondition(Conditions.HasAccessLogs, ref(policy), 'none'),
    },
  };
}
