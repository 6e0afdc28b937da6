// The five-stage pipeline: Source → Build → Test (unit ∥ integration) → SecurityScan → Deploy.
// Source is GitHub (token by dynamic reference + HMAC webhook) or, when CodeConnectionArn is
// set, a CodeConnections connection with no token and no webhook.
import { Secret, Webhook } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { PipelineV2, retain } from '../cfn/extensions.js';
import {
  ARTIFACT_BUCKET_INFO,
  ARTIFACT_READ,
  ARTIFACT_WRITE,
  CODEBUILD_RUN,
  CODECONNECTIONS_USE,
  CODEDEPLOY_APPLICATION,
  CODEDEPLOY_CONFIG,
  CODEDEPLOY_DEPLOY,
  ECS_DESCRIBE_TASK_DEFINITION,
  ECS_REGISTER_TASK_DEFINITION,
  KMS_ARTIFACTS,
} from '../iam/actions.js';
import type { Role } from '../iam/policy.js';
import { allow, allowAnyResource, passRole, serviceRole } from '../iam/policy.js';
import type { IntrinsicFunction } from '../intrinsics.js';
import { getAtt, ifCondition, noValue, ref, sub } from '../intrinsics.js';
import { Conditions, Ids, Params, physicalName, physicalNameText } from '../naming.js';
import type { ArtifactStore } from './artifacts.js';
import type { BuildProjects } from './build.js';
import { DEPLOY_ARTIFACT_FILES } from './build.js';
import type { BlueGreenDeployment } from './deployment.js';
import type { Key } from './encryption.js';
import type { FargateService } from './service.js';

/** Stage names, in order; tests and docs read them from here. */
export const STAGES = ['Source', 'Build', 'Test', 'SecurityScan', 'Deploy'] as const;
/** Artifact names passed between stages. */
export const ARTIFACTS = { source: 'SourceOutput', build: 'BuildOutput' } as const;
/** Name of the container whose image CodePipeline substitutes in taskdef.json. */
export const IMAGE_PLACEHOLDER_NAME = 'IMAGE1_NAME';

export interface PipelineProps {
  readonly key: Part<Key>;
  readonly artifacts: ArtifactStore;
  readonly builds: BuildProjects;
  readonly service: FargateService;
  readonly deployment: BlueGreenDeployment;
}

export interface DeliveryPipeline {
  readonly pipeline: Part;
  readonly role: Part<Role>;
  readonly webhookSecret: Part;
  readonly webhook: Part;
  readonly parts: readonly Part[];
  readonly outputs: Record<string, Output>;
}

const codeBuildAction = (name: string, project: Part, input: string, runOrder: number, output?: string) => ({
  Name: name,
  ActionTypeId: { Category: name === 'Build' ? 'Build' : 'Test', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
  Configuration: { ProjectName: ref(project) },
  InputArtifacts: [{ Name: input }],
  ...(output && { OutputArtifacts: [{ Name: output }] }),
  RunOrder: runOrder,
});

/** The Source stage's one action: a CodeConnections connection when given, else GitHub with a token. */
function sourceActions(): IntrinsicFunction {
  const output = [{ Name: ARTIFACTS.source }];
  const github = {
    Name: 'GitHub',
    ActionTypeId: { Category: 'Source', Owner: 'ThirdParty', Provider: 'GitHub', Version: '1' },
    Configuration: {
      Owner: ref(Params.GitHubOwner),
      Repo: ref(Params.GitHubRepo),
      Branch: ref(Params.GitHubBranch),
      OAuthToken: sub(
        `{{resolve:secretsmanager:\${${Params.GitHubTokenSecretArn}}:SecretString:\${${Params.GitHubTokenSecretKey}}}}`,
      ),
      // The webhook starts the pipeline; polling would cost API calls and delay.
      PollForSourceChanges: false,
    },
    OutputArtifacts: output,
    RunOrder: 1,
  };
  const connection = {
    Name: 'GitHub',
    ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'CodeStarSourceConnection', Version: '1' },
    Configuration: {
      ConnectionArn: ref(Params.CodeConnectionArn),
      FullRepositoryId: sub(`\${${Params.GitHubOwner}}/\${${Params.GitHubRepo}}`),
      BranchName: ref(Params.GitHubBranch),
      OutputArtifactFormat: 'CODE_ZIP',
      DetectChanges: true,
    },
    OutputArtifacts: output,
    RunOrder: 1,
  };
  return ifCondition(Conditions.UseCodeConnection, [connection], [github]);
}

