// The accounts-and-Regions picture of a promoting pipeline (docs/accounts.svg), drawn from the build
// config: the tools account with the pipeline and an artifact store and image replica in each other
// Region, each target account with its bootstrap roles and its environment stacks per Region, and
// what crosses between them (the deploy role assumed per stage, ECR replication, image pulls).
import type { BuildConfig } from '../config.js';
import type { Placement } from '../accounts.js';
import { placements, remoteRegions, targetRoleName, TargetRoles } from '../accounts.js';
import { physicalNameText } from '../naming.js';

const SUFFIX = '<suffix>';
const quote = (id: string): string => `"${id.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const node = (id: string, title: string, subtitle: string, fill = '#ffffff') =>
  `      ${quote(id)} [label=<<b>${html(title)}</b><br/><font point-size="8">${html(subtitle)}</font>>, fillcolor="${fill}"];`;
const cluster = (id: string, label: string, fill: string, border: string, body: readonly string[]) => [
  `    subgraph ${quote(`cluster_${id}`)} {`,
  `      label=<<b>${html(label)}</b>>; style="rounded,filled"; fillcolor="${fill}"; color="${border}"; fontsize=11;`,
  ...body,
  '    }',
];

/** DOT source of the picture; deterministic for a config. */
export function accountsDot(config: BuildConfig, title: string): string {
  const home = config.pipeline;
  if (home === undefined) return '';
  const placed = placements(config);
  const accountOf = (p: Placement) => p.account ?? home.account;
  const regionOf = (p: Placement) => p.region ?? home.region;
  const stackId = (p: Placement) => `stack:${accountOf(p)}:${regionOf(p)}:${p.environment.name}`;
  const repoId = (region: string) => `repo:${region}`;
  const out = [
    'digraph accounts {',
    `  graph [rankdir=LR, newrank=true, fontname="Helvetica", fontsize=13, labelloc=t, label=<<b>${html(title)}</b>>, nodesep=0.25, ranksep=0.7, pad=0.2];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.08,0.03", height=0.3, color="#8993a4"];',
    '  edge [color="#5e6c84", arrowsize=0.6, penwidth=0.9, fontname="Helvetica", fontsize=9];',
  ];
  // The tools account: the pipeline at home, a store and a replica in each other Region.
  const toolsRegions = [home.region, ...remoteRegions(config)].map((region) =>
    cluster(`tools:${region}`, region, '#ffffff', '#aebfdc', [
      ...(region === home.region
        ? [node('pipeline', 'CodePipeline', physicalNameText('pipeline', SUFFIX), '#dbe6fa')]
        : [node(`store:${region}`, 'Artifact store', `${physicalNameText('artifacts', SUFFIX)} stack`)]),
      node(repoId(region), region === home.region ? 'ECR repository' : 'ECR replica', physicalNameText('app', SUFFIX)),
    ]),
  );
  out.push(
    ...cluster('tools', `Tools account ${home.account}`, '#eef4ff', '#aebfdc', toolsRegions.flat()).map(
      (l) => `  ${l}`,
    ),
  );
  // Each target account (the tools account too, when an environment runs there).
  const accounts = [...new Set(placed.map(accountOf))];
  for (const account of accounts) {
    const here = placed.filter((p) => accountOf(p) === account);
    const remote = account !== home.account;
    const roles = remote
      ? [...new Set(here.map((p) => p.environment.name))].map((env) =>
          node(`role:${account}:${env}`, 'Deploy role', targetRoleName(TargetRoles.Deploy, env, SUFFIX), '#fdf0f3'),
        )
      : [];
    const regions = [...new Set(here.map(regionOf))].map((region) =>
      cluster(
        `target:${account}:${region}`,
        region,
        '#ffffff',
        '#a6d0da',
        here
          .filter((p) => regionOf(p) === region)
          .map((p) =>
            node(stackId(p), p.stageName, `${physicalNameText('environment', `${SUFFIX}-${p.environment.name}`)}`),
          ),
      ),
    );
    const label = remote ? `Target account ${account}` : `Tools account ${account}: environments`;
    out.push(
      ...cluster(`account:${account}`, label, '#eef8fa', '#a6d0da', [...roles, ...regions.flat()]).map((l) => `  ${l}`),
    );
  }
  // Stage by stage: the pipeline acts through the deploy role in another account, itself at home.
  placed.forEach((p, index) => {
    const label = `${index + 1}. ${p.stageName}`;
    if (p.account === undefined) {
      out.push(`  "pipeline" -> ${quote(stackId(p))} [label=${quote(label)}, color="#1f4f99", penwidth=1.6];`);
    } else {
      const role = `role:${p.account}:${p.environment.name}`;
      out.push(`  "pipeline" -> ${quote(role)} [label=${quote(`${label}: assume`)}, color="#1f4f99", penwidth=1.6];`);
      out.push(`  ${quote(role)} -> ${quote(stackId(p))} [label="change set", color="#1f4f99"];`);
    }
    out.push(
      `  ${quote(repoId(regionOf(p)))} -> ${quote(stackId(p))} [label="pull", style=dashed, color="#9aa5b8", constraint=false];`,
    );
  });
  for (const region of remoteRegions(config)) {
    out.push(`  ${quote(repoId(home.region))} -> ${quote(repoId(region))} [label="ECR replication", style=dashed];`);
    out.push(`  "pipeline" -> ${quote(`store:${region}`)} [label="artifacts", style=dotted, arrowhead=none];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
