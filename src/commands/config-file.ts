// Reads the --config file that build and diff take: one clear line for a missing, unreadable or bad file.
import { readFile } from 'node:fs/promises';
import type { BuildConfig } from '../config.js';
import { DEFAULT_CONFIG, parseConfig } from '../config.js';
import { InputError } from '../errors.js';

/** The config at `path`, or the default config when no path is given. */
export async function loadConfig(path: string | undefined): Promise<BuildConfig> {
  if (path === undefined) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`--config ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(`--config ${path}: not valid JSON`);
  }
  return parseConfig(raw, `--config ${path}`);
}
