// Reading flags the way every command does: one value per single-valued flag, never an empty one.
import { InputError } from '../errors.js';

/**
 * The one value of a single-valued flag: given twice (yargs makes an array), a non-string or empty
 * is an InputError naming the flag. Undefined when the flag is absent.
 */
export function single(args: object, flag: string): string | undefined {
  const value: unknown = (args as Record<string, unknown>)[flag];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new InputError(`--${flag} is given more than once`);
  if (typeof value !== 'string' || value === '') throw new InputError(`--${flag} needs a value`);
  return value;
}

/** A single-valued flag that must match `pattern`; the message says what is allowed. */
export function checked(args: object, flag: string, pattern: RegExp, allowed: string): string | undefined {
  const value = single(args, flag);
  if (value !== undefined && !pattern.test(value))
    throw new InputError(`--${flag} ${JSON.stringify(value)}: ${allowed}`);
  return value;
}

/** The values of a repeatable flag, each a non-empty string; none when the flag is absent. */
export function list(args: object, flag: string): string[] {
  const items: unknown = (args as Record<string, unknown>)[flag] ?? [];
  // yargs makes an array of a flag declared `array: true`, except for `--flag.key=value` (an object).
  if (!Array.isArray(items) || items.some((item) => typeof item !== 'string' || item === '')) {
    throw new InputError(`--${flag} needs a value`);
  }
  return items as string[];
}

/** A boolean flag's value. yargs reads `--check=maybe` (and `--check=1`) as false: refused instead. */
export function boolean(args: object, flag: string, argv: readonly string[]): boolean {
  for (const arg of argv) {
    const [, name, value] = /^--(?:no-)?([^=]+)=(.*)$/s.exec(arg) ?? [];
    if (name === flag && value !== 'true' && value !== 'false') {
      throw new InputError(`--${flag} ${JSON.stringify(value)}: takes no value, or true or false`);
    }
  }
  return (args as Record<string, unknown>)[flag] === true;
}
