// The load balancer's access logs: off by default (the log bucket's storage is the cost), and the
// Elastic Load Balancing account that writes them in the Regions that still use one.
import { equals, or, ref } from '../intrinsics.js';
import { Conditions, Mappings, Params } from '../naming.js';
import type { ParameterSpec } from './spec.js';

export const ACCESS_LOGS: ParameterSpec = {
  name: Params.AccessLogs,
  label: 'Load balancer access logs',
  definition: {
    Type: 'String',
    Description:
      'Whether the load balancer writes access logs to a dedicated S3 bucket (SSE-S3, expire after 90 days). Off by default: the logs are S3 storage the stack pays for.',
    Default: 'false',
    AllowedValues: ['true', 'false'],
    ConstraintDescription: 'true or false',
  },
};

/**
 * The Elastic Load Balancing account that delivers access logs in each Region available before
 * August 2022 (Application Load Balancers Guide, "Enable access logs for your Application Load
 * Balancer", step 2); Regions available later take the logdelivery.elasticloadbalancing.amazonaws.com
 * service principal instead.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
  'us-gov-west-1': '048591011584',
  'us-gov-east-1': '190560391635',
};

/** Fn::Or takes at most 10 conditions: the Regions in groups of 10, each group an Or of its own. */
function anyRegion(regions: readonly string[]): unknown {
  const groups: unknown[] = [];
  for (let i = 0; i < regions.length; i += 10) {
    const group = regions.slice(i, i + 10).map((r) => equals(ref('AWS::Region'), r));
    groups.push(group.length === 1 ? group[0] : or(...group));
  }
  return groups.length === 1 ? groups[0] : or(...groups);
}

export function accessLogConditions(): Record<string, unknown> {
  return {
    [Conditions.HasAccessLogs]: equals(ref(Params.AccessLogs), 'true'),
    [Conditions.ElbAccountRegion]: anyRegion(Object.keys(ELB_LOG_ACCOUNTS)),
  };
}

/** Region → the account that delivers the load balancer's access logs there. */
export function accessLogMappings(): Record<string, Record<string, Record<string, string>>> {
  return {
    [Mappings.ElbLogAccounts]: Object.fromEntries(
      Object.entries(ELB_LOG_ACCOUNTS).map(([region, account]) => [region, { Account: account }]),
    ),
  };
}
