// Action lists, named for what they let a principal do. Statement builders combine them with
// explicit resource ARNs; no list holds a wildcard.

/** Key administration for the account, without any cryptographic use of the key. */
export const KMS_ADMIN = [
  'kms:CancelKeyDeletion',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  // aliases are authorised on the key as well as on the alias
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
] as const;

/** Envelope encryption: what S3, Secrets Manager, SNS and Logs need from a caller. */
export const KMS_ENCRYPT_DECRYPT = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/** Reading what was encrypted (artifacts a role only downloads). */
export const KMS_DECRYPT = ['kms:Decrypt', 'kms:DescribeKey'] as const;

/** ECR encrypts image layers under grants it creates on the key for the repository. */
export const KMS_GRANT_FOR_ECR = ['kms:CreateGrant', 'kms:RetireGrant'] as const;

/** SNS publishers (EventBridge) need a data key to send to an encrypted topic. */
export const KMS_SNS_PUBLISH = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** TLS-only resource policies deny every action of the service on insecure transport. */
export const S3_ALL = ['s3:*'] as const;
export const SNS_PUBLISH = ['sns:Publish'] as const;
