import { expect } from 'chai';
import type { Statement } from '../../src/iam/policy.js';
import { allow, allowAnyResource } from '../../src/iam/policy.js';
import { ref } from '../../src/intrinsics.js';
import { normalize } from '../../src/render/yaml.js';
import type { PipelineAction, PipelineStage } from '../../src/resources/actions.js';
import { actionProperties, allActions, stageGrants } from '../../src/resources/actions.js';

const action = (name: string, grants?: PipelineAction['grants']): PipelineAction => ({
  name,
  actionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
  configuration: { ProjectName: name },
  ...(grants !== undefined && { grants }),
});
const grantsOf = (stages: PipelineStage[]) => normalize({ grants: stageGrants(stages) })['grants'];
const noValue = { Ref: 'AWS::NoValue' };

describe('resources/actions: pipeline actions carry their grants', () => {
  it('keeps a grant of a chosen action only on its side of the condition', () => {
    const connection = allow('UseConnection', ['codeconnections:UseConnection'], [ref('CodeConnectionArn')]);
    const token = allow('ReadToken', ['secretsmanager:GetSecretValue'], [ref('TokenSecret')]);
    const stages: PipelineStage[] = [
      {
        name: 'Source',
        actions: {
          condition: 'UseCodeConnection',
          whenTrue: [action('Connection', [connection]), action('Mirror')],
          whenFalse: [action('GitHub', [token])],
        },
      },
      { name: 'Build', actions: [action('Build')] },
    ];
    expect(grantsOf(stages)).to.deep.equal([
      { 'Fn::If': ['UseCodeConnection', normalize(connection), noValue] },
      { 'Fn::If': ['UseCodeConnection', noValue, normalize(token)] },
    ]);
    expect(allActions(stages).map((a) => a.name)).to.deep.equal(['Connection', 'Mirror', 'GitHub', 'Build']);
  });

  it('merges the resources of one statement ID granted by several actions, once for "*"', () => {
    const run = (project: string) => allow('RunProjects', ['codebuild:StartBuild'], [project]);
    const describe = allowAnyResource('Describe', ['ecs:DescribeTaskDefinition']);
    const stages: PipelineStage[] = [
      { name: 'Build', actions: [action('A', [run('arn:a'), describe]), action('B', [run('arn:b'), describe])] },
    ];
    expect(grantsOf(stages)).to.deep.equal([
      { Sid: 'RunProjects', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: ['arn:a', 'arn:b'] },
      { Sid: 'Describe', Effect: 'Allow', Action: ['ecs:DescribeTaskDefinition'], Resource: '*' },
    ]);
    expect(run('arn:a').Resource, 'the action’s own statement is left as it was').to.deep.equal(['arn:a']);
  });

  it('refuses one statement ID granted with different actions, naming it', () => {
    const stages: PipelineStage[] = [
      {
        name: 'Build',
        actions: [
          action('A', [allow('Run', ['codebuild:StartBuild'], ['arn:a'])]),
          action('B', [allow('Run', ['codebuild:StartBuild', 'codebuild:StopBuild'], ['arn:b'])]),
        ],
      },
    ];
    expect(() => stageGrants(stages)).to.throw(
      /^pipeline role statement Run: two actions grant it with different actions or conditions$/,
    );
  });

  it('keeps a statement without an ID as it is given', () => {
    const anonymous: Statement = { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] };
    const stages: PipelineStage[] = [{ name: 'Build', actions: [action('A', [anonymous]), action('B', [anonymous])] }];
    expect(stageGrants(stages)).to.deep.equal([anonymous, anonymous]);
  });

  it('writes an action as CloudFormation takes it, every action of a stage at run order 1', () => {
    expect(actionProperties({ ...action('Build'), inputs: ['SourceOutput'], outputs: ['BuildOutput'] })).to.deep.equal({
      Name: 'Build',
      ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
      Configuration: { ProjectName: 'Build' },
      InputArtifacts: [{ Name: 'SourceOutput' }],
      OutputArtifacts: [{ Name: 'BuildOutput' }],
      RunOrder: 1,
    });
    expect(actionProperties(action('Approve'))).to.not.have.any.keys('InputArtifacts', 'OutputArtifacts');
  });
});
