// Image signing with ECR managed signing: ECR signs each image pushed to the repository with an AWS
// Signer profile (a Notation signature stored beside the image), as the identity that pushed it, so
// no client tool runs in the build (ECR User Guide, "Managed signing"). A registry has one signing
// configuration per account and region: the stack creates it, with a profile, only when no
// ImageSigningProfileArn is given.
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { SigningConfiguration } from '../cfn/extensions.js';
import { SigningProfile } from '../cfn/resources.js';
import type { IntrinsicFunction } from '../intrinsics.js';
import { ifCondition, ref } from '../intrinsics.js';
import { Conditions, Ids, Params } from '../naming.js';
import type { Repository } from './registry.js';

/** Signer's platform for container images signed in the Notation format. */
export const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA';

export interface ImageSigning {
  readonly profile: Part;
  readonly configuration: Part;
  /** The profile that signs the repository's images: the stack's own, or ImageSigningProfileArn. */
  readonly profileArn: IntrinsicFunction;
  readonly outputs: Record<string, Output>;
}

export function imageSigning(repository: Part<Repository>): ImageSigning {
  const profile = part(
    Ids.ImageSigningProfile,
    new SigningProfile({
      PlatformId: NOTATION_PLATFORM,
      // Longer than the repository keeps an image, so a rollback target still verifies.
      SignatureValidityPeriod: { Type: 'YEARS', Value: 2 },
    }).condition(Conditions.CreateImageSigning),
  );
  const configuration = part(
    Ids.RegistrySigningConfiguration,
    new SigningConfiguration({
      Rules: [
        {
          SigningProfileArn: ref(profile),
          RepositoryFilters: [{ Filter: ref(repository), FilterType: 'WILDCARD_MATCH' }],
        },
      ],
    }).condition(Conditions.CreateImageSigning),
  );
  const profileArn = ifCondition(Conditions.CreateImageSigning, ref(profile), ref(Params.ImageSigningProfileArn));
  return {
    profile,
    configuration,
    profileArn,
    outputs: {
      ImageSigningProfileArn: {
        Description:
          'AWS Signer profile whose signature the pipeline checks before deploying (trust it where images run).',
        Value: profileArn,
      },
    },
  };
}
