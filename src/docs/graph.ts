// The architecture as a graph: a node per resource (helpers drawn inside their owner), a node per
// pipeline stage, and an edge wherever a resource's properties reference another resource.
import type { Cluster } from '../cfn/types.js';
import { RESOURCE_TYPES, resourceType } from '../cfn/types.js';
import type { Json, JsonObject } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import { referencesIn } from '../model/refs.js';
import { propertiesOf } from '../model/resource.js';
import type { TemplateModel } from '../model/template.js';
import { stageCluster } from './clusters.js';

export interface GraphNode {
  /** Node ID in DOT and Mermaid: the owner's logical ID, or `<Pipeline>_<Stage>`. */
  readonly id: string;
  /** First label line: logical ID or stage name. */
  readonly title: string;
  /** Second label line: the short type, or "pipeline stage". */
  readonly subtitle: string;
  /** Third label line: what is drawn inside this node, e.g. "+ Role, LogGroup". @default - nothing */
  readonly attached?: string;
  readonly cluster: Cluster;
  /** Logical IDs this node stands for, owner first; empty for a stage. */
  readonly members: readonly string[];
  /** For a stage: the node of its pipeline, which it is part of. @default - not a stage */
  readonly pipeline?: string;
}

/**
 * `flow`: stage order; `reference`: A's properties name B; `light`: a reference towards the security
 * cluster (key, roles, secrets) or from an IAM role or policy (a permission rather than wiring).
 */
