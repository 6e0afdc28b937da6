// The diagram's clusters: titles in layout order, and which cluster a pipeline stage belongs to by
// its name. A resource's own cluster is in its row of src/cfn/types.ts.
import type { Cluster } from '../cfn/types.js';

/** Clusters in the order the diagram lays them out, left to right, with their titles. */
export const CLUSTERS: Readonly<Record<Cluster, string>> = {
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
};

export type { Cluster };

const STAGES: readonly [RegExp, Cluster][] = [
  [/source/i, 'source'],
  [/scan|security/i, 'scan'],
  [/test/i, 'test'],
  [/build/i, 'build'],
  [/deploy|release/i, 'deploy'],
];

/** The cluster of a pipeline stage, by its name. */
export const stageCluster = (name: string): Cluster => STAGES.find(([p]) => p.test(name))?.[1] ?? 'other';
