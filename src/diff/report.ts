// The whole diff of two templates, and how it prints: security-relevant changes first, under their
// own heading, then resources added, removed and changed (by property path), then other sections.
import type { JsonObject } from '../model/json.js';
import { typeOf } from '../model/resource.js';
import type { TemplateModel } from '../model/template.js';
import { changedPaths, sameJson } from './paths.js';
import type { SecurityChange } from './security.js';
import { securityChanges } from './security.js';

export interface TemplateDiff {
  readonly security: readonly SecurityChange[];
  readonly added: readonly { id: string; type: string }[];
  readonly removed: readonly { id: string; type: string }[];
  readonly changed: readonly { id: string; type: string; paths: readonly string[] }[];
  /** Paths outside Resources that differ: `Parameters.GitHubBranch.Default`, `Outputs.PipelineUrl` … */
  readonly otherSections: readonly string[];
}

/** Differences from `before` (a file or a stack) to `after` (a fresh build). */
export function diffTemplates(before: TemplateModel, after: TemplateModel): TemplateDiff {
  const was = new Map(before.resources());
  const is = new Map(after.resources());
  const sections = [...new Set([...Object.keys(after.body), ...Object.keys(before.body)])].filter(
    (k) => k !== 'Resources',
  );
  return {
    security: securityChanges(before, after),
    added: [...is].filter(([id]) => !was.has(id)).map(([id, r]) => ({ id, type: typeOf(r) })),
    removed: [...was].filter(([id]) => !is.has(id)).map(([id, r]) => ({ id, type: typeOf(r) })),
    changed: [...is]
      .filter(([id, r]) => was.has(id) && !sameJson(was.get(id) as JsonObject, r))
      .map(([id, r]) => ({ id, type: typeOf(r), paths: changedPaths(was.get(id), r) })),
    otherSections: sections.flatMap((k) => changedPaths(before.body[k], after.body[k], k)),
  };
}

export const isEmpty = (d: TemplateDiff): boolean =>
  d.security.length + d.added.length + d.removed.length + d.changed.length + d.otherSections.length === 0;

const SIGN: Readonly<Record<SecurityChange['change'], string>> = { added: '+', removed: '-', changed: '~' };

// A long list of changed paths (every tag of a resource, say) is cut here, with a count of the rest.
const MAX_PATHS = 12;

/** The diff as printed lines; `before` and `after` name the two sides in the heading. */
export function formatDiff(d: TemplateDiff, before: string, after: string): string[] {
  if (isEmpty(d)) return [`No changes: ${before} matches a fresh build of ${after}.`];
  const out = [`Changes from ${before} (-) to a fresh build of ${after} (+)`, ''];
  out.push(`Security-relevant changes (${d.security.length})${d.security.length === 0 ? ': none' : ''}`);
  for (const c of d.security) {
    out.push(`  ${SIGN[c.change]} ${c.resourceId} (${c.type}) ${c.where}, ${c.subject}: ${c.change}`);
    out.push(...c.details.map((line) => `      ${line}`));
  }
  const section = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    out.push('', `${title} (${items.length})`, ...items.map((i) => `  ${i}`));
  };
  section(
    'Resources added',
    d.added.map((r) => `+ ${r.id} (${r.type})`),
  );
  section(
    'Resources removed',
    d.removed.map((r) => `- ${r.id} (${r.type})`),
  );
  section(
    'Resources changed',
    d.changed.map((r) => {
      const shown = r.paths.slice(0, MAX_PATHS).join(', ');
      const more = r.paths.length > MAX_PATHS ? ` … and ${r.paths.length - MAX_PATHS} more` : '';
      return `~ ${r.id} (${r.type}): ${shown}${more}`;
    }),
  );
  section(
    'Other sections changed',
    d.otherSections.map((p) => `~ ${p}`),
  );
  return out;
}
