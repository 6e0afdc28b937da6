// The architecture graph as Graphviz DOT: left to right, one cluster per concern, stages in bold,
// references to the security cluster (key, roles, secrets) drawn light so they do not crowd the flow.
import type { Cluster } from './clusters.js';
import { CLUSTERS } from './clusters.js';
import type { ArchitectureGraph, GraphEdge, GraphNode } from './graph.js';

/** Fill and border of each cluster. */
const CLUSTER_COLORS: Readonly<Record<Cluster, readonly [string, string]>> = {
  source: ['#eef4ff', '#aebfdc'],
  build: ['#eefaf2', '#a9d3b5'],
  test: ['#f3f0fb', '#c2b6e0'],
  scan: ['#fff4ec', '#e5bd9c'],
  deploy: ['#fdf0f3', '#e2aab8'],
  service: ['#eef8fa', '#a6d0da'],
  network: ['#f5f5f2', '#c5c5b8'],
  notifications: ['#fffbe8', '#dccf8c'],
  security: ['#f6f6f6', '#c8c8c8'],
  other: ['#ffffff', '#c8c8c8'],
};

const EDGE_ATTRIBUTES: Readonly<Record<GraphEdge['kind'], string>> = {
  flow: ' [color="#1f4f99", penwidth=2.2, arrowsize=0.8, weight=10]',
  reference: '',
  light: ' [color="#c3c8d0", style=dashed, arrowhead=none, constraint=false]',
};

const quote = (id: string): string => `"${id.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function nodeLine(node: GraphNode): string {
  const lines = [`<b>${html(node.title)}</b>`, `<font point-size="8">${html(node.subtitle)}</font>`];
  if (node.attached) lines.push(`<font point-size="8" color="#6b778c">${html(node.attached)}</font>`);
  const style = node.pipeline !== undefined ? ', fillcolor="#1f4f99", fontcolor="#ffffff", color="#1f4f99"' : '';
  return `    ${quote(node.id)} [label=<${lines.join('<br/>')}>${style}];`;
}

/** DOT source of the diagram. Deterministic: nodes and edges in the graph's order. */
export function toDot(graph: ArchitectureGraph, title: string): string {
  const out = [
    'digraph architecture {',
    `  graph [rankdir=LR, newrank=true, fontname="Helvetica", fontsize=13, labelloc=t, label=<<b>${html(title)}</b>>, nodesep=0.18, ranksep=0.45, pad=0.2];`,
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#8993a4", fontname="Helvetica", fontsize=10, margin="0.08,0.03", height=0.3];',
    '  edge [color="#5e6c84", arrowsize=0.6, penwidth=0.9];',
  ];
  for (const cluster of Object.keys(CLUSTERS) as Cluster[]) {
    const members = graph.nodes.filter((n) => n.cluster === cluster);
    if (members.length === 0) continue;
    const [fill, border] = CLUSTER_COLORS[cluster];
    out.push(
      `  subgraph cluster_${cluster} {`,
      `    label=<<b>${html(CLUSTERS[cluster])}</b>>; style="rounded,filled"; fillcolor="${fill}"; color="${border}"; fontsize=11;`,
      ...members.map(nodeLine),
      '  }',
    );
  }
  for (const edge of graph.edges) out.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${EDGE_ATTRIBUTES[edge.kind]};`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
