// The template's inputs: each parameter with its constraint, and the console form that groups
// and labels them (AWS::CloudFormation::Interface).
import type { ParameterDefinition } from './cfn/template.js';
import { equals, not, ref } from './intrinsics.js';
import { Conditions, MAX_SUFFIX_LENGTH, Params } from './naming.js';

/** A parameter with the group and label the console shows for it. */
export interface ParameterSpec {
  readonly name: string;
  readonly group: string;
  readonly label: string;
  readonly definition: ParameterDefinition;
}

export const Groups = {
  Environment: 'Environment',
  Source: 'Source repository',
  Notifications: 'Notifications',
} as const;

/** Partition, region and account of a Secrets Manager secret ARN; the name ends in the service's 6-character suffix. */
const SECRET_ARN_PATTERN =
  '^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6}$';

const ENVIRONMENT_SUFFIX: ParameterSpec = {
  name: Params.EnvironmentSuffix,
  group: Groups.Environment,
  label: 'Environment suffix',
  definition: {
    Type: 'String',
    Description: `Suffix of every physical name (cicd-<type>-<suffix>), e.g. dev or prod. Lowercase letters, digits and inner hyphens, at most ${MAX_SUFFIX_LENGTH} characters.`,
    AllowedPattern: '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$',
    MinLength: 1,
    MaxLength: MAX_SUFFIX_LENGTH,
    ConstraintDescription: `1-${MAX_SUFFIX_LENGTH} lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
  },
};

/** Where the application's source comes from; the pipeline's Source stage uses them. */
export const SOURCE_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.GitHubTokenSecretArn,
    group: Groups.Source,
    label: 'GitHub token secret ARN',
    definition: {
      Type: 'String',
      Description: 'ARN of the Secrets Manager secret that holds the GitHub personal access token.',
      AllowedPattern: SECRET_ARN_PATTERN,
      ConstraintDescription:
        'a Secrets Manager secret ARN: arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>',
    },
  },
  {
    name: Params.GitHubOwner,
    group: Groups.Source,
    label: 'GitHub owner',
    definition: {
      Type: 'String',
      Description: 'GitHub user or organisation that owns the application repository.',
      AllowedPattern: '^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$',
      ConstraintDescription: '1-39 letters, digits and single inner hyphens (a GitHub user or organisation name)',
    },
  },
  {
    name: Params.GitHubRepo,
    group: Groups.Source,
    label: 'GitHub repository',
    definition: {
      Type: 'String',
      Description: 'Name of the application repository (without the owner).',
      AllowedPattern: '^[A-Za-z0-9_.-]{1,100}$',
      ConstraintDescription: '1-100 letters, digits, underscores, dots and hyphens',
    },
  },
  {
    name: Params.GitHubBranch,
    group: Groups.Source,
    label: 'GitHub branch',
    definition: {
      Type: 'String',
      Description: 'Branch whose pushes start the pipeline.',
      Default: 'main',
      AllowedPattern: '^[A-Za-z0-9._/-]{1,100}$',
      ConstraintDescription: '1-100 letters, digits and . _ / - (a git branch name)',
    },
  },
];

const NOTIFICATION_EMAIL: ParameterSpec = {
  name: Params.NotificationEmail,
  group: Groups.Notifications,
  label: 'Notification e-mail (optional)',
  definition: {
    Type: 'String',
    Description: 'E-mail address subscribed to pipeline notifications; leave empty for none.',
    Default: '',
    AllowedPattern: '^$|^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\\.[A-Za-z]{2,24}$',
    ConstraintDescription: 'empty, or an e-mail address such as team@example.com',
  },
};

export const PIPELINE_PARAMETERS: readonly ParameterSpec[] = [ENVIRONMENT_SUFFIX, NOTIFICATION_EMAIL];

/** Conditions derived from parameters. */
export const PIPELINE_CONDITIONS = {
  [Conditions.HasNotificationEmail]: not(equals(ref(Params.NotificationEmail), '')),
};

/** Parameters section of a template. */
export function parametersSection(specs: readonly ParameterSpec[]): Record<string, ParameterDefinition> {
  return Object.fromEntries(specs.map((s) => [s.name, s.definition]));
}

/** AWS::CloudFormation::Interface: groups in first-seen order, each parameter labelled. */
export function interfaceMetadata(specs: readonly ParameterSpec[]): Record<string, unknown> {
  const groups = [...new Set(specs.map((s) => s.group))];
  return {
    'AWS::CloudFormation::Interface': {
      ParameterGroups: groups.map((g) => ({
        Label: { default: g },
        Parameters: specs.filter((s) => s.group === g).map((s) => s.name),
      })),
      ParameterLabels: Object.fromEntries(specs.map((s) => [s.name, { default: s.label }])),
    },
  };
}
