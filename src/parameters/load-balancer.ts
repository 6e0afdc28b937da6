// How the load balancer is kept: whether deleting it takes a deliberate second step. The default
// leaves a development stack deletable in one step; production stacks turn protection on.
import { equals, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterSpec } from './spec.js';
import { HTTPS_PARAMETERS, httpsConditions } from './https.js';
import { ACCESS_LOGS, accessLogConditions } from './access-logs.js';

export const DELETION_PROTECTION: ParameterSpec = {
  name: Params.DeletionProtection,
  label: 'Load balancer deletion protection',
  definition: {
    Type: 'String',
    Description:
      'Whether the load balancer refuses deletion (set true for production). A stack with it on is deleted in two steps: update it to false, then delete.',
    Default: 'false',
    AllowedValues: ['true', 'false'],
    ConstraintDescription: 'true or false',
  },
};

/** The load balancer parameters, after the common network ones. */
export const LOAD_BALANCER_PARAMETERS: readonly ParameterSpec[] = [
  DELETION_PROTECTION,
  ACCESS_LOGS,
  ...HTTPS_PARAMETERS,
];

/** Conditions on the load balancer parameters. */
export function loadBalancerConditions(): Record<string, unknown> {
  return {
    [Conditions.IsDeletionProtected]: equals(ref(Params.DeletionProtection), 'true'),
    ...httpsConditions(),
    ...accessLogConditions(),
  };
}
