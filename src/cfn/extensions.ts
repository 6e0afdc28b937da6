// Typed additions to cloudform-types, whose resource spec stops in late 2023. Anything newer
// that our builders set lives here, typed, so no builder needs `any` or an untyped cast.
// cfn-lint (pinned, current) is the authority these types were checked against.
import type { ResourceBase } from 'cloudform-types/types/resource.js';

/** What CloudFormation does with a resource's old physical instance on replacement or stack deletion. */
export type RetentionPolicy = 'Delete' | 'Retain' | 'Snapshot';

/** Resource attribute missing from cloudform's ResourceBase. */
export interface WithUpdateReplacePolicy {
  UpdateReplacePolicy?: RetentionPolicy;
}

/**
 * Keeps a stateful resource (and its data) when the stack is deleted or the resource replaced.
 * Sets DeletionPolicy and UpdateReplacePolicy together so they cannot disagree.
 */
export function retain<R extends ResourceBase>(resource: R): R & WithUpdateReplacePolicy {
  const kept = resource.deletionPolicy('Retain' as never) as R & WithUpdateReplacePolicy;
  kept.UpdateReplacePolicy = 'Retain';
  return kept;
}

/** A checkov check this resource deliberately does not meet, and why. */
export interface CheckovSkip {
  readonly id: string;
  readonly comment: string;
}

/** Records checkov skips in the resource's Metadata, where checkov and reviewers read them. */
export function skipCheckov<R extends ResourceBase>(resource: R, skips: readonly CheckovSkip[]): R {
  return resource.metadata({ ...(resource.Metadata ?? {}), checkov: { skip: skips.map((s) => ({ ...s })) } });
}
