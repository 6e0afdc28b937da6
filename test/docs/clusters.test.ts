import { expect } from 'chai';
import type { Cluster } from '../../src/docs/clusters.js';
import { stageCluster } from '../../src/docs/clusters.js';

describe('docs/clusters: the diagram cluster of a pipeline stage, by its name', () => {
  const rows: [string, Cluster][] = [
    ['Source', 'source'],
    ['Build', 'build'],
    ['Test', 'test'],
    ['IntegrationTests', 'test'],
    ['SecurityScan', 'scan'],
    // The first pattern that matches wins, and scan is tried before test and build.
    ['BuildScanReport', 'scan'],
    ['Deploy', 'deploy'],
    ['ReleaseToProd', 'deploy'],
    ['ManualApproval', 'other'],
  ];
  for (const [stage, cluster] of rows) {
    it(`puts a stage named ${stage} in ${cluster}`, () => {
      expect(stageCluster(stage)).to.equal(cluster);
    });
  }
});
