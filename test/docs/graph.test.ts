import { expect } from 'chai';
import { TemplateModel } from '../../src/model/template.js';
import { toDot } from '../../src/docs/dot.js';
import type { ArchitectureGraph } from '../../src/docs/graph.js';
import { actionNames, architectureGraph } from '../../src/docs/graph.js';
import { toMermaid } from '../../src/docs/mermaid.js';
import type { JsonObject } from '../../src/model/json.js';
import { PIPELINE_TEMPLATE_FILE } from '../../src/naming.js';
import type { Emitted } from './support.js';
import { emitted, referencedIds } from './support.js';

/** Every (from, to) node pair the template's references call for, derived from the template alone. */
function expectedEdges(t: Emitted, graph: ArchitectureGraph): { from: string; to: string }[] {
  const nodeOf = new Map(graph.nodes.flatMap((n) => n.members.map((m) => [m, n.id] as const)));
  const stageNode = (pipeline: string, stage: string) =>
    graph.nodes.find((n) => n.pipeline === nodeOf.get(pipeline) && n.title === stage)?.id as string;
  const wanted: { from: string; to: string }[] = [];
  for (const [id, r] of Object.entries(t.resources)) {
    const { Stages: stages, ...own } = (r.Properties ?? {}) as JsonObject & { Stages?: { Name: string }[] };
    const from = nodeOf.get(id) as string;
    for (const target of referencedIds(own)) {
      if (target in t.resources && nodeOf.get(target) !== from) {
        wanted.push({ from, to: nodeOf.get(target) as string });
      }
    }
    for (const stage of r.Type === 'AWS::CodePipeline::Pipeline' ? (stages ?? []) : []) {
      for (const target of referencedIds(stage as unknown as JsonObject)) {
        if (target in t.resources) wanted.push({ from: stageNode(id, stage.Name), to: nodeOf.get(target) as string });
      }
    }
  }
  return wanted;
}

function checkGraph(t: Emitted): void {
  const graph = architectureGraph(t.model);
  const members = graph.nodes.flatMap((n) => n.members);
  expect([...members].sort(), 'each resource drawn exactly once').to.deep.equal(Object.keys(t.resources).sort());

  const has = (from: string, to: string) => graph.edges.some((e) => e.from === from && e.to === to);
  const wanted = expectedEdges(t, graph);
  for (const { from, to } of wanted) {
    // The pipeline's own edge may be carried by one of its stages (a stage is part of the pipeline).
    const viaStage = graph.nodes.some((n) => n.pipeline === from && has(n.id, to));
    expect(has(from, to) || viaStage, `edge ${from} -> ${to}`).to.equal(true);
  }
  for (const edge of graph.edges.filter((e) => e.kind !== 'flow')) {
    const justified = wanted.some((w) => w.from === edge.from && w.to === edge.to);
    expect(justified, `edge ${edge.from} -> ${edge.to} comes from a reference`).to.equal(true);
  }

  const dot = toDot(graph, 'title');
  const mermaid = toMermaid(graph);
  for (const edge of graph.edges) {
    expect(dot).to.include(`"${edge.from}" -> "${edge.to}"`);
    expect(mermaid).to.match(new RegExp(`\\n  ${edge.from} (-->|-\\.-|==>) ${edge.to}\\n`));
  }
  for (const node of graph.nodes) {
    expect(dot).to.include(`"${node.id}" [label=<<b>${node.title}</b>`);
    expect(mermaid).to.include(`    ${node.id}`);
  }
}

