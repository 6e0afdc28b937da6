import { expect } from 'chai';
import { DEFAULT_CONFIG } from '../src/config.js';
import { RESOURCE_TYPES } from '../src/cfn/types.js';
import { MAX_SUFFIX_LENGTH } from '../src/naming.js';
import type { CfnTemplate } from './helpers.js';
import { emittedTemplates, renderedPipeline } from './helpers.js';
import { venvPython } from './venv.js';

// AWS name limits (from each service's documentation) for the resource types we name.
const NAME_LIMITS: [type: string, property: string, limit: number][] = [
  ['AWS::S3::Bucket', 'BucketName', 63],
  ['AWS::ECR::Repository', 'RepositoryName', 256],
  ['AWS::SNS::Topic', 'TopicName', 256],
  ['AWS::SNS::Topic', 'DisplayName', 100],
  ['AWS::Logs::LogGroup', 'LogGroupName', 512],
  ['AWS::IAM::Role', 'RoleName', 64],
  ['AWS::CodeBuild::Project', 'Name', 255],
  ['AWS::CodePipeline::Pipeline', 'Name', 100],
  ['AWS::CodePipeline::Webhook', 'Name', 100],
  ['AWS::SecretsManager::Secret', 'Name', 512],
  ['AWS::Events::Rule', 'Name', 64],
  ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'Name', 32],
  ['AWS::ElasticLoadBalancingV2::TargetGroup', 'Name', 32],
  ['AWS::EC2::SecurityGroup', 'GroupName', 255],
  ['AWS::ECS::Cluster', 'ClusterName', 255],
  ['AWS::ECS::Service', 'ServiceName', 255],
  ['AWS::ECS::TaskDefinition', 'Family', 255],
  ['AWS::CodeDeploy::Application', 'ApplicationName', 100],
  ['AWS::CodeDeploy::DeploymentGroup', 'DeploymentGroupName', 100],
  ['AWS::CloudWatch::Alarm', 'AlarmName', 255],
  ['AWS::KMS::Alias', 'AliasName', 256],
  ['AWS::ServiceCatalog::Portfolio', 'DisplayName', 100],
  ['AWS::ServiceCatalog::CloudFormationProduct', 'Name', 8191],
];

// Worst case for every pseudo parameter a name may carry.
const LONGEST = {
  EnvironmentSuffix: 'a'.repeat(MAX_SUFFIX_LENGTH),
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'ap-southeast-5',
  'AWS::Partition': 'aws-us-gov',
  'AWS::StackName': 'x'.repeat(128),
} as Record<string, string>;

function expand(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const text = (value as { 'Fn::Sub'?: unknown } | undefined)?.['Fn::Sub'];
  if (typeof text !== 'string') return undefined;
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const v = LONGEST[name];
    if (v === undefined) throw new Error(`no worst-case value for \${${name}}`);
    return v;
  });
}

describe('naming', () => {
  const template = renderedPipeline();

  describe('physical names', () => {
    const named = Object.entries(template.Resources).flatMap(([id, r]) =>
      NAME_LIMITS.filter(([type]) => type === r.Type)
        .filter(([, property]) => r.Properties?.[property] !== undefined)
        .map(([, property, limit]) => ({ id, property, limit, value: r.Properties[property] as unknown })),
    );

    it('names at least the key resources', () => {
      expect(named.map((n) => n.id)).to.include.members(['ArtifactBucket', 'ImageRepository', 'NotificationTopic']);
    });

    for (const { id, property, limit, value } of named) {
      it(`${id}.${property} fits ${limit} characters at the longest suffix`, () => {
        const text = expand(value);
        expect(text, `${id}.${property} is a literal or !Sub`).to.be.a('string');
        expect((text as string).length).to.be.at.most(limit);
      });
      it(`${id}.${property} follows cicd-<type>-<suffix>`, () => {
        // An alias starts alias/; CodePipeline's managed-compute actions log to /aws/codepipeline/<pipeline name>.
        expect(expand(value)).to.match(/^(alias\/|\/aws\/codepipeline\/)?cicd-[a-z0-9-]+-a{16}/);
      });
    }

    it('puts account and region in the bucket name so it is globally unique', () => {
      expect(template.Resources['ArtifactBucket']?.Properties.BucketName['Fn::Sub'])
        .to.include('${AWS::AccountId}')
        .and.include('${AWS::Region}');
    });

    it('sizes MAX_SUFFIX_LENGTH near the tightest limit: five more characters break a name', () => {
      const longer: Record<string, string> = { ...LONGEST, EnvironmentSuffix: 'a'.repeat(MAX_SUFFIX_LENGTH + 5) };
      const tight = named.filter(({ value, limit }) => {
        const text = (value as { 'Fn::Sub'?: string })['Fn::Sub'];
        return (
          typeof text === 'string' && text.replace(/\$\{([^}]+)\}/g, (_, n: string) => longer[n] ?? '').length > limit
        );
      });
      expect(tight.length, 'some name would exceed its limit with a longer suffix').to.be.greaterThan(0);
    });
  });

  describe('standard tags', () => {
    it('tag every resource whose type accepts Tags, sorted by key', () => {
      for (const [id, r] of Object.entries(template.Resources)) {
        if (RESOURCE_TYPES[r.Type]?.tags === undefined) continue;
        const tags = r.Properties.Tags;
        const keys = Array.isArray(tags) ? tags.map((t: { Key: string }) => t.Key) : Object.keys(tags ?? {});
        expect(keys, id).to.include.members(['Environment', 'ManagedBy', 'Project']);
        expect(keys, `${id} tags sorted`).to.deep.equal([...keys].sort());
      }
    });

    it('set Environment to the suffix parameter and ManagedBy to cloudformation', () => {
      const tags = template.Resources['ArtifactBucket']?.Properties.Tags as { Key: string; Value: unknown }[];
      expect(tags).to.deep.include({ Key: 'Environment', Value: { Ref: 'EnvironmentSuffix' } });
      expect(tags).to.deep.include({ Key: 'ManagedBy', Value: 'cloudformation' });
    });

    it('carry the tags from the build config', () => {
      const custom = renderedPipeline({ ...DEFAULT_CONFIG, project: 'payments', tags: { CostCenter: 'cc-42' } });
      const tags = custom.Resources['ImageRepository']?.Properties.Tags as { Key: string; Value: unknown }[];
      expect(tags).to.deep.include({ Key: 'CostCenter', Value: 'cc-42' });
      expect(tags).to.deep.include({ Key: 'Project', Value: 'payments' });
    });

    it('agree with cfn-lint schemas on which resource types take Tags and in what shape', () => {
      const types = [
        ...new Set(Object.values(renderedAll()).flatMap((t) => Object.values(t.Resources).map((r) => r.Type))),
      ];
      const schema = venvPython<Record<string, string | null>>(
        `
import json, sys, os, cfnlint
base = os.path.join(os.path.dirname(cfnlint.__file__), 'data', 'schemas')
index = json.load(open(os.path.join(base, 'providers', 'us-east-1.json')))
out = {}
for t in json.load(sys.stdin):
    s = json.load(open(os.path.join(base, 'resources', index[t] + '.json')))
    tags = s['properties'].get('Tags')
    out[t] = None if tags is None else ('list' if tags.get('type') == 'array' or '$ref' not in tags and 'items' in tags else 'map')
print(json.dumps(out))
`,
        JSON.stringify(types),
      );
      for (const type of types) expect(RESOURCE_TYPES[type]?.tags ?? null, type).to.equal(schema[type]);
    });
  });
});

function renderedAll(): CfnTemplate[] {
  return emittedTemplates().map((t) => t.template);
}
