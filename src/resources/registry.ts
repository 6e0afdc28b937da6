// The image repository: KMS-encrypted, scanned on push, immutable tags, last images kept.
import { Repository } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { retain } from '../cfn/extensions.js';
import { ECR_PULL } from '../iam/actions.js';
import type { AccountRole } from '../iam/policy.js';
import { allowAccountRoles, policyDocument } from '../iam/policy.js';
import { getAtt, ref } from '../intrinsics.js';
import { Ids, physicalName } from '../naming.js';
import type { KeyRef } from './encryption.js';

export type Repository = InstanceType<typeof Repository>;

/** Where the pipeline pushes application images. */
export interface ImageRegistryProps {
  /** Key that encrypts image layers. */
  readonly key: KeyRef;
  /** Images kept; older ones are expired by the lifecycle policy. @default 10 */
  readonly keepImages?: number;
  /** Roles of other accounts that pull images (target accounts' task execution roles). @default - none */
  readonly pullers?: readonly AccountRole[];
}

/**
 * The repository policy that lets exactly `pullers` pull. A repository policy names no Resource: it
 * applies to its repository (ECR User Guide, "Private repository policy examples").
 */
export const pullPolicy = (pullers: readonly AccountRole[]) =>
  policyDocument([allowAccountRoles('AllowTargetAccountsToPull', pullers, ECR_PULL)]);

export interface ImageRegistry {
  readonly repository: Part<Repository>;
  readonly outputs: Record<string, Output>;
}

/**
 * ECR lifecycle policy (a JSON document ECR takes as a string): untagged images (failed or replaced
 * pushes) expire after a day, so they never count against the tagged ones; of the images tagged
 * with a commit SHA the newest `keep` stay. An `any` rule would count the untagged images too and
 * could expire the live image (ECR User Guide, "Lifecycle policy properties": a rule with tagStatus
 * any counts every image; an image matched by a higher-priority rule is never expired by a lower one).
 */
export function lifecyclePolicyText(keep: number): string {
  const policy = {
    rules: [
      {
        rulePriority: 1,
        description: 'Expire untagged images (failed or replaced pushes) after a day',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${keep} tagged images`,
        selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    ],
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}

export function imageRegistry(props: ImageRegistryProps): ImageRegistry {
  const repository = part(
    Ids.ImageRepository,
    retain(
      new Repository({
        RepositoryName: physicalName('app'),
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: getAtt(props.key, 'Arn') },
        LifecyclePolicy: { LifecyclePolicyText: lifecyclePolicyText(props.keepImages ?? 10) },
        ...(props.pullers !== undefined &&
          props.pullers.length > 0 && { RepositoryPolicyText: pullPolicy(props.pullers) }),
      }),
    ),
  );
  return {
    repository,
    outputs: {
      ImageRepositoryUri: {
        Description: 'ECR repository URI the pipeline pushes images to.',
        Value: getAtt(repository, 'RepositoryUri'),
      },
      ImageRepositoryName: { Description: 'ECR repository name.', Value: ref(repository) },
    },
  };
}
