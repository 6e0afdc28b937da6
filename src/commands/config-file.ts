// Reads the --config file that build and diff take: one clear line for a missing, unreadable,
// oversized or bad file. A byte-order mark (as Windows editors write) is fine.
import type { BuildConfig } from '../config.js';
import { DEFAULT_CONFIG, parseConfig } from '../config.js';
import { parseJsonInput, readInputText } from '../files.js';

/** Far more than a project name and ten tags need. */
export const CONFIG_LIMIT = { bytes: 65_536, why: 'far more than a project name and ten tags need' } as const;

/** The config at `path`, or the default config when no path is given. */
export async function loadConfig(path: string | undefined): Promise<BuildConfig> {
  if (path === undefined) return DEFAULT_CONFIG;
  const label = `--config ${path}`;
  return parseConfig(parseJsonInput(await readInputText(path, label, CONFIG_LIMIT), label), label);
}
