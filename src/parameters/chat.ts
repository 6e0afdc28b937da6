// The "Chat notifications" group: the Slack and Microsoft Teams channels AWS Chatbot posts the
// notification topic to, each optional, with the conditions and rules that read them.
import { and, equals, not, or, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterGroup, ParameterSpec } from './spec.js';

// The AllowedPatterns are the CloudFormation schema's patterns of AWS::Chatbot::SlackChannelConfiguration
// and AWS::Chatbot::MicrosoftTeamsChannelConfiguration, with their lengths folded in and `^$|` for "none".

/** SlackWorkspaceId: `^[0-9A-Z]{1,255}$`, e.g. T0123ABCD. */
export const SLACK_WORKSPACE_PATTERN = '^$|^[0-9A-Z]{1,255}$';
/** SlackChannelId: `^[A-Za-z0-9]+$`, at most 256 characters, e.g. C0123ABCD. */
export const SLACK_CHANNEL_PATTERN = '^$|^[A-Za-z0-9]{1,256}$';
/** TeamsTenantId and TeamId: a GUID, 36 characters. */
export const TEAMS_GUID_PATTERN = '^$|^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$';
/** TeamsChannelId: the URL-encoded channel ID, `19%3a…%40thread.tacv2`. */
export const TEAMS_CHANNEL_PATTERN = '^$|^([a-zA-Z0-9-_=+/.,])*%3[aA]([a-zA-Z0-9-_=+/.,])*%40([a-zA-Z0-9-_=+/.,])*$';

const optionalId = (
  name: string,
  label: string,
  description: string,
  pattern: string,
  constraint: string,
): ParameterSpec => ({
  name,
  label,
  definition: {
    Type: 'String',
    Description: description,
    Default: '',
    AllowedPattern: pattern,
    ConstraintDescription: `empty, or ${constraint}`,
  },
});

export const CHAT_NOTIFICATIONS: ParameterGroup = {
  label: 'Chat notifications (optional, AWS Chatbot)',
  parameters: [
    optionalId(
      Params.SlackWorkspaceId,
      'Slack workspace ID',
      'ID of a Slack workspace already authorised in the AWS Chatbot console (e.g. T0123ABCD); empty for no Slack channel.',
      SLACK_WORKSPACE_PATTERN,
      'a Slack workspace ID of capital letters and digits, such as T0123ABCD',
    ),
    optionalId(
      Params.SlackChannelId,
      'Slack channel ID',
      'ID of the Slack channel that receives the notifications (e.g. C0123ABCD); empty for none.',
      SLACK_CHANNEL_PATTERN,
      'a Slack channel ID of letters and digits, such as C0123ABCD',
    ),
    optionalId(
      Params.TeamsTenantId,
      'Microsoft Teams tenant ID',
      'ID (a GUID) of the Microsoft Entra tenant whose team is authorised in the AWS Chatbot console; empty for no Teams channel.',
      TEAMS_GUID_PATTERN,
      'a GUID such as 01234567-89ab-cdef-0123-456789abcdef',
    ),
    optionalId(
      Params.TeamsTeamId,
      'Microsoft Teams team ID',
      'ID (a GUID) of the team that owns the channel; empty for none.',
      TEAMS_GUID_PATTERN,
      'a GUID such as 01234567-89ab-cdef-0123-456789abcdef',
    ),
    optionalId(
      Params.TeamsChannelId,
      'Microsoft Teams channel ID',
      'URL-encoded ID of the Teams channel, as in its link (e.g. 19%3aabc%40thread.tacv2); empty for none.',
      TEAMS_CHANNEL_PATTERN,
      'a URL-encoded Teams channel ID such as 19%3aabc%40thread.tacv2',
    ),
  ],
};

const given = (name: string) => not(equals(ref(name), ''));
const SLACK = [Params.SlackWorkspaceId, Params.SlackChannelId];
const TEAMS = [Params.TeamsTenantId, Params.TeamsTeamId, Params.TeamsChannelId];

export function chatConditions(): Record<string, unknown> {
  return {
    [Conditions.HasSlackChannel]: and(...SLACK.map(given)),
    [Conditions.HasTeamsChannel]: and(...TEAMS.map(given)),
    [Conditions.HasChatChannel]: or(
      { Condition: Conditions.HasSlackChannel },
      { Condition: Conditions.HasTeamsChannel },
    ),
  };
}

/** A channel's IDs come all together or not at all: one alone would create nothing without a word. */
export function chatRules(): Record<string, unknown> {
  const together = (names: readonly string[], what: string) => ({
    RuleCondition: or(...names.map(given)),
    Assertions: [
      { Assert: and(...names.map(given)), AssertDescription: `${names.join(', ')} are all required for ${what}` },
    ],
  });
  return {
    SlackIdsTogether: together(SLACK, 'a Slack channel'),
    TeamsIdsTogether: together(TEAMS, 'a Microsoft Teams channel'),
  };
}
