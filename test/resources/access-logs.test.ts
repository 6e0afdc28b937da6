// The load balancer's access logs in both engines: off by default (no bucket, logging off), and with
// AccessLogs true a dedicated SSE-S3 bucket, TLS-only, versioned, expiring, that ELB may write to
// under the prefix, the load balancer pointed at it and ordered after the bucket policy.
import { expect } from 'chai';
import type { JsonObject } from '../../src/model/json.js';
import { resourceType } from '../../src/cfn/types.js';
import { ELB_LOG_ACCOUNTS } from '../../src/parameters/access-logs.js';
import { ACCESS_LOG_DAYS, ACCESS_LOG_PREFIX, SSE_S3_ONLY } from '../../src/resources/access-logs.js';
import { resolveConfiguration } from '../configurations.js';
import type { CfnTemplate } from '../helpers.js';
import { CODEDEPLOY_CONFIG, renderedPipeline, resource } from '../helpers.js';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- resolved templates are untyped trees
const deployed = (t: CfnTemplate, values: Record<string, string> = {}): Loose =>
  resolveConfiguration(t as unknown as JsonObject, values) as Loose;
const attributes = (t: Loose): Record<string, unknown> =>
  Object.fromEntries(
    (t['Resources']['LoadBalancer']['Properties']['LoadBalancerAttributes'] as Loose[]).map((a) => [
      a['Key'],
      a['Value'],
    ]),
  );

for (const [engine, template] of [
  ['ECS', renderedPipeline()],
  ['CodeDeploy', renderedPipeline(CODEDEPLOY_CONFIG)],
] as const) {
  describe(`resources/access-logs (${engine} engine)`, () => {
    it('is off by default: no log bucket, logging off, no bucket named', () => {
      const off = deployed(template);
      expect(off['Resources']).to.not.have.any.keys('AccessLogBucket', 'AccessLogBucketPolicy');
      expect(attributes(off)).to.deep.include({ 'access_logs.s3.enabled': 'false' });
      expect(attributes(off)).to.not.have.any.keys('access_logs.s3.bucket', 'access_logs.s3.prefix');
      expect(template.Parameters['AccessLogs']).to.deep.include({ Default: 'false', AllowedValues: ['true', 'false'] });
    });

    it('with AccessLogs true points the load balancer at its own bucket, after the bucket policy', () => {
      const on = deployed(template, { AccessLogs: 'true' });
      expect(attributes(on)).to.deep.include({
        'access_logs.s3.enabled': 'true',
        'access_logs.s3.bucket': { Ref: 'AccessLogBucket' },
        'access_logs.s3.prefix': ACCESS_LOG_PREFIX,
        'routing.http.drop_invalid_header_fields.enabled': 'true',
      });
      const tags = on['Resources']['LoadBalancer']['Properties']['Tags'] as Loose[];
      expect(tags).to.deep.include({ Key: 'cicd:access-log-policy', Value: { Ref: 'AccessLogBucketPolicy' } });
    });

    it('keeps the logs in a private, versioned, retained bucket with S3-managed keys, expiring them', () => {
      const bucket = resource(template, 'AccessLogBucket');
      expect(bucket.Condition).to.equal('HasAccessLogs');
      expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).to.deep.equal(['Retain', 'Retain']);
      const p = bucket.Properties;
      expect(p.BucketEncryption.ServerSideEncryptionConfiguration).to.deep.equal([
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ]);
      expect(p.VersioningConfiguration.Status).to.equal('Enabled');
      expect(Object.values(p.PublicAccessBlockConfiguration)).to.deep.equal([true, true, true, true]);
      expect(p.OwnershipControls.Rules).to.deep.equal([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
      expect(p.LifecycleConfiguration.Rules[0]).to.deep.include({
        Status: 'Enabled',
        ExpirationInDays: ACCESS_LOG_DAYS,
      });
      // The one store without the stack key says why, as the product's guard rule (CICD.KMS) requires.
      expect(bucket.Metadata['cfn-cicd'][SSE_S3_ONLY]).to.match(/SSE-S3/);
      expect(resourceType('AWS::S3::Bucket').kmsKey?.unlessStated?.metadata).to.equal(SSE_S3_ONLY);
    });

    it('denies plain HTTP and lets only ELB log delivery write, under the prefix and this account', () => {
      const [deny, service, account] = resource(template, 'AccessLogBucketPolicy').Properties.PolicyDocument
        .Statement as Loose[];
      expect(deny).to.deep.include({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      const objects = { 'Fn::Sub': `\${AccessLogBucket.Arn}/${ACCESS_LOG_PREFIX}/AWSLogs/\${AWS::AccountId}/*` };
      expect(service).to.deep.equal({
        Sid: 'LogDeliveryWrites',
        Effect: 'Allow',
        Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        Action: ['s3:PutObject'],
        Resource: [objects],
      });
      const [condition, legacy, none] = account?.['Fn::If'] as [string, Loose, unknown];
      expect([condition, none]).to.deep.equal(['ElbAccountRegion', { Ref: 'AWS::NoValue' }]);
      expect(legacy).to.deep.include({ Effect: 'Allow', Action: ['s3:PutObject'], Resource: [objects] });
      expect(legacy['Principal']['AWS']).to.deep.equal({
        'Fn::Sub': [
          'arn:${AWS::Partition}:iam::${Account}:root',
          { Account: { 'Fn::FindInMap': ['ElbLogAccounts', { Ref: 'AWS::Region' }, 'Account'] } },
        ],
      });
    });

    it('names the ELB account of exactly the Regions the mapping lists', () => {
      const mapped = template.Mappings['ElbLogAccounts'] as Record<string, { Account: string }>;
      expect(Object.fromEntries(Object.entries(mapped).map(([r, v]) => [r, v.Account]))).to.deep.equal(
        ELB_LOG_ACCOUNTS,
      );
      const regions = JSON.stringify(template.Conditions['ElbAccountRegion'])
        .match(/"Ref":"AWS::Region"\},"([a-z0-9-]+)"/g)
        ?.map((m) => m.split('"').at(-2));
      expect(regions?.sort()).to.deep.equal(Object.keys(ELB_LOG_ACCOUNTS).sort());
      for (const account of Object.values(ELB_LOG_ACCOUNTS)) expect(account).to.match(/^\d{12}$/);
    });
  });
}
