// The pipeline template as a content-addressed S3 object: the key is the SHA-256 of its bytes, so
// the same template always lands on the same key and a changed one never overwrites an old one.
import { createHash } from 'node:crypto';

/** Key prefix of published pipeline templates. */
export const TEMPLATE_KEY_PREFIX = 'cfn-cicd/cicd-pipeline/';

/** A template ready to upload. */
export interface TemplateArtifact {
  readonly body: Buffer;
  /** Hex SHA-256 of `body`. */
  readonly sha256: string;
  /** `cfn-cicd/cicd-pipeline/<sha256>.yaml`. */
  readonly key: string;
  /** Version name used when none is given: `v-` and the first 12 hex digits. */
  readonly defaultVersion: string;
}

export function templateArtifact(body: Buffer): TemplateArtifact {
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { body, sha256, key: `${TEMPLATE_KEY_PREFIX}${sha256}.yaml`, defaultVersion: `v-${sha256.slice(0, 12)}` };
}

/** Virtual-hosted HTTPS URL of an object, the form Service Catalog loads templates from. */
export function objectUrl(bucket: string, region: string, key: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${suffix}/${key}`;
}
