import { expect } from 'chai';
import yaml from 'js-yaml';
import { ANY_RESOURCE_ACTIONS } from '../../src/iam/any-resource.js';
import type { CfnResource } from '../helpers.js';
import { buildspecShellText, renderedPipeline, resource, resourcesOfType } from '../helpers.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

const template = renderedPipeline();

const statementsOf = (role: CfnResource): Statement[] =>
  (role.Properties.Policies ?? []).flatMap(
    (p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement,
  );

describe('pipeline', () => {
  const pipeline = resource(template, 'Pipeline');
  const stages = pipeline.Properties.Stages as { Name: string; Actions: Record<string, unknown>[] }[];

  it('has exactly the stages Source, Build, Test, SecurityScan, Deploy in that order', () => {
    expect(stages.map((s) => s.Name)).to.deep.equal(['Source', 'Build', 'Test', 'SecurityScan', 'Deploy']);
  });

  it('builds the image and checks the source for secrets and defects in parallel, each check its own action', () => {
    const build = stages[1]?.Actions ?? [];
    expect(build.map((a) => a['Name'])).to.deep.equal([
      'Build',
      'SecretsScan',
      'StaticAnalysis',
      'SourceDependencyScan',
    ]);
    expect(new Set(build.map((a) => a['RunOrder']))).to.have.property('size', 1);
    for (const check of build.slice(1)) expect(check['InputArtifacts']).to.deep.equal([{ Name: 'SourceOutput' }]);
    expect(build[0]).to.deep.include({ Namespace: 'BuildVariables' });
  });

  it('scans the image twice in parallel, then attaches its SBOM and checks its signature last before Deploy', () => {
    const scan = (stages[3]?.Actions ?? []) as { Name: string; RunOrder: number; InputArtifacts?: unknown }[];
    expect(scan.map((a) => [a.Name, a.RunOrder])).to.deep.equal([
      ['ImageScanGate', 1],
      ['ImageDependencyScan', 1],
      ['AttachSbom', 2],
      ['VerifySignature', 2],
    ]);
    expect(scan[2]).to.deep.include({
      InputArtifacts: [{ Name: 'BuildOutput' }, { Name: 'ImageSbom' }],
      Configuration: { ProjectName: { Ref: 'AttachSbomProject' }, PrimarySource: 'BuildOutput' },
    });
    expect(scan[3]?.InputArtifacts).to.deep.equal([{ Name: 'BuildOutput' }]);
    expect(Math.max(...scan.map((a) => a.RunOrder))).to.equal(scan[3]?.RunOrder);
  });

  describe('Amazon Inspector (the InspectorScan actions)', () => {
    const inspector = stages
      .flatMap((s) => (Array.isArray(s.Actions) ? s.Actions : []))
      .filter((a) => (a['ActionTypeId'] as { Provider: string }).Provider === 'InspectorScan') as {
      Name: string;
      Configuration: Record<string, unknown>;
      OutputArtifacts: unknown;
      InputArtifacts?: unknown;
    }[];
    const threshold = (condition: string) => ({ 'Fn::If': [condition, '0', { Ref: 'AWS::NoValue' }] });

    it('scans the source’s dependencies and the pushed image by its commit tag, each writing its SBOM', () => {
      expect(inspector.map((a) => a.Name)).to.deep.equal(['SourceDependencyScan', 'ImageDependencyScan']);
      expect(inspector[0]?.Configuration['InspectorRunMode']).to.equal('SourceCodeScan');
      expect(inspector[0]?.InputArtifacts).to.deep.equal([{ Name: 'SourceOutput' }]);
      expect(inspector[0]?.OutputArtifacts).to.deep.equal([{ Name: 'SourceSbom' }]);
      expect(inspector[1]?.Configuration).to.deep.include({
        InspectorRunMode: 'ECRImageScan',
        ECRRepositoryName: { Ref: 'ImageRepository' },
        ImageTag: '#{BuildVariables.IMAGE_TAG}',
      });
      expect(inspector[1]?.OutputArtifacts).to.deep.equal([{ Name: 'ImageSbom' }]);
      const buildspec = buildspecShellText(resource(template, 'BuildProject').Properties.Source.BuildSpec);
      const spec = yaml.load(buildspec) as { env: Record<string, unknown> };
      expect(spec.env['exported-variables']).to.deep.equal(['IMAGE_TAG', 'IMAGE_DIGEST']);
    });

    it('fails at or above ScanSeverityThreshold: a count of 0 for each severity it blocks, no limit below', () => {
      for (const action of inspector) {
        expect(action.Configuration).to.deep.include({
          CriticalThreshold: '0',
          HighThreshold: threshold('ScanBlocksHigh'),
          MediumThreshold: threshold('ScanBlocksMedium'),
          LowThreshold: threshold('ScanBlocksLow'),
        });
      }
      const conditions = template['Conditions'] as Record<string, unknown>;
      const severity = { Ref: 'ScanSeverityThreshold' };
      expect(conditions['ScanBlocksHigh']).to.deep.equal({ 'Fn::Not': [{ 'Fn::Equals': [severity, 'CRITICAL'] }] });
      expect(conditions['ScanBlocksMedium']).to.deep.equal({
        'Fn::Or': [{ 'Fn::Equals': [severity, 'MEDIUM'] }, { 'Fn::Equals': [severity, 'LOW'] }],
      });
      expect(conditions['ScanBlocksLow']).to.deep.equal({ 'Fn::Equals': [severity, 'LOW'] });
    });

    it('logs to /aws/codepipeline/<pipeline>, a group the stack creates KMS-encrypted with a 7-day retention', () => {
      expect(resource(template, 'PipelineActionLogGroup').Properties).to.deep.include({
        LogGroupName: { 'Fn::Sub': '/aws/codepipeline/cicd-pipeline-${EnvironmentSuffix}' },
        KmsKeyId: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
        RetentionInDays: 7,
      });
    });
  });

  it('runs unit and integration tests in parallel (same RunOrder) on the source', () => {
    const test = stages[2]?.Actions ?? [];
    expect(test.map((a) => a['Name'])).to.deep.equal(['UnitTests', 'IntegrationTests']);
    expect(new Set(test.map((a) => a['RunOrder']))).to.have.property('size', 1);
  });

  it('gates on the build output in SecurityScan and releases it in Deploy', () => {
    const scan = stages[3]?.Actions[0] as { InputArtifacts: unknown; Configuration: unknown };
    expect(scan.InputArtifacts).to.deep.equal([{ Name: 'BuildOutput' }]);
    expect(scan.Configuration).to.deep.equal({ ProjectName: { Ref: 'SecurityScanProject' } });
    expect(stages[4]?.Actions.map((a) => [a['Name'], a['RunOrder']])).to.deep.equal([
      ['PrepareRelease', 1],
      ['Deploy', 2],
    ]);
  });

  it('is a V2 pipeline in SUPERSEDED mode with a KMS-encrypted artifact store in the bucket', () => {
    expect(pipeline.Properties).to.deep.include({ PipelineType: 'V2', ExecutionMode: 'SUPERSEDED' });
    expect(pipeline.Properties.ArtifactStore).to.deep.equal({
      Type: 'S3',
      Location: { Ref: 'ArtifactBucket' },
      EncryptionKey: { Type: 'KMS', Id: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] } },
    });
    expect(pipeline.Properties.Name).to.deep.equal({ 'Fn::Sub': 'cicd-pipeline-${EnvironmentSuffix}' });
  });

  describe('source', () => {
    const source = stages[0]?.Actions as unknown as {
      'Fn::If': [string, Record<string, never>[], Record<string, never>[]];
    };
    const [, [connection], [github]] = source['Fn::If'];

    it('uses GitHub v1 with the token by dynamic reference and no polling unless a connection is given', () => {
      expect(source['Fn::If'][0]).to.equal('UseCodeConnection');
      expect(source['Fn::If'][1]).to.have.length(1);
      expect(source['Fn::If'][2]).to.have.length(1);
      expect(github).to.deep.include({
        ActionTypeId: { Category: 'Source', Owner: 'ThirdParty', Provider: 'GitHub', Version: '1' },
      });
      const config = (github as unknown as { Configuration: Record<string, unknown> }).Configuration;
      expect(config['OAuthToken']).to.deep.equal({
        'Fn::Sub': '{{resolve:secretsmanager:${GitHubTokenSecretArn}:SecretString:${GitHubTokenSecretKey}}}',
      });
      expect(config['PollForSourceChanges']).to.equal(false);
      expect((connection as unknown as { ActionTypeId: { Provider: string } }).ActionTypeId.Provider).to.equal(
        'CodeStarSourceConnection',
      );
    });

    it('registers an HMAC webhook filtered on the branch, with a generated KMS-encrypted secret', () => {
      const webhook = resource(template, 'PipelineWebhook');
      expect(webhook.Condition).to.equal('UseGitHubWebhook');
      expect(webhook.Properties).to.deep.include({
        Authentication: 'GITHUB_HMAC',
        RegisterWithThirdParty: true,
        TargetAction: 'GitHub',
      });
      expect(webhook.Properties.Filters).to.deep.equal([{ JsonPath: '$.ref', MatchEquals: 'refs/heads/{Branch}' }]);
      const secret = resource(template, 'WebhookSecret');
      expect(secret.Properties.KmsKeyId).to.deep.equal({ 'Fn::GetAtt': ['PipelineKey', 'Arn'] });
      expect(secret.Properties.GenerateSecretString.PasswordLength).to.be.at.least(32);
      expect([secret.DeletionPolicy, secret.UpdateReplacePolicy]).to.deep.equal(['Retain', 'Retain']);
    });
  });

  describe('build projects', () => {
    const projects = resourcesOfType(template, 'AWS::CodeBuild::Project');

    it('are the ones the design names', () => {
      expect(projects.map(([id]) => id)).to.have.members([
        'BuildProject',
        'SecretsScanProject',
        'StaticAnalysisProject',
        'UnitTestProject',
        'IntegrationTestProject',
        'SecurityScanProject',
        'ReleaseProject',
        'AttachSbomProject',
        'VerifySignatureProject',
        // Beside the pipeline, with PullRequestChecks only (test/resources/pull-requests.test.ts).
        'PullRequestBuildProject',
        'PullRequestTestsProject',
      ]);
    });

    for (const [id, project] of projects) {
      it(`${id}: small compute, the stack key, its own 7-day KMS log group, timeouts`, () => {
        const p = project.Properties;
        expect(p.Environment.ComputeType).to.equal('BUILD_GENERAL1_SMALL');
        expect(p.EncryptionKey).to.deep.equal({ 'Fn::GetAtt': ['PipelineKey', 'Arn'] });
        const group = resource(template, p.LogsConfig.CloudWatchLogs.GroupName.Ref as string);
        expect(group.Type).to.equal('AWS::Logs::LogGroup');
        expect(group.Properties).to.deep.include({
          RetentionInDays: 7,
          KmsKeyId: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
        });
        const others = projects
          .filter(([other]) => other !== id)
          .map(([, o]) => o.Properties.LogsConfig.CloudWatchLogs.GroupName.Ref);
        expect(others).to.not.include(p.LogsConfig.CloudWatchLogs.GroupName.Ref);
        expect(p.TimeoutInMinutes).to.be.within(5, 60);
        expect(p.QueuedTimeoutInMinutes).to.be.within(5, 480);
        // Only the two that run docker build, which needs the daemon (docs/SECURITY.md, CT.CODEBUILD.PR.4).
        expect(p.Environment.PrivilegedMode).to.equal(id === 'BuildProject' || id === 'PullRequestBuildProject');
      });
    }

    it('caches Docker layers and source for the build, pip’s downloads for the scanners', () => {
      expect(resource(template, 'BuildProject').Properties.Cache).to.deep.equal({
        Type: 'LOCAL',
        Modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_SOURCE_CACHE'],
      });
      for (const id of ['SecretsScanProject', 'StaticAnalysisProject']) {
        expect(resource(template, id).Properties.Cache.Modes).to.deep.equal([
          'LOCAL_SOURCE_CACHE',
          'LOCAL_CUSTOM_CACHE',
        ]);
      }
    });

    it('run the application’s own test buildspecs, by path parameter', () => {
      expect(resource(template, 'UnitTestProject').Properties.Source.BuildSpec).to.deep.equal({
        Ref: 'UnitTestBuildspec',
      });
      expect(resource(template, 'IntegrationTestProject').Properties.Source.BuildSpec).to.deep.equal({
        Ref: 'IntegrationTestBuildspec',
      });
    });
  });

  describe('build-and-push buildspec', () => {
    const buildspec = resource(template, 'BuildProject').Properties.Source.BuildSpec;
    const spec = yaml.load(buildspecShellText(buildspec)) as {
      artifacts: { files: string[] };
      phases: Record<string, { commands: string[] }>;
    };

    it('parses as YAML and hands on only imageDetail.json (the ECS engine needs nothing else)', () => {
      expect(spec.artifacts.files).to.deep.equal(['imageDetail.json']);
    });

    it('tags with the commit SHA and pushes to this repository', () => {
      const commands = Object.values(spec.phases)
        .flatMap((p) => p.commands)
        .join('\n');
      expect(commands).to.include('IMAGE_TAG="$CODEBUILD_RESOLVED_SOURCE_VERSION"');
      expect(commands).to.match(/docker push "\$REPOSITORY_URI:\$IMAGE_TAG"/);
    });
  });

  describe('IAM', () => {
    const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
    const objects = { 'Fn::Sub': '${ArtifactBucket.Arn}/*' };
    const SERVICE = {
      'Fn::Sub':
        'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/cicd-cluster-${EnvironmentSuffix}/cicd-service-${EnvironmentSuffix}',
    };
    const signingProfile = {
      'Fn::If': ['CreateImageSigning', { Ref: 'ImageSigningProfile' }, { Ref: 'ImageSigningProfileArn' }],
    };
    /** A project that reads its input artifacts and writes its own logs. */
    const readOnlyProject = (stem: string): Record<string, [string[], unknown]> => ({
      WriteOwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [arn(`${stem}LogGroup`)]],
      ReadArtifactBucket: [
        ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'],
        [arn('ArtifactBucket')],
      ],
      ReadArtifacts: [['s3:GetObject', 's3:GetObjectVersion'], [objects]],
      UseStackKey: [['kms:Decrypt', 'kms:DescribeKey'], [arn('PipelineKey')]],
    });
    // Every statement of every pipeline-side role: (role, sid) → [actions, resources].
    const TABLE: Record<string, Record<string, [string[], unknown]>> = {
      BuildRole: {
        WriteOwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [arn('BuildLogGroup')]],
        ReadArtifactBucket: [
          ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'],
          [arn('ArtifactBucket')],
        ],
        ReadArtifacts: [['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], [objects]],
        UseStackKey: [['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [arn('PipelineKey')]],
        PushToThisRepository: [
          [
            'ecr:BatchCheckLayerAvailability',
            'ecr:CompleteLayerUpload',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
            'ecr:BatchGetImage',
            'ecr:GetDownloadUrlForLayer',
            'ecr:DescribeImages',
          ],
          [arn('ImageRepository')],
        ],
        RegistryLogin: [['ecr:GetAuthorizationToken'], '*'],
        // ECR managed signing signs the push with the pusher's identity.
        SignPushesWithTheSigningProfile: [['signer:SignPayload'], [signingProfile]],
      },
      SecurityScanRole: {
        WriteOwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [arn('SecurityScanLogGroup')]],
        ReadArtifactBucket: [
          ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'],
          [arn('ArtifactBucket')],
        ],
        ReadArtifacts: [['s3:GetObject', 's3:GetObjectVersion'], [objects]],
        UseStackKey: [['kms:Decrypt', 'kms:DescribeKey'], [arn('PipelineKey')]],
        ReadScanFindingsOfThisRepository: [
          ['ecr:DescribeImageScanFindings', 'ecr:DescribeImages'],
          [arn('ImageRepository')],
        ],
      },
      // The source checks read the source and write their logs, nothing else.
      SecretsScanRole: readOnlyProject('SecretsScan'),
      StaticAnalysisRole: readOnlyProject('StaticAnalysis'),
      UnitTestRole: {
        WriteOwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [arn('UnitTestLogGroup')]],
        ReadArtifactBucket: [
          ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'],
          [arn('ArtifactBucket')],
        ],
        ReadArtifacts: [['s3:GetObject', 's3:GetObjectVersion'], [objects]],
        // Writes only its own report exports (the CodeBuild role uploads them), so it needs a data key.
        UseStackKey: [['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [arn('PipelineKey')]],
        PublishToOwnReportGroups: [
          [
            'codebuild:BatchPutCodeCoverages',
            'codebuild:BatchPutTestCases',
            'codebuild:CreateReport',
            'codebuild:UpdateReport',
          ],
          [{ Ref: 'UnitTestReports' }, { Ref: 'UnitTestCoverageReports' }],
        ],
        ExportOwnReports: [
          ['s3:PutObject'],
          [{ 'Fn::Sub': '${ArtifactBucket.Arn}/reports/cicd-unit-tests-${EnvironmentSuffix}/*' }],
        ],
      },
      PipelineRole: {
        ReadArtifactBucket: [
          ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'],
          [arn('ArtifactBucket')],
        ],
        ReadWriteArtifacts: [['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], [objects]],
        UseStackKey: [['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [arn('PipelineKey')]],
        RunTheseBuildProjects: [
          ['codebuild:BatchGetBuilds', 'codebuild:StartBuild'],
          [
            'BuildProject',
            'SecretsScanProject',
            'StaticAnalysisProject',
            'UnitTestProject',
            'IntegrationTestProject',
            'SecurityScanProject',
            'AttachSbomProject',
            'VerifySignatureProject',
            'ReleaseProject',
          ].map(arn),
        ],
        ExecuteTheReleaseChangeSet: [
          ['cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DescribeStacks'],
          [{ Ref: 'AWS::StackId' }],
        ],
        RegisterRevisionsOfTheTaskFamily: [
          ['ecs:RegisterTaskDefinition', 'ecs:TagResource'],
          [
            {
              'Fn::Sub':
                'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/cicd-app-${EnvironmentSuffix}:*',
            },
          ],
        ],
        DescribeAndDeregisterTaskDefinitions: [['ecs:DescribeTaskDefinition', 'ecs:DeregisterTaskDefinition'], '*'],
        UpdateThisService: [
          [
            'ecs:DescribeServices',
            'ecs:ListServiceDeployments',
            'ecs:ListTagsForResource',
            'ecs:TagResource',
            'ecs:UntagResource',
            'ecs:UpdateService',
          ],
          [SERVICE],
        ],
        FollowThisServicesDeployments: [
          ['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment'],
          [
            SERVICE,
            {
              'Fn::Sub':
                'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service-deployment/cicd-cluster-${EnvironmentSuffix}/cicd-service-${EnvironmentSuffix}/*',
            },
          ],
        ],
        ReadTheTaskRoles: [['iam:GetRole'], [arn('TaskExecutionRole'), arn('TaskRole')]],
        PassOnlyTheTaskRoles: [['iam:PassRole'], [arn('TaskExecutionRole'), arn('TaskRole')]],
        PassOnlyTheDeploymentRoles: [
          ['iam:PassRole'],
          [
            arn('LoadBalancerInfrastructureRole'),
            { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cicd-hook-role-${EnvironmentSuffix}' },
          ],
        ],
        // The InspectorScan actions run as the pipeline role.
        ScanSbomsWithInspector: [['inspector-scan:ScanSbom'], '*'],
        WriteManagedActionLogs: [
          ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          [
            {
              'Fn::Sub':
                'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codepipeline/cicd-pipeline-${EnvironmentSuffix}',
            },
            {
              'Fn::Sub':
                'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codepipeline/cicd-pipeline-${EnvironmentSuffix}:*',
            },
          ],
        ],
        PullTheImageToScan: [
          ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          [arn('ImageRepository')],
        ],
        RegistryLoginToScan: [['ecr:GetAuthorizationToken'], '*'],
      },
      ReleaseRole: {
        WriteOwnLogs: [['logs:CreateLogStream', 'logs:PutLogEvents'], [arn('ReleaseLogGroup')]],
        ReadArtifactBucket: [
          ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'],
          [arn('ArtifactBucket')],
        ],
        ReadArtifacts: [['s3:GetObject', 's3:GetObjectVersion'], [objects]],
        UseStackKey: [['kms:Decrypt', 'kms:DescribeKey'], [arn('PipelineKey')]],
        PrepareTheReleaseChangeSet: [
          ['cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:DescribeChangeSet'],
          [{ Ref: 'AWS::StackId' }],
        ],
        ReadThisStack: [['cloudformation:DescribeStacks', 'cloudformation:ListChangeSets'], [{ Ref: 'AWS::StackId' }]],
      },
      // The image checks read the build output and act on this repository only.
      VerifySignatureRole: {
        ...readOnlyProject('VerifySignature'),
        ReadSigningStatusInThisRepository: [
          ['ecr:BatchGetImage', 'ecr:DescribeImageSigningStatus'],
          [arn('ImageRepository')],
        ],
      },
      AttachSbomRole: {
        ...readOnlyProject('AttachSbom'),
        AttachArtifactsInThisRepository: [
          [
            'ecr:BatchCheckLayerAvailability',
            'ecr:BatchGetImage',
            'ecr:CompleteLayerUpload',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
          ],
          [arn('ImageRepository')],
        ],
      },
    };

    for (const [roleId, expected] of Object.entries(TABLE)) {
      it(`${roleId} grants exactly the statements in the table`, () => {
        const statements = statementsOf(resource(template, roleId)).filter((s) => !('Fn::If' in s));
        const actual = Object.fromEntries(statements.map((s) => [s.Sid, [s.Action, s.Resource]]));
        expect(actual).to.deep.equal(expected);
      });
    }

    it('the integration-test role mirrors the unit-test role on its own log group', () => {
      const integration = statementsOf(resource(template, 'IntegrationTestRole'));
      expect(integration.find((s) => s.Sid === 'WriteOwnLogs')?.Resource).to.deep.equal([
        arn('IntegrationTestLogGroup'),
      ]);
      expect(integration).to.have.length(Object.keys(TABLE['UnitTestRole'] ?? {}).length);
    });

    it('the pipeline may use a CodeConnections connection only when one is given', () => {
      const conditional = statementsOf(resource(template, 'PipelineRole')).filter((s) => 'Fn::If' in s);
      expect(conditional).to.have.length(1);
      const [condition, statement, otherwise] = (
        conditional[0] as unknown as { 'Fn::If': [string, Statement, unknown] }
      )['Fn::If'];
      expect(condition).to.equal('UseCodeConnection');
      expect(statement.Resource).to.deep.equal([{ Ref: 'CodeConnectionArn' }]);
      expect(otherwise).to.deep.equal({ Ref: 'AWS::NoValue' });
    });

    it('trusts CodePipeline only for this pipeline, without locking it out if the keys are not sent', () => {
      const trust = resource(template, 'PipelineRole').Properties.AssumeRolePolicyDocument.Statement[0];
      expect(trust.Principal).to.deep.equal({ Service: 'codepipeline.amazonaws.com' });
      expect(trust.Condition).to.deep.equal({
        StringEqualsIfExists: { 'aws:SourceAccount': { 'Fn::Sub': '${AWS::AccountId}' } },
        ArnLikeIfExists: {
          'aws:SourceArn': {
            'Fn::Sub':
              'arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:cicd-pipeline-${EnvironmentSuffix}',
          },
        },
      });
      const build = resource(template, 'BuildRole').Properties.AssumeRolePolicyDocument.Statement[0];
      expect(Object.keys(build.Condition)).to.deep.equal(['StringEquals', 'ArnLike']);
    });

    it('passes the task roles only to ECS tasks, and the deployment roles only to ECS', () => {
      const pass = (sid: string) => statementsOf(resource(template, 'PipelineRole')).find((s) => s.Sid === sid);
      expect(pass('PassOnlyTheTaskRoles')?.Condition).to.deep.equal({
        StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      });
      expect(pass('PassOnlyTheDeploymentRoles')?.Condition).to.deep.equal({
        StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' },
      });
    });

    it('uses Resource "*" only for the documented actions', () => {
      for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
        for (const s of statementsOf(role).filter((st) => st.Resource === '*')) {
          for (const action of s.Action) expect(ANY_RESOURCE_ACTIONS, `${id} ${action}`).to.have.property(action);
        }
      }
    });
  });

  describe('notifications', () => {
    it('sends failed, succeeded, superseded and approval-needed events of this pipeline to the topic', () => {
      const rule = resource(template, 'PipelineEventsRule');
      const pattern = rule.Properties.EventPattern;
      expect(pattern.source).to.deep.equal(['aws.codepipeline']);
      expect(JSON.stringify(pattern.$or))
        .to.include('FAILED')
        .and.include('SUCCEEDED')
        .and.include('SUPERSEDED')
        .and.include('Approval');
      expect(pattern.resources).to.deep.equal([
        { 'Fn::Sub': 'arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}' },
      ]);
      expect(rule.Properties.Targets).to.deep.equal([{ Id: 'notification-topic', Arn: { Ref: 'NotificationTopic' } }]);
    });

    it('lets exactly that rule publish to the topic as EventBridge', () => {
      const statements = resource(template, 'NotificationTopicPolicy').Properties.PolicyDocument
        .Statement as Statement[];
      const allows = statements.filter(
        (s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === '{"Service":"events.amazonaws.com"}',
      );
      expect(allows).to.have.length(1);
      expect(allows[0]?.Condition).to.deep.equal({
        ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['PipelineEventsRule', 'Arn'] } },
      });
    });
  });

  it('outputs the pipeline name, console URL and webhook URL', () => {
    expect(template['Outputs']).to.include.keys('PipelineName', 'PipelineConsoleUrl', 'WebhookUrl');
  });
});
