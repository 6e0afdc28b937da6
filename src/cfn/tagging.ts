// Tags on every resource whose type takes them (its row in types.ts says so).
import type { Tag } from '../naming.js';
import { resourceType } from './types.js';
import type { Part } from './template.js';

/** Tags as a resource type takes them, or undefined when it takes none. */
export const tagsFor = (type: string, tags: readonly Tag[]): Tag[] | undefined =>
  resourceType(type).tags === 'list' ? [...tags] : undefined;

/** Adds `tags` to every part whose type accepts tags; returns the parts. */
export function withTags(parts: readonly Part[], tags: readonly Tag[]): Part[] {
  for (const { resource } of parts) {
    const shaped = tagsFor(resource.Type, tags);
    if (shaped !== undefined) resource.Properties = { ...resource.Properties, Tags: shaped };
  }
  return [...parts];
}
