// Tags on every resource whose type takes them (its row in types.ts says so).
import type { Tag } from '../naming.js';
import { resourceType } from './types.js';
import type { Part } from './template.js';

/** Tags as a resource type takes them, or undefined when it takes none. */
export const tagsFor = (type: string, tags: readonly Tag[]): Tag[] | undefined =>
  resourceType(type).tags === 'list' ? [...tags] : undefined;

/**
 * Adds `tags` to every part whose type accepts tags, keeping a resource's own tags of other keys
 * (the service's Release); sorted by key. Returns the parts.
 */
export function withTags(parts: readonly Part[], tags: readonly Tag[]): Part[] {
  for (const { resource } of parts) {
    const shaped = tagsFor(resource.Type, tags);
    if (shaped === undefined) continue;
    const keys = new Set(shaped.map((t) => t.Key));
    const own = ((resource.Properties as { Tags?: Tag[] } | undefined)?.Tags ?? []).filter((t) => !keys.has(t.Key));
    const all = [...own, ...shaped].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
    resource.Properties = { ...resource.Properties, Tags: all };
  }
  return [...parts];
}