export type EdgeKind = 'flow' | 'reference' | 'light';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface ArchitectureGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Types drawn inside the one non-IAM resource that references them (a project's role and log group). */
export const ATTACHED_TO_SOLE_USER: ReadonlySet<string> = new Set(['AWS::IAM::Role', 'AWS::Logs::LogGroup']);

const PIPELINE_TYPE = 'AWS::CodePipeline::Pipeline';

/** Properties whose references are the resource's own; a pipeline's Stages belong to its stage nodes. */
function ownProperties(r: JsonObject): JsonObject {
  const properties = propertiesOf(r);
  if (r['Type'] !== PIPELINE_TYPE) return properties;
  return Object.fromEntries(Object.entries(properties).filter(([key]) => key !== 'Stages'));
}

/** The stages of a pipeline resource, in order: name and the stage object. */
export function stagesOf(r: JsonObject): { name: string; body: Json }[] {
  const stages = propertiesOf(r)['Stages'];
  return r['Type'] === PIPELINE_TYPE && Array.isArray(stages)
    ? stages.filter(isJsonObject).map((s) => ({ name: String(s['Name']), body: s }))
    : [];
}

/** The names of a stage's actions, in order, both branches of a `!If` choice once each. */
export function actionNames(stage: Json): string[] {
  const actions = isJsonObject(stage) ? stage['Actions'] : undefined;
  const choice = isJsonObject(actions) ? actions['Fn::If'] : undefined;
  const lists = Array.isArray(choice) ? choice.slice(1) : [actions];
  return [
    ...new Set(
      lists.flatMap((list) => (Array.isArray(list) ? list.filter(isJsonObject).map((a) => String(a['Name'])) : [])),
    ),
  ];
}

export const stageNodeId = (pipelineId: string, stage: string): string =>
  `${pipelineId}_${stage.replace(/[^A-Za-z0-9]/g, '_')}`;

/** Whether `node` references `id` under a property whose name says it is a role (ServiceRole, TaskRoleArn …). */
function referencesUnderRoleKey(node: Json | undefined, id: string): boolean {
  if (Array.isArray(node)) return node.some((n) => referencesUnderRoleKey(n, id));
  if (!isJsonObject(node)) return false;
  return Object.entries(node).some(([key, value]) =>
    /Role/.test(key) ? referencesIn(value).some((ref) => ref.target === id) : referencesUnderRoleKey(value, id),
  );
}

/** Which logical ID each resource is drawn inside (itself when it stands alone). */
function owners(resources: readonly [string, JsonObject][]): Map<string, string> {
  const ids = new Set(resources.map(([id]) => id));
  const direct = new Map<string, string>();
  for (const [id, r] of resources) {
    const type = String(r['Type']);
    const property = RESOURCE_TYPES[type]?.drawnInside;
    if (property !== undefined) {
      const target = referencesIn(propertiesOf(r)[property]).find((ref) => ids.has(ref.target) && ref.target !== id);
      if (target) direct.set(id, target.target);
    } else if (ATTACHED_TO_SOLE_USER.has(type)) {
      const users = resources.filter(
        ([other, o]) =>
          other !== id &&
          !String(o['Type']).startsWith('AWS::IAM::') &&
          referencesIn(propertiesOf(o)).some((ref) => ref.target === id),
      );
      // A role used by several resources belongs to the one that assumes it (ServiceRole, RoleArn …).
      const assumers = users.filter(([, o]) => referencesUnderRoleKey(propertiesOf(o), id));
      const owner = users.length === 1 ? users[0] : assumers.length === 1 ? assumers[0] : undefined;
      if (owner) direct.set(id, owner[0]);
    }
  }
  const resolved = new Map<string, string>();
  for (const id of ids) {
    let owner = id;
    const seen = new Set<string>();
    while (direct.has(owner) && !seen.has(owner)) {
      seen.add(owner);
      owner = direct.get(owner) as string;
    }
    resolved.set(id, owner);
  }
  return resolved;
}

// Label words for long service and type names; anything else is shown as CloudFormation spells it.
const SHORT_WORDS: Readonly<Record<string, string>> = {
  ElasticLoadBalancingV2: 'ELB',
  SecretsManager: 'Secrets Manager',
  SecurityGroupEgress: 'Egress',
  SecurityGroupIngress: 'Ingress',
  SubnetRouteTableAssociation: 'RouteTableAssoc',
  VPCGatewayAttachment: 'GatewayAttachment',
};
const short = (word: string): string => SHORT_WORDS[word] ?? word;
const shortType = (type: string): string => type.split('::').slice(1).map(short).join(' ');
/** The last word of a type: `Role` for AWS::IAM::Role. */
const typeName = (type: string): string => short(type.slice(type.lastIndexOf(':') + 1));

const EDGE_PRIORITY: Readonly<Record<EdgeKind, number>> = { flow: 3, reference: 2, light: 1 };

/** The architecture graph of one template. */
export function architectureGraph(template: TemplateModel): ArchitectureGraph {
  const resources = template.resources();
  const ids = new Set(resources.map(([id]) => id));
  const ownerOf = owners(resources);
  const nodes: GraphNode[] = [];
  const clusterOfNode = new Map<string, Cluster>();
  const edges = new Map<string, GraphEdge>();

  const addNode = (node: GraphNode) => {
    nodes.push(node);
    clusterOfNode.set(node.id, node.cluster);
  };
  const addEdge = (from: string, to: string, kind?: EdgeKind) => {
    if (from === to) return;
    const edge: GraphEdge = { from, to, kind: kind ?? (clusterOfNode.get(to) === 'security' ? 'light' : 'reference') };
    const key = `${from}\u0000${to}`;
    const existing = edges.get(key);
    if (!existing || EDGE_PRIORITY[edge.kind] > EDGE_PRIORITY[existing.kind]) edges.set(key, edge);
  };

  const stages = resources.flatMap(([id, r]) => stagesOf(r).map((s) => ({ pipeline: id, ...s })));
  // A resource a stage runs (a build project) belongs to that stage's cluster; any other, to its type's
  // (every emitted type has a row: the build refuses one without).
  const stageOf = new Map<string, Cluster>();
  for (const s of stages) {
    for (const ref of referencesIn(s.body)) if (!stageOf.has(ref.target)) stageOf.set(ref.target, stageCluster(s.name));
  }
  const clusterOf = (id: string, type: string): Cluster => stageOf.get(id) ?? resourceType(type).cluster;

  for (const [id, r] of resources) {
    if (ownerOf.get(id) !== id) continue;
    const inside = resources.filter(([m]) => m !== id && ownerOf.get(m) === id);
    const attached = [...new Set(inside.map(([, m]) => typeName(String(m['Type']))))];
    addNode({
      id,
      title: id,
      subtitle: shortType(String(r['Type'])),
      ...(attached.length > 0 && { attached: `+ ${attached.join(', ')}` }),
      cluster: clusterOf(id, String(r['Type'])),
      members: [id, ...inside.map(([m]) => m)],
    });
  }
  for (const s of stages) {
    const actions = actionNames(s.body);
    addNode({
      id: stageNodeId(s.pipeline, s.name),
      title: s.name,
      subtitle: 'pipeline stage',
      ...(actions.length > 0 && { attached: `actions: ${actions.join(', ')}` }),
      cluster: stageCluster(s.name),
      members: [],
      pipeline: ownerOf.get(s.pipeline) as string,
    });
  }

  const nodeOf = (target: string): string | undefined => (ids.has(target) ? ownerOf.get(target) : undefined);
  for (const [id, r] of resources) {
    // A policy's references are permissions, not wiring: drawn light like references to the security cluster.
    const permission = String(r['Type']).startsWith('AWS::IAM::') ? 'light' : undefined;
    for (const ref of referencesIn(ownProperties(r))) {
      const to = nodeOf(ref.target);
      if (to !== undefined) addEdge(ownerOf.get(id) as string, to, permission);
    }
  }
  stages.forEach((s, i) => {
    const from = stageNodeId(s.pipeline, s.name);
    const previous = stages[i - 1];
    if (previous?.pipeline === s.pipeline) addEdge(stageNodeId(previous.pipeline, previous.name), from, 'flow');
    else addEdge(ownerOf.get(s.pipeline) as string, from, 'flow');
    for (const ref of referencesIn(s.body)) {
      const to = nodeOf(ref.target);
      if (to !== undefined) addEdge(from, to);
    }
  });

  // A stage is part of its pipeline: the pipeline's own edge to what a stage already reaches says nothing new.
  for (const s of stages) {
    const from = ownerOf.get(s.pipeline) as string;
    const stageId = stageNodeId(s.pipeline, s.name);
    for (const edge of [...edges.values()]) {
      if (edge.from === stageId && edge.kind !== 'flow') edges.delete(`${from}\u0000${edge.to}`);
    }
  }

  const order = new Map(nodes.map((n, i) => [n.id, i]));
  const rank = (id: string) => order.get(id) as number;
  return {
    nodes,
    edges: [...edges.values()].sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to)),
  };
}
