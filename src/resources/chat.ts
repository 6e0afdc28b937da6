// Chat notifications: AWS Chatbot (Amazon Q Developer in chat applications) channel configurations
// that post the notification topic's messages to Slack and Microsoft Teams, each only when its IDs
// are given. The channel may only read: its role holds no permission and its guardrail is a
// customer-managed policy of read actions on this stack's pipeline and alarms.
import { ManagedPolicy, MicrosoftTeamsChannelConfiguration, SlackChannelConfiguration } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { ALARMS_READ } from '../iam/actions.js';
import type { Role } from '../iam/policy.js';
import { allow, policyDocument, serviceRole } from '../iam/policy.js';
import type { Named } from '../intrinsics.js';
import { arn, getAtt, ref } from '../intrinsics.js';
import { Conditions, Ids, Params, physicalName } from '../naming.js';

/** The service principal Chatbot assumes a channel role as. */
export const CHATBOT_SERVICE = 'chatbot.amazonaws.com';

/** Chatbot's log level: errors only, so delivery failures show without logging every message. */
export const CHAT_LOGGING_LEVEL = 'ERROR';

/** Reading a pipeline's state and history: what a person in the channel may look up, nothing it can change. */
export const PIPELINE_READ = [
  'codepipeline:GetPipeline',
  'codepipeline:GetPipelineExecution',
  'codepipeline:GetPipelineState',
  'codepipeline:ListActionExecutions',
  'codepipeline:ListPipelineExecutions',
] as const;

/** What the chat channels post and what their guardrail may read. */
export interface ChatChannelsProps {
  /** Topic whose messages the channels receive. */
  readonly topic: Named;
  /** Logical ID of the pipeline whose state the guardrail lets the channel read. */
  readonly pipelineId: string;
  /** Logical IDs of the alarms whose state the guardrail lets the channel read. @default - none */
  readonly alarmIds?: readonly string[];
}

export interface ChatChannels {
  readonly role: Part<Role>;
  readonly guardrail: Part<InstanceType<typeof ManagedPolicy>>;
  readonly slack: Part<InstanceType<typeof SlackChannelConfiguration>>;
  readonly teams: Part<InstanceType<typeof MicrosoftTeamsChannelConfiguration>>;
  readonly parts: readonly Part[];
}

export function chatChannels(props: ChatChannelsProps): ChatChannels {
  const role = part(
    Ids.ChatChannelRole,
    serviceRole({
      id: Ids.ChatChannelRole,
      nameType: 'chat-channel',
      description:
        'Assumed by AWS Chatbot for the cicd chat channels; notifications need no permission, so it has none.',
      service: CHATBOT_SERVICE,
      // The Chatbot guide's channel-role trust policy shows no confused-deputy keys: IfExists binds them when sent.
      confusedDeputyKeysOptional: true,
      statements: [],
    }).resource.condition(Conditions.HasChatChannel),
  );
  const guardrail = part(
    Ids.ChatGuardrailPolicy,
    new ManagedPolicy({
      ManagedPolicyName: physicalName('chat-guardrail'),
      Description: 'Guardrail of the cicd chat channels: read this pipeline and its alarms, change nothing.',
      PolicyDocument: policyDocument([
        allow('ReadThisPipeline', PIPELINE_READ, [arn('codepipeline', `\${${props.pipelineId}}`)]),
        ...((props.alarmIds ?? []).length > 0
          ? [
              allow(
                'ReadThisStacksAlarms',
                ALARMS_READ,
                (props.alarmIds ?? []).map((id) => getAtt(id, 'Arn')),
              ),
            ]
          : []),
      ]),
    }).condition(Conditions.HasChatChannel),
  );
  const common = {
    IamRoleArn: getAtt(role, 'Arn'),
    SnsTopicArns: [ref(props.topic)],
    GuardrailPolicies: [ref(guardrail)],
    LoggingLevel: CHAT_LOGGING_LEVEL,
    UserRoleRequired: false,
  };
  const slack = part(
    Ids.SlackChannel,
    new SlackChannelConfiguration({
      ConfigurationName: physicalName('slack'),
      SlackWorkspaceId: ref(Params.SlackWorkspaceId),
      SlackChannelId: ref(Params.SlackChannelId),
      ...common,
    }).condition(Conditions.HasSlackChannel),
  );
  const teams = part(
    Ids.TeamsChannel,
    new MicrosoftTeamsChannelConfiguration({
      ConfigurationName: physicalName('teams'),
      TeamsTenantId: ref(Params.TeamsTenantId),
      TeamId: ref(Params.TeamsTeamId),
      TeamsChannelId: ref(Params.TeamsChannelId),
      ...common,
    }).condition(Conditions.HasTeamsChannel),
  );
  return { role, guardrail, slack, teams, parts: [role, guardrail, slack, teams] };
}