describe('architecture graph', () => {
  it('names each stage’s actions in its node, both branches of a chosen source once', () => {
    const pipeline = emitted().find((t) => t.file === PIPELINE_TEMPLATE_FILE) as Emitted;
    const graph = architectureGraph(pipeline.model);
    const stage = (title: string) => graph.nodes.find((n) => n.pipeline !== undefined && n.title === title);
    expect(stage('Build')?.attached).to.equal('actions: Build, SecretsScan, StaticAnalysis, SourceDependencyScan');
    expect(stage('SecurityScan')?.attached).to.equal(
      'actions: ImageScanGate, ImageDependencyScan, AttachSbom, VerifySignature',
    );
    expect(stage('Source')?.attached).to.equal('actions: GitHub');
    expect(actionNames({ Actions: { 'Fn::If': ['c', [{ Name: 'A' }], [{ Name: 'B' }, 'odd']] } })).to.deep.equal([
      'A',
      'B',
    ]);
    expect(actionNames({ Actions: { Ref: 'Unusual' } })).to.deep.equal([]);
    expect(actionNames('not a stage')).to.deep.equal([]);
  });

  for (const t of emitted()) {
    it(`templates/${t.file}: draws every resource once and an edge for each reference between resources`, () => {
      checkGraph(t);
    });
  }

  const pipelineTemplate = emitted().find((t) => t.file === PIPELINE_TEMPLATE_FILE) as Emitted;
  const pipelines = Object.entries(pipelineTemplate.resources).filter(
    ([, r]) => r.Type === 'AWS::CodePipeline::Pipeline',
  );

  it('has a node for each pipeline stage, chained in order from the pipeline', () => {
    expect(pipelines, 'the pipeline template has a pipeline').to.have.length.greaterThan(0);
    const graph = architectureGraph(pipelineTemplate.model);
    for (const [id, pipeline] of pipelines) {
      const stages = ((pipeline.Properties as { Stages: { Name: string }[] }).Stages ?? []).map((s) => s.Name);
      expect(stages).to.have.length(5);
      const nodes = stages.map((name) => graph.nodes.find((n) => n.pipeline === id && n.title === name));
      nodes.forEach((n, i) => expect(n, `stage ${stages[i]}`).to.not.equal(undefined));
      const chain = [id, ...nodes.map((n) => n?.id as string)];
      for (let i = 1; i < chain.length; i++) {
        expect(graph.edges).to.deep.include({ from: chain[i - 1], to: chain[i], kind: 'flow' });
      }
    }
  });

  describe('on a small template', () => {
    const sub = (text: string) => ({ 'Fn::Sub': text });
    const body: JsonObject = {
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: sub('b-${AWS::Region}') } },
        BucketPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { Ref: 'Bucket' } } },
        ProjectLogs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
        ProjectRole: {
          Type: 'AWS::IAM::Role',
          Properties: { Policies: [{ PolicyDocument: { Statement: [{ Resource: sub('${Bucket.Arn}/*') }] } }] },
        },
        Project: {
          Type: 'AWS::CodeBuild::Project',
          Properties: {
            ServiceRole: { 'Fn::GetAtt': ['ProjectRole', 'Arn'] },
            LogsConfig: { CloudWatchLogs: { GroupName: { Ref: 'ProjectLogs' } } },
          },
        },
        Pipeline: {
          Type: 'AWS::CodePipeline::Pipeline',
          Properties: {
            ArtifactStore: { Location: { Ref: 'Bucket' } },
            Stages: [
              { Name: 'Source', Actions: [] },
              { Name: 'Build', Actions: [{ Configuration: { ProjectName: { Ref: 'Project' } } }] },
            ],
          },
        },
      },
    };
    const graph = architectureGraph(new TemplateModel(body));
    const node = (id: string) => graph.nodes.find((n) => n.id === id);

    it('draws a role and log group inside the project that uses them, a policy inside its bucket', () => {
      expect(node('Project')?.members).to.deep.equal(['Project', 'ProjectLogs', 'ProjectRole']);
      expect(node('Project')?.attached).to.equal('+ LogGroup, Role');
      expect(node('Bucket')?.members).to.deep.equal(['Bucket', 'BucketPolicy']);
      expect(graph.nodes.map((n) => n.id)).to.deep.equal([
        'Bucket',
        'Project',
        'Pipeline',
        'Pipeline_Source',
        'Pipeline_Build',
      ]);
    });

    it('draws a role’s references as light edges, stage references from the stage, and the stage chain', () => {
      expect(graph.edges).to.deep.equal([
        { from: 'Project', to: 'Bucket', kind: 'light' },
        { from: 'Pipeline', to: 'Bucket', kind: 'reference' },
        { from: 'Pipeline', to: 'Pipeline_Source', kind: 'flow' },
        { from: 'Pipeline_Source', to: 'Pipeline_Build', kind: 'flow' },
        { from: 'Pipeline_Build', to: 'Project', kind: 'reference' },
      ]);
    });

    it('puts each node in the cluster of its concern', () => {
      expect(Object.fromEntries(graph.nodes.map((n) => [n.id, n.cluster]))).to.deep.equal({
        Bucket: 'source',
        Project: 'build',
        Pipeline: 'source',
        Pipeline_Source: 'source',
        Pipeline_Build: 'build',
      });
    });
  });
});