export function deliveryPipeline(props: PipelineProps): DeliveryPipeline {
  const { builds, deployment, service } = props;
  const projects = [builds.buildAndPush, builds.unitTests, builds.integrationTests, builds.securityScan];
  const pipelineName = physicalNameText('pipeline');
  const role = serviceRole({
    id: Ids.PipelineRole,
    nameType: 'pipeline-role',
    service: 'codepipeline.amazonaws.com',
    description: `CodePipeline ${pipelineName}`,
    sourceArn: sub(`arn:\${AWS::Partition}:codepipeline:\${AWS::Region}:\${AWS::AccountId}:${pipelineName}`),
    // CodePipeline's service-role pages show no confused-deputy keys on AssumeRole.
    confusedDeputyKeysOptional: true,
    statements: [
      allow('ReadArtifactBucket', ARTIFACT_BUCKET_INFO, [getAtt(props.artifacts.bucket, 'Arn')]),
      allow(
        'ReadWriteArtifacts',
        [...ARTIFACT_READ, ...ARTIFACT_WRITE],
        [sub(`\${${props.artifacts.bucket.id}.Arn}/*`)],
      ),
      allow('UseStackKey', KMS_ARTIFACTS, [getAtt(props.key, 'Arn')]),
      allow(
        'RunTheseBuildProjects',
        CODEBUILD_RUN,
        projects.map((p) => getAtt(p.project, 'Arn')),
      ),
      allow('DeployToThisGroup', CODEDEPLOY_DEPLOY, [
        sub(
          `arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:\${${deployment.application.id}}/\${${deployment.deploymentGroup.id}}`,
        ),
      ]),
      allow('RegisterRevisionsOfThisApplication', CODEDEPLOY_APPLICATION, [
        sub(
          `arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:application:\${${deployment.application.id}}`,
        ),
      ]),
      allow('ReadTheChosenDeploymentConfig', CODEDEPLOY_CONFIG, [
        sub(
          'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:CodeDeployDefault.ECS*',
        ),
      ]),
      allow('RegisterRevisionsOfTheTaskFamily', ECS_REGISTER_TASK_DEFINITION, [
        sub(
          `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/${physicalNameText('app')}:*`,
        ),
      ]),
      allowAnyResource('DescribeTaskDefinitions', ECS_DESCRIBE_TASK_DEFINITION),
      passRole(
        'PassOnlyTheTaskRoles',
        [getAtt(service.executionRole, 'Arn'), getAtt(service.taskRole, 'Arn')],
        'ecs-tasks.amazonaws.com',
      ),
      ifCondition(
        Conditions.UseCodeConnection,
        allow('UseThisConnection', CODECONNECTIONS_USE, [ref(Params.CodeConnectionArn)]),
        noValue(),
      ),
    ],
  });

  const deployAction = {
    Name: 'BlueGreen',
    ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CodeDeployToECS', Version: '1' },
    Configuration: {
      ApplicationName: ref(deployment.application),
      DeploymentGroupName: ref(deployment.deploymentGroup),
      TaskDefinitionTemplateArtifact: ARTIFACTS.build,
      TaskDefinitionTemplatePath: DEPLOY_ARTIFACT_FILES.taskDefinition,
      AppSpecTemplateArtifact: ARTIFACTS.build,
      AppSpecTemplatePath: DEPLOY_ARTIFACT_FILES.appSpec,
      Image1ArtifactName: ARTIFACTS.build,
      Image1ContainerName: IMAGE_PLACEHOLDER_NAME,
    },
    InputArtifacts: [{ Name: ARTIFACTS.build }],
    RunOrder: 1,
  };
  const pipeline = part(
    Ids.Pipeline,
    new PipelineV2({
      Name: physicalName('pipeline'),
      RoleArn: getAtt(role, 'Arn'),
      PipelineType: 'V2',
      // The newest commit wins: a waiting execution is superseded, a running stage finishes.
      ExecutionMode: 'SUPERSEDED',
      RestartExecutionOnUpdate: false,
      ArtifactStore: {
        Type: 'S3',
        Location: ref(props.artifacts.bucket),
        EncryptionKey: { Type: 'KMS', Id: getAtt(props.key, 'Arn') },
      },
      Stages: [
        { Name: 'Source', Actions: sourceActions() },
        {
          Name: 'Build',
          Actions: [codeBuildAction('Build', builds.buildAndPush.project, ARTIFACTS.source, 1, ARTIFACTS.build)],
        },
        {
          Name: 'Test',
          Actions: [
            codeBuildAction('UnitTests', builds.unitTests.project, ARTIFACTS.source, 1),
            codeBuildAction('IntegrationTests', builds.integrationTests.project, ARTIFACTS.source, 1),
          ],
        },
        {
          Name: 'SecurityScan',
          Actions: [codeBuildAction('ImageScanGate', builds.securityScan.project, ARTIFACTS.build, 1)],
        },
        { Name: 'Deploy', Actions: [deployAction] },
      ],
    }),
  );
  const webhookSecret = part(
    Ids.WebhookSecret,
    retain(
      new Secret({
        Name: physicalName('webhook-secret'),
        Description: 'HMAC secret GitHub signs webhook deliveries with',
        KmsKeyId: getAtt(props.key, 'Arn'),
        GenerateSecretString: {
          SecretStringTemplate: '{}',
          GenerateStringKey: 'token',
          PasswordLength: 40,
          ExcludePunctuation: true,
        },
      }),
    ).condition(Conditions.UseGitHubWebhook),
  );
  const webhook = part(
    Ids.PipelineWebhook,
    new Webhook({
      Name: physicalName('webhook'),
      Authentication: 'GITHUB_HMAC',
      AuthenticationConfiguration: {
        SecretToken: sub(`{{resolve:secretsmanager:\${${Ids.WebhookSecret}}:SecretString:token}}`),
      },
      Filters: [{ JsonPath: '$.ref', MatchEquals: 'refs/heads/{Branch}' }],
      TargetPipeline: ref(pipeline),
      TargetAction: 'GitHub',
      TargetPipelineVersion: getAtt(pipeline, 'Version'),
      RegisterWithThirdParty: true,
    }).condition(Conditions.UseGitHubWebhook),
  );
  return {
    pipeline,
    role,
    webhookSecret,
    webhook,
    parts: [role, pipeline, webhookSecret, webhook],
    outputs: {
      PipelineName: { Description: 'CodePipeline name.', Value: ref(pipeline) },
      PipelineConsoleUrl: {
        Description: 'The pipeline in the AWS console.',
        Value: sub(
          `https://\${AWS::Region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/\${${Ids.Pipeline}}/view?region=\${AWS::Region}`,
        ),
      },
      WebhookUrl: {
        Description: 'GitHub webhook URL registered for the pipeline (GitHub token source only).',
        Value: getAtt(webhook, 'Url'),
        Condition: Conditions.UseGitHubWebhook,
      },
    },
  };
}
