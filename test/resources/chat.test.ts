import { expect } from 'chai';
import { ALARMS_READ } from '../../src/iam/actions.js';
import { CHAT_LOGGING_LEVEL, PIPELINE_READ } from '../../src/resources/chat.js';
import { PARAMETER_VALUES } from '../fixtures/parameter-values.js';
import type { CfnTemplate } from '../helpers.js';
import { brokenRules, emittedTemplates, resource, resourcesOfType } from '../helpers.js';
import { venvPython } from '../venv.js';

const pipelines = emittedTemplates().filter((t) => t.file.endsWith('cicd-pipeline.yaml'));

/** Each parameter and the property of the channel configuration it feeds. */
const FEEDS = {
  SlackWorkspaceId: ['AWS::Chatbot::SlackChannelConfiguration', 'SlackWorkspaceId'],
  SlackChannelId: ['AWS::Chatbot::SlackChannelConfiguration', 'SlackChannelId'],
  TeamsTenantId: ['AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 'TeamsTenantId'],
  TeamsTeamId: ['AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 'TeamId'],
  TeamsChannelId: ['AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 'TeamsChannelId'],
} as const;

/** Of each value, whether cfn-lint's pinned schema admits it for the property (its pattern and lengths). */
function schemaAdmits(cases: readonly { type: string; property: string; value: string }[]): boolean[] {
  return venvPython<boolean[]>(
    `
import json, os, re, sys, cfnlint
base = os.path.join(os.path.dirname(cfnlint.__file__), 'data', 'schemas')
providers = json.load(open(os.path.join(base, 'providers', 'us-east-1.json')))
out = []
for c in json.load(sys.stdin):
    p = json.load(open(os.path.join(base, 'resources', providers[c['type']] + '.json')))['properties'][c['property']]
    v = c['value']
    out.append(re.search(p['pattern'], v) is not None and p.get('minLength', 0) <= len(v) <= p.get('maxLength', 10**9))
print(json.dumps(out))`,
    JSON.stringify(cases),
  );
}

describe('resources/chat: Slack and Teams channels through AWS Chatbot', () => {
  it('each parameter admits exactly what the schema admits for its property, or empty', () => {
    const cases = Object.entries(FEEDS).flatMap(([name, [type, property]]) => {
      const row = PARAMETER_VALUES[name];
      if (row === undefined) throw new Error(`no fixture row for ${name}`);
      return [
        ...row.good.filter((v) => v !== '').map((value) => ({ type, property, value, admitted: true })),
        ...row.bad.map(([value]) => ({ type, property, value, admitted: false })),
      ];
    });
    const verdicts = schemaAdmits(cases);
    expect(cases.filter((c, i) => verdicts[i] !== c.admitted).map((c) => `${c.property} ${c.value}`)).to.deep.equal([]);
  });

  for (const { file, template } of pipelines) {
    describe(file, () => {
      const slack = resource(template, 'SlackChannelConfiguration');
      const teams = resource(template, 'TeamsChannelConfiguration');
      const conditions = (template as CfnTemplate & { Conditions: Record<string, unknown> }).Conditions;

      it('creates each channel only when all its IDs are given, and the role and guardrail only with a channel', () => {
        expect(slack.Condition).to.equal('HasSlackChannel');
        expect(teams.Condition).to.equal('HasTeamsChannel');
        const given = (p: string) => ({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: p }, ''] }] });
        expect(conditions['HasSlackChannel']).to.deep.equal({
          'Fn::And': [given('SlackWorkspaceId'), given('SlackChannelId')],
        });
        expect(conditions['HasTeamsChannel']).to.deep.equal({
          'Fn::And': [given('TeamsTenantId'), given('TeamsTeamId'), given('TeamsChannelId')],
        });
        for (const id of ['ChatChannelRole', 'ChatGuardrailPolicy']) {
          expect(resource(template, id).Condition, id).to.equal('HasChatChannel');
        }
      });

      it('refuses a channel’s IDs given in part, before any change', () => {
        expect(brokenRules(template, {})).to.deep.equal([]);
        expect(brokenRules(template, { SlackWorkspaceId: 'T0123ABCD', SlackChannelId: 'C0123ABCD' })).to.deep.equal([]);
        expect(brokenRules(template, { SlackWorkspaceId: 'T0123ABCD' })).to.deep.equal([
          'rule SlackIdsTogether is broken: SlackWorkspaceId, SlackChannelId are all required for a Slack channel',
        ]);
        expect(brokenRules(template, { TeamsChannelId: '19%3aabc%40thread.tacv2' })).to.deep.equal([
          'rule TeamsIdsTogether is broken: TeamsTenantId, TeamsTeamId, TeamsChannelId are all required for a Microsoft Teams channel',
        ]);
      });

      it('subscribes each channel to the notification topic, named, tagged, logging errors, guarded read-only', () => {
        for (const [config, type] of [
          [slack, 'slack'],
          [teams, 'teams'],
        ] as const) {
          const p = config.Properties;
          expect(p['SnsTopicArns']).to.deep.equal([{ Ref: 'NotificationTopic' }]);
          expect(p['ConfigurationName']).to.deep.equal({ 'Fn::Sub': `cicd-${type}-\${EnvironmentSuffix}` });
          expect(p['LoggingLevel']).to.equal(CHAT_LOGGING_LEVEL).and.equal('ERROR');
          expect(p['IamRoleArn']).to.deep.equal({ 'Fn::GetAtt': ['ChatChannelRole', 'Arn'] });
          expect(p['GuardrailPolicies']).to.deep.equal([{ Ref: 'ChatGuardrailPolicy' }]);
          expect(p['UserRoleRequired']).to.equal(false);
          expect((p['Tags'] as { Key: string }[]).map((t) => t.Key)).to.include.members([
            'Environment',
            'ManagedBy',
            'Project',
          ]);
        }
      });

      it('gives the channel role no permission and trusts only Chatbot for this account', () => {
        const role = resource(template, 'ChatChannelRole').Properties;
        expect(role).to.not.have.property('Policies');
        expect(role).to.not.have.property('ManagedPolicyArns');
        expect(role['AssumeRolePolicyDocument']).to.deep.equal({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'chatbot.amazonaws.com' },
              Action: ['sts:AssumeRole'],
              Condition: { StringEqualsIfExists: { 'aws:SourceAccount': { 'Fn::Sub': '${AWS::AccountId}' } } },
            },
          ],
        });
      });

      it('lets the guardrail read this pipeline and the stack’s alarms, and nothing that writes', () => {
        const statements = resource(template, 'ChatGuardrailPolicy').Properties['PolicyDocument'] as {
          Statement: { Effect: string; Action: string[]; Resource: unknown[] }[];
        };
        const actions = statements.Statement.flatMap((s) => s.Action);
        expect(actions.sort()).to.deep.equal([...PIPELINE_READ, ...ALARMS_READ].sort());
        for (const a of actions) expect(a, a).to.match(/^[a-z]+:(Get|List|Describe)[A-Za-z]+$/);
        expect(statements.Statement.every((s) => s.Effect === 'Allow' && !s.Resource.includes('*'))).to.equal(true);
        const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id]) => ({
          'Fn::GetAtt': [id, 'Arn'],
        }));
        expect(statements.Statement[1]?.Resource).to.have.deep.members(alarms);
      });
    });
  }
});
