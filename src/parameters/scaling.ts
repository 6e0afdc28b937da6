// The "Autoscaling" group: how the service's task count follows load (Application Auto Scaling),
// with its rule and condition.
import { equals, not, or, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterGroup, ParameterSpec } from './spec.js';

/** Task counts offered; the lists are exact texts so the template's rule can compare them. */
const MIN_TASKS = Array.from({ length: 10 }, (_, i) => i + 1);
const MAX_TASKS = Array.from({ length: 20 }, (_, i) => i + 1);

const SCALING_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.Autoscaling,
    label: 'Scale the task count with load',
    definition: {
      Type: 'String',
      Description:
        'Whether Application Auto Scaling keeps the task count between MinTasks and MaxTasks by CPU and by requests per task; disabled keeps DesiredCount tasks.',
      Default: 'disabled',
      AllowedValues: ['enabled', 'disabled'],
      ConstraintDescription: 'enabled or disabled',
    },
  },
  {
    name: Params.MinTasks,
    label: 'Fewest tasks (with autoscaling)',
    definition: {
      Type: 'Number',
      Description: 'Tasks the scaler never goes below.',
      Default: 1,
      AllowedValues: MIN_TASKS,
      ConstraintDescription: 'a whole number from 1 to 10',
    },
  },
  {
    name: Params.MaxTasks,
    label: 'Most tasks (with autoscaling)',
    definition: {
      Type: 'Number',
      Description: 'Tasks the scaler never goes above; at least MinTasks.',
      Default: 4,
      AllowedValues: MAX_TASKS,
      ConstraintDescription: 'a whole number from 1 to 20',
    },
  },
  {
    name: Params.ScalingCpuTarget,
    label: 'Target average CPU (%)',
    definition: {
      Type: 'Number',
      Description: "Average CPU utilisation of the service's tasks the scaler keeps near.",
      Default: 60,
      MinValue: 10,
      MaxValue: 90,
      ConstraintDescription: 'a whole number of percent from 10 to 90',
    },
  },
  {
    name: Params.ScalingRequestsPerTask,
    label: 'Target requests per task per minute',
    definition: {
      Type: 'Number',
      Description:
        'Load balancer requests per task per minute the scaler keeps near, counted on whichever target group serves production.',
      Default: 1000,
      MinValue: 10,
      MaxValue: 100000,
      ConstraintDescription: 'a whole number from 10 to 100000',
    },
  },
];

export const AUTOSCALING: ParameterGroup = { label: 'Autoscaling', parameters: SCALING_PARAMETERS };

/**
 * MaxTasks at least MinTasks, checked before any change (Application Auto Scaling refuses the target
 * otherwise). Rules compare texts only, so each MinTasks value lists the MaxTasks values below it.
 */
export function scalingRules(): Record<string, unknown> {
  return {
    MaxTasksAtLeastMinTasks: {
      RuleCondition: equals(ref(Params.Autoscaling), 'enabled'),
      Assertions: MIN_TASKS.slice(1).map((min) => ({
        Assert: or(
          not(equals(ref(Params.MinTasks), String(min))),
          not({ 'Fn::Contains': [MAX_TASKS.filter((max) => max < min).map(String), ref(Params.MaxTasks)] }),
        ),
        AssertDescription: `MaxTasks must be at least MinTasks (${min})`,
      })),
    },
  };
}

export function scalingConditions(): Record<string, unknown> {
  return { [Conditions.HasAutoscaling]: equals(ref(Params.Autoscaling), 'enabled') };
}
