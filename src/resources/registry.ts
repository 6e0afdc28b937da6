// The image repository: KMS-encrypted, scanned on push, immutable tags, last images kept.
import { Repository } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { retain } from '../cfn/extensions.js';
import { getAtt, ref } from '../intrinsics.js';
import { Ids, physicalName } from '../naming.js';
import type { Key } from './encryption.js';

export type Repository = InstanceType<typeof Repository>;

/** Where the pipeline pushes application images. */
export interface ImageRegistryProps {
  /** Key that encrypts image layers. */
  readonly key: Part<Key>;
  /** Images kept; older ones are expired by the lifecycle policy. @default 10 */
  readonly keepImages?: number;
}

export interface ImageRegistry {
  readonly repository: Part<Repository>;
  readonly outputs: Record<string, Output>;
}

/** ECR lifecycle policy (a JSON document ECR takes as a string) keeping the newest `keep` images. */
export function lifecyclePolicyText(keep: number): string {
  const policy = {
    rules: [
      {
        rulePriority: 1,
        description: `Keep only the last ${keep} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
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
