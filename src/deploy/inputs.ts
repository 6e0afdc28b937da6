// Where deploy's parameter values and tags come from: a parameters file, repeatable
// `--parameter Key=Value`, and flags named after the template's parameters (GitHubOwner →
// --github-owner). Later sources win: file, then --parameter, then named flags.
import { InputError } from '../errors.js';
import { parseJsonInput } from '../files.js';
import type { Json } from '../model/json.js';
import type { GivenValue } from './preflight.js';
import { parameterText } from './preflight.js';

/** Brand names that read as one word in a flag: GitHubOwner → --github-owner, not --git-hub-owner. */
const ONE_WORD = [['GitHub', 'Github']] as const;

/** The kebab-case flag of a parameter name: EnvironmentSuffix → environment-suffix. */
export function flagName(parameter: string): string {
  const joined = ONE_WORD.reduce((name, [brand, word]) => name.replaceAll(brand, word), parameter);
  return joined
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** Flag spellings compared without case or hyphens, so --github-owner, --git-hub-owner and --GitHubOwner agree. */
export const flagKey = (flag: string): string => flag.replace(/-/g, '').toLowerCase();

/** `Key=Value` split at the first `=`; the key must not be empty. */
export function keyValue(text: string, flag: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new InputError(`${flag} ${JSON.stringify(text)}: expected Key=Value`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/**
 * A parameters file: `{"Key": "Value"}` or CloudFormation's
 * `[{"ParameterKey": "Key", "ParameterValue": "Value"}]`. Numbers and booleans become their text.
 */
export function parseParametersFile(text: string, path: string): Record<string, GivenValue> {
  const source = `--parameters ${path}`;
  const raw = parseJsonInput(text, source);
  const shape = `${source}: expected {"Key": "Value", …} or [{"ParameterKey": "Key", "ParameterValue": "Value"}, …]`;
  const entries: [string, Json | undefined][] = [];
  if (Array.isArray(raw)) {
    raw.forEach((item: unknown, index) => {
      const entry = item as Record<string, Json> | null;
      if (entry === null || typeof entry !== 'object' || typeof entry['ParameterKey'] !== 'string') {
        throw new InputError(`${shape}; item ${index} has no string "ParameterKey"`);
      }
      entries.push([entry['ParameterKey'], entry['ParameterValue']]);
    });
  } else if (raw !== null && typeof raw === 'object') {
    entries.push(...Object.entries(raw as Record<string, Json>));
  } else {
    throw new InputError(shape);
  }
  const values: Record<string, GivenValue> = {};
  for (const [key, value] of entries) {
    const textValue = parameterText(value);
    if (textValue === undefined) {
      throw new InputError(`${source}: ${key} must be a string, number or boolean, not ${JSON.stringify(value)}`);
    }
    if (Object.hasOwn(values, key)) throw new InputError(`${source}: ${key} is given twice`);
    values[key] = { value: textValue, source };
  }
  return values;
}

/** Repeatable `--parameter Key=Value`. */
export function parseParameterFlags(items: readonly string[]): Record<string, GivenValue> {
  const values: Record<string, GivenValue> = {};
  for (const item of items) {
    const [key, value] = keyValue(item, '--parameter');
    if (Object.hasOwn(values, key) && values[key]?.value !== value) {
      throw new InputError(`--parameter ${key} is given twice with different values`);
    }
    values[key] = { value, source: `--parameter ${key}` };
  }
  return values;
}

/**
 * Flags yargs did not know, matched to template parameters by their kebab-case name. `extra` holds
 * yargs' parsed leftovers, each under the spelling the user typed (camel-case expansion is off), so
 * two spellings of one parameter (--github-owner and --GitHubOwner) are two entries: refused.
 */
export function parameterFlags(
  extra: Readonly<Record<string, unknown>>,
  parameterNames: readonly string[],
): Record<string, GivenValue> {
  const byKey = new Map(parameterNames.map((name) => [flagKey(flagName(name)), name]));
  const values: Record<string, GivenValue> = {};
  const seen = new Map<string, string>();
  for (const [flag, value] of Object.entries(extra)) {
    const key = flagKey(flag);
    const name = byKey.get(key);
    if (name === undefined) {
      const flags = parameterNames.map((n) => `--${flagName(n)}`).join(', ');
      throw new InputError(
        `unknown option --${flag}; deploy's parameter flags for this template are ${flags || 'none'}`,
      );
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new InputError(`--${earlier} and --${flag} both set ${name}; give one`);
    seen.set(key, flag);
    if (Array.isArray(value)) throw new InputError(`--${flag} is given more than once`);
    if (typeof value !== 'string') throw new InputError(`--${flag} needs a value`);
    values[name] = { value, source: `--${flag}` };
  }
  return values;
}

// CloudFormation stack tags: 1-128 / 0-256 Unicode letters, digits, spaces and _.:/=+-@, no aws: prefix.
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const MAX_STACK_TAGS = 50;

/** `--tags Key=Value …` as checked stack tags. */
export function parseTags(items: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const item of items) {
    const [key, value] = keyValue(item, '--tags');
    if (!TAG_KEY.test(key) || key.toLowerCase().startsWith('aws:')) {
      throw new InputError(
        `--tags key ${JSON.stringify(key)}: 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:`,
      );
    }
    if (!TAG_VALUE.test(value)) {
      throw new InputError(`--tags ${key} value ${JSON.stringify(value)}: 0-256 letters, digits, spaces and _.:/=+-@`);
    }
    if (Object.hasOwn(tags, key)) throw new InputError(`--tags ${key} is given twice`);
    tags[key] = value;
  }
  if (Object.keys(tags).length > MAX_STACK_TAGS) {
    throw new InputError(`--tags: ${Object.keys(tags).length} tags given; a stack takes at most ${MAX_STACK_TAGS}`);
  }
  return tags;
}
