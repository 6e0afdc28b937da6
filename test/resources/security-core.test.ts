import { expect } from 'chai';
import { lifecyclePolicyText } from '../../src/resources/registry.js';
import { onlyResource, renderedPipeline, resource, resourcesOfType, subText } from '../helpers.js';

interface KeyStatement {
  Sid: string;
  Principal: { AWS?: unknown; Service?: unknown };
  Action: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

describe('security core resources', () => {
  const template = renderedPipeline();

  describe('KMS key', () => {
    const key = onlyResource(template, 'AWS::KMS::Key');
    const statements = key.Properties.KeyPolicy.Statement as KeyStatement[];

    it('rotates and is retained on delete and replacement', () => {
      expect(key.Properties.EnableKeyRotation).to.equal(true);
      expect(key.DeletionPolicy).to.equal('Retain');
      expect(key.UpdateReplacePolicy).to.equal('Retain');
    });

    it('has an alias cicd-key-<suffix>', () => {
      const alias = onlyResource(template, 'AWS::KMS::Alias');
      expect(alias.Properties.AliasName).to.deep.equal({ 'Fn::Sub': 'alias/cicd-key-${EnvironmentSuffix}' });
      expect(alias.Properties.TargetKeyId).to.deep.equal({ Ref: 'PipelineKey' });
    });

    it('grants the account administration but no cryptographic use without a service condition', () => {
      for (const s of statements.filter((st) => st.Principal.AWS !== undefined)) {
        const crypto = s.Action.filter((a) => /Decrypt|Encrypt|GenerateDataKey/.test(a));
        if (crypto.length > 0) expect(s.Condition?.['StringEquals']?.['kms:ViaService'], s.Sid).to.not.equal(undefined);
      }
    });

    it('denies creating a grant unless it is for an AWS resource or an AWS service asks (CT.KMS.PR.3)', () => {
      const denials = statements.filter((st) => (st as { Effect?: string }).Effect === 'Deny');
      expect(denials).to.have.length(1);
      expect(denials[0]).to.deep.include({
        Principal: { AWS: '*' },
        Action: ['kms:CreateGrant'],
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      });
      // ECR creates its grant for the repository, so its allowance stays usable.
      const ecr = statements.find((st) => JSON.stringify(st.Condition ?? {}).includes('ecr.'));
      expect(ecr?.Action).to.include('kms:CreateGrant');
    });

    it('admits exactly S3, Secrets Manager, ECR and (for the smoke test’s environment) Lambda through kms:ViaService', () => {
      const via = statements
        .map(
          (s) => (s.Condition?.['StringEquals']?.['kms:ViaService'] as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'],
        )
        .filter(Boolean);
      expect(via).to.have.members([
        's3.${AWS::Region}.${AWS::URLSuffix}',
        'secretsmanager.${AWS::Region}.${AWS::URLSuffix}',
        'ecr.${AWS::Region}.${AWS::URLSuffix}',
        'lambda.${AWS::Region}.${AWS::URLSuffix}',
      ]);
    });

    it('admits CloudWatch Logs only for this stack’s log groups, each by name (encryption-context condition)', () => {
      const logs = statements.find((s) => JSON.stringify(s.Principal).includes('logs.'));
      const names = resourcesOfType(template, 'AWS::Logs::LogGroup').map(([, g]) => subText(g.Properties.LogGroupName));
      expect(names).to.have.length.greaterThan(3);
      expect(logs?.Condition?.['ArnEquals']?.['kms:EncryptionContext:aws:logs:arn']).to.deep.equal(
        names.map((name) => ({
          'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${name}`,
        })),
      );
    });

    it('admits EventBridge as the SNS publisher', () => {
      const events = statements.find((s) => s.Principal.Service === 'events.amazonaws.com');
      expect(events?.Action).to.have.members(['kms:Decrypt', 'kms:GenerateDataKey']);
    });

    it('has no wildcard principal and no wildcard action', () => {
      for (const s of statements) {
        expect(JSON.stringify(s.Principal), s.Sid).to.not.equal('"*"');
        expect(
          s.Action.filter((a) => a.includes('*')),
          s.Sid,
        ).to.deep.equal([]);
      }
    });
  });

  describe('artifact bucket', () => {
    const bucket = resource(template, 'ArtifactBucket');
    const p = bucket.Properties;

    it('encrypts with the stack key (SSE-KMS) and the bucket key', () => {
      const rule = p.BucketEncryption.ServerSideEncryptionConfiguration[0];
      expect(rule.ServerSideEncryptionByDefault).to.deep.equal({
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
      });
      expect(rule.BucketKeyEnabled).to.equal(true);
    });

    it('is versioned, owner-enforced and blocks all public access', () => {
      expect(p.VersioningConfiguration.Status).to.equal('Enabled');
      expect(p.OwnershipControls.Rules).to.deep.equal([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
      expect(Object.values(p.PublicAccessBlockConfiguration)).to.deep.equal([true, true, true, true]);
      expect(Object.keys(p.PublicAccessBlockConfiguration)).to.have.length(4);
    });

    it('expires artifacts and their old versions after 30 days and aborts stale uploads', () => {
      const [rule] = p.LifecycleConfiguration.Rules;
      expect(rule).to.include({ Status: 'Enabled', ExpirationInDays: 30 });
      expect(rule.NoncurrentVersionExpiration).to.deep.equal({ NoncurrentDays: 30 });
      expect(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation).to.be.at.most(7);
    });

    it('is retained on delete and replacement', () => {
      expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).to.deep.equal(['Retain', 'Retain']);
    });

    it('denies every request that is not TLS', () => {
      const [deny] = resource(template, 'ArtifactBucketPolicy').Properties.PolicyDocument.Statement;
      expect(deny).to.deep.include({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expect(deny.Resource).to.deep.equal([
        { 'Fn::GetAtt': ['ArtifactBucket', 'Arn'] },
        { 'Fn::Sub': '${ArtifactBucket.Arn}/*' },
      ]);
    });
  });

  describe('ECR repository', () => {
    const repo = onlyResource(template, 'AWS::ECR::Repository');

    it('is KMS-encrypted with the stack key, scans on push and has immutable tags', () => {
      expect(repo.Properties.EncryptionConfiguration).to.deep.equal({
        EncryptionType: 'KMS',
        KmsKey: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] },
      });
      expect(repo.Properties.ImageScanningConfiguration).to.deep.equal({ ScanOnPush: true });
      expect(repo.Properties.ImageTagMutability).to.equal('IMMUTABLE');
      expect([repo.DeletionPolicy, repo.UpdateReplacePolicy]).to.deep.equal(['Retain', 'Retain']);
    });

    it('keeps the last 10 tagged images and expires untagged ones after a day', () => {
      const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules.map((r: { selection: unknown }) => r.selection)).to.deep.equal([
        { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
        { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 10 },
      ]);
      for (const rule of rules) expect(rule.action).to.deep.equal({ type: 'expire' });
    });

    it('writes the lifecycle policy as indented JSON so it renders as a block', () => {
      expect(lifecyclePolicyText(3).split('\n').length).to.be.greaterThan(5);
    });
  });

  describe('SNS topic', () => {
    const topic = onlyResource(template, 'AWS::SNS::Topic');

    it('is encrypted with the stack key', () => {
      expect(topic.Properties.KmsMasterKeyId).to.deep.equal({ 'Fn::GetAtt': ['PipelineKey', 'Arn'] });
    });

    it('denies publishing without TLS', () => {
      const statements = onlyResource(template, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument.Statement as Record<
        string,
        unknown
      >[];
      expect(statements[0]).to.deep.include({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    });

    it('subscribes the optional e-mail address', () => {
      const sub = onlyResource(template, 'AWS::SNS::Subscription');
      expect(sub.Properties).to.deep.equal({
        TopicArn: { Ref: 'NotificationTopic' },
        Protocol: 'email',
        Endpoint: { Ref: 'NotificationEmail' },
      });
    });
  });

  it('outputs the key, bucket, repository and topic', () => {
    expect(Object.keys(template['Outputs'] as object)).to.include.members([
      'KeyArn',
      'ArtifactBucketName',
      'ImageRepositoryUri',
      'NotificationTopicArn',
    ]);
    for (const [name, o] of Object.entries(template['Outputs'] as Record<string, { Description?: string }>)) {
      expect(o.Description, name).to.be.a('string').and.not.equal('');
    }
  });
});
