// The architecture graph as a Mermaid flowchart, which GitHub draws inline in the README.
import type { Cluster } from './clusters.js';
import { CLUSTERS } from './clusters.js';
import type { ArchitectureGraph, GraphEdge, GraphNode } from './graph.js';

const ARROWS: Readonly<Record<GraphEdge['kind'], string>> = { flow: '==>', reference: '-->', light: '-.-' };

const label = (text: string): string => text.replace(/"/g, '#quot;');

function nodeLine(node: GraphNode): string {
  const text = label([node.title, node.subtitle, ...(node.attached ? [node.attached] : [])].join('<br/>'));
  return node.pipeline !== undefined ? `    ${node.id}(["${text}"])` : `    ${node.id}["${text}"]`;
}

/** Mermaid source of the diagram (without the code fence). */
export function toMermaid(graph: ArchitectureGraph): string {
  const out = ['flowchart LR'];
  for (const cluster of Object.keys(CLUSTERS) as Cluster[]) {
    const members = graph.nodes.filter((n) => n.cluster === cluster);
    if (members.length === 0) continue;
    out.push(`  subgraph cluster_${cluster} ["${CLUSTERS[cluster]}"]`, ...members.map(nodeLine), '  end');
  }
  for (const edge of graph.edges) out.push(`  ${edge.from} ${ARROWS[edge.kind]} ${edge.to}`);
  const stages = graph.nodes.filter((n) => n.pipeline !== undefined).map((n) => n.id);
  out.push('  classDef stage fill:#1f4f99,color:#ffffff,stroke:#1f4f99');
  if (stages.length > 0) out.push(`  class ${stages.join(',')} stage`);
  return out.join('\n');
}
