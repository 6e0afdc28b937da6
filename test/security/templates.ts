// Every emitted template, rendered the way `cfn-cicd build` writes it, as text, as a parsed object
// and (for the external scanners) as a file in a temp directory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAll } from '../../src/commands/build.js';
import { loadYaml } from '../../src/render/yaml.js';
import type { CfnTemplate } from '../helpers.js';

export interface EmittedTemplate {
  readonly file: string;
  readonly yaml: string;
  readonly template: CfnTemplate;
}

/** Every template `cfn-cicd build` would write, parsed back from its YAML. */
export function emittedTemplates(): EmittedTemplate[] {
  return [...renderAll()].map(([file, yaml]) => ({ file, yaml, template: loadYaml(yaml) as CfnTemplate }));
}

/** Writes the emitted templates into a fresh temp directory; returns file name → path. */
export function writeEmittedTemplates(prefix: string): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), `cfn-cicd-${prefix}-`));
  return new Map(
    emittedTemplates().map(({ file, yaml }) => {
      const path = join(dir, file);
      writeFileSync(path, yaml);
      return [file, path];
    }),
  );
}
