// Tags on every resource whose type takes them, in the shape its row in types.ts gives.
import type { Tag } from '../naming.js';
import { resourceType } from './types.js';
import type { Part } from './template.js';

/** Tags in the shape a resource type takes, or undefined when it takes none. */
export function tagsFor(type: string, tags: readonly Tag[]): Tag[] | Record<string, Tag['Value']> | undefined {
  switch (resourceType(type).tags) {
    case 'list':
      return [...tags];
    case 'map':
      return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
    default:
      return undefined;
  }
}

/** Adds `tags` to every part whose type accepts tags; returns the parts. */
export function withTags(parts: readonly Part[], tags: readonly Tag[]): Part[] {
  for (const { resource } of parts) {
    const shaped = tagsFor(resource.Type, tags);
    if (shaped !== undefined) resource.Properties = { ...resource.Properties, Tags: shaped };
  }
  return [...parts];
}
