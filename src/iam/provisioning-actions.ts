// What the Service Catalog launch role may do: the provisioned stack itself, template checks, and
// per resource type the grants its row in src/cfn/types.ts lists, merged into one statement per scope.
import { RESOURCE_TYPES } from '../cfn/types.js';
import type { ResourceScope } from './provisioning-scopes.js';
import { ANY_RESOURCE } from './provisioning-scopes.js';

/** What Service Catalog does, as the launch role, to the stack it provisions (named `SC-<account>-pp-<id>`). */
export const PROVISIONED_STACK_ACTIONS = [
  'cloudformation:CreateChangeSet',
  'cloudformation:CreateStack',
  'cloudformation:DeleteChangeSet',
  'cloudformation:DeleteStack',
  'cloudformation:DescribeChangeSet',
  'cloudformation:DescribeStackEvents',
  'cloudformation:DescribeStackResource',
  'cloudformation:DescribeStackResources',
  'cloudformation:DescribeStacks',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:GetTemplate',
  'cloudformation:ListChangeSets',
  'cloudformation:ListStackResources',
  'cloudformation:SetStackPolicy',
  'cloudformation:TagResource',
  'cloudformation:UntagResource',
  'cloudformation:UpdateStack',
] as const;

/** Template checks made before any stack exists, so they name no stack. */
export const TEMPLATE_CHECK_ACTIONS = ['cloudformation:GetTemplateSummary', 'cloudformation:ValidateTemplate'] as const;

/** Intrinsic functions CloudFormation resolves with the caller's credentials, and what they call. */
export const INTRINSIC_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // !GetAZs lists the region's zones through EC2 (the API takes no ARN).
  'Fn::GetAZs': ['ec2:DescribeAvailabilityZones'],
};

/** Scoped grants and no-ARN actions the launch role needs for these resource types, merged per scope. */
export interface ProvisioningPermissions {
  /** One entry per scope, actions sorted, scopes sorted by statement ID. */
  readonly scoped: readonly { readonly scope: ResourceScope; readonly actions: readonly string[] }[];
  /** Actions whose API takes no ARN, sorted. */
  readonly anyResource: readonly string[];
}

/**
 * The launch role's permissions for a template of these resource types using these intrinsic
 * functions; throws naming a type that has no row.
 */
export function provisioningPermissions(
  types: Iterable<string>,
  intrinsics: Iterable<string> = [],
): ProvisioningPermissions {
  const scoped = new Map<ResourceScope, Set<string>>();
  const anyResource = new Set([...intrinsics].flatMap((fn) => INTRINSIC_ACTIONS[fn] ?? []));
  for (const type of new Set(types)) {
    const row = RESOURCE_TYPES[type]?.provisioning;
    if (row === undefined) {
      throw new Error(
        `no launch-role row for ${type}: add its provisioning grants to RESOURCE_TYPES in src/cfn/types.ts`,
      );
    }
    for (const grant of row) {
      const into = grant.scope === ANY_RESOURCE ? anyResource : (scoped.get(grant.scope) ?? new Set<string>());
      if (grant.scope !== ANY_RESOURCE) scoped.set(grant.scope, into);
      for (const action of grant.actions) into.add(action);
    }
  }
  return {
    scoped: [...scoped]
      .map(([scope, actions]) => ({ scope, actions: [...actions].sort() }))
      .sort((a, b) => a.scope.sid.localeCompare(b.scope.sid)),
    anyResource: [...anyResource].sort(),
  };
}
