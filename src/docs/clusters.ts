// Which concern a resource or pipeline stage belongs to, for the architecture diagram's clusters.

/** Clusters in the order the diagram lays them out, left to right, with their titles. */
export const CLUSTERS = {
  source: 'Source',
  build: 'Build',
  test: 'Test',
  scan: 'Security scan',
  deploy: 'Deploy',
  service: 'Service',
  network: 'Network',
  notifications: 'Notifications',
  security: 'Security',
  other: 'Other',
} as const;

export type Cluster = keyof typeof CLUSTERS;

// CodeBuild projects, their roles and log groups share a type, so their stage is in the logical ID.
const BY_ID: readonly [RegExp, Cluster][] = [
  [/Scan/, 'scan'],
  [/^(Unit|Integration)Test/, 'test'],
  [/^Build/, 'build'],
];

const BY_TYPE_PREFIX: readonly [string, Cluster][] = [
  ['AWS::CodePipeline::', 'source'],
  ['AWS::S3::', 'source'],
  ['AWS::CodeBuild::', 'build'],
  ['AWS::ECR::', 'build'],
  ['AWS::CodeDeploy::', 'deploy'],
  ['AWS::CloudWatch::', 'deploy'],
  ['AWS::ECS::', 'service'],
  ['AWS::ElasticLoadBalancingV2::', 'service'],
  ['AWS::Logs::', 'service'],
  ['AWS::EC2::', 'network'],
  ['AWS::SNS::', 'notifications'],
  ['AWS::Events::', 'notifications'],
  ['AWS::CodeStarNotifications::', 'notifications'],
  ['AWS::KMS::', 'security'],
  ['AWS::IAM::', 'security'],
  ['AWS::SecretsManager::', 'security'],
];

/** The cluster of a resource: by logical ID for per-stage resources, else by type. */
export function clusterOf(id: string, type: string): Cluster {
  return (
    BY_ID.find(([pattern]) => pattern.test(id))?.[1] ??
    BY_TYPE_PREFIX.find(([prefix]) => type.startsWith(prefix))?.[1] ??
    'other'
  );
}

const STAGES: readonly [RegExp, Cluster][] = [
  [/source/i, 'source'],
  [/scan|security/i, 'scan'],
  [/test/i, 'test'],
  [/build/i, 'build'],
  [/deploy|release/i, 'deploy'],
];

/** The cluster of a pipeline stage, by its name. */
export const stageCluster = (name: string): Cluster => STAGES.find(([p]) => p.test(name))?.[1] ?? 'other';
