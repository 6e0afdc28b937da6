// Parameters of promotion through environments: which pipeline an environment takes its images from
// and whether it probes itself (environment template); the acceptance tests and the bake time the
// pipeline waits with each environment's alarms quiet before it moves on (pipeline template).
import type { EnvironmentConfig } from '../config.js';
import { equals, ref } from '../intrinsics.js';
import { Conditions, MAX_SUFFIX_LENGTH, Params } from '../naming.js';
import { ENVIRONMENT_SUFFIX } from './pipeline.js';
import type { ParameterGroup, ParameterSpec } from './spec.js';

/** Schedules the probe may run on; its alarm judges five-minute periods, so none is longer. */
export const PROBE_SCHEDULES = ['rate(1 minute)', 'rate(5 minutes)'] as const;

/** The pipeline's suffix: an environment's is `<pipeline suffix>-<name>`, which must still fit every name. */
export function promotingPipelineSuffix(environments: readonly EnvironmentConfig[]): ParameterSpec {
  const longest = Math.max(...environments.map((e) => e.name.length));
  const max = MAX_SUFFIX_LENGTH - 1 - longest;
  return {
    ...ENVIRONMENT_SUFFIX,
    definition: {
      ...ENVIRONMENT_SUFFIX.definition,
      Description: `Suffix of the pipeline's physical names (cicd-<type>-<suffix>); each environment's stack and names carry <suffix>-<environment>. Lowercase letters, digits and inner hyphens, at most ${max} characters.`,
      MaxLength: max,
      ConstraintDescription: `1-${max} lowercase letters, digits and hyphens, starting and ending with a letter or digit (the longest environment name and a hyphen take the rest of ${MAX_SUFFIX_LENGTH})`,
    },
  };
}

/** What the pipeline runs in and waits for at each environment. */
export const PROMOTION: ParameterGroup = {
  label: 'Promotion through environments',
  parameters: [
    {
      name: Params.AcceptanceTestBuildspec,
      label: 'Acceptance-test buildspec path',
      definition: {
        Type: 'String',
        Description:
          "Path, in the application repository, of the buildspec that runs the acceptance tests against each environment after its deployment (SERVICE_URL names the environment's URL).",
        Default: 'buildspecs/acceptance.yml',
        AllowedPattern: '^[A-Za-z0-9_./-]{1,200}\\.ya?ml$',
        ConstraintDescription: 'a relative path of letters, digits and _ . / - ending in .yml or .yaml',
      },
    },
    {
      name: Params.BakeMinutes,
      label: 'Bake time (minutes)',
      definition: {
        Type: 'Number',
        Description:
          "Minutes each environment's alarms must stay quiet after its tests before the release moves on (the stage's OnSuccess condition).",
        Default: 10,
        MinValue: 1,
        MaxValue: 60,
        ConstraintDescription: 'a whole number of minutes, 1-60',
      },
    },
  ],
};

/** The environment template's own: the pipeline it takes images from, and its probe. */
export const ENVIRONMENT_PARAMETERS: ParameterGroup = {
  label: 'Environment',
  parameters: [
    {
      ...ENVIRONMENT_SUFFIX,
      definition: {
        ...ENVIRONMENT_SUFFIX.definition,
        Description: `Suffix of this environment's physical names: <pipeline suffix>-<environment>, as \`cfn-cicd deploy --env\` sets it. At most ${MAX_SUFFIX_LENGTH} characters.`,
      },
    },
    {
      name: Params.PipelineSuffix,
      label: 'Pipeline suffix',
      definition: {
        Type: 'String',
        Description:
          'EnvironmentSuffix of the pipeline stack that releases into this environment: its image repository is the one the tasks may pull from.',
        AllowedPattern: ENVIRONMENT_SUFFIX.definition.AllowedPattern as string,
        MinLength: 1,
        MaxLength: MAX_SUFFIX_LENGTH,
        ConstraintDescription: '1-16 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
      },
      fixedAfterCreate:
        "the tasks pull only from that pipeline's repository; create another environment stack for another pipeline",
    },
    {
      name: Params.SyntheticProbe,
      label: 'Synthetic probe',
      definition: {
        Type: 'String',
        Description:
          'true: a scheduled probe requests the production URL and alarms when it fails or stops (cfn-cicd deploy --env turns it off for the first environment only).',
        Default: 'true',
        AllowedValues: ['true', 'false'],
        ConstraintDescription: 'true or false',
      },
    },
    {
      name: Params.SyntheticProbeSchedule,
      label: 'Synthetic probe schedule',
      definition: {
        Type: 'String',
        Description: 'How often the probe runs (each run is two requests).',
        Default: 'rate(5 minutes)',
        AllowedValues: [...PROBE_SCHEDULES],
        ConstraintDescription: PROBE_SCHEDULES.join(' or '),
      },
    },
  ],
};

export const environmentConditions = (): Record<string, unknown> => ({
  [Conditions.HasSyntheticProbe]: equals(ref(Params.SyntheticProbe), 'true'),
});
