// Pre-flight: parameter values checked against the template file's own constraints, the way
// CloudFormation checks them, before any AWS call — a bad value costs one line, not a stack event.
import { InputError } from '../errors.js';
import type { Json } from '../model/json.js';
import type { TemplateParameter } from '../model/template.js';

export type { TemplateParameter };

/** A value and where it came from, so an error line can say which flag or file to fix. */
export interface GivenValue {
  readonly value: string;
  /** e.g. `--env-suffix`, `--parameters params.json`. */
  readonly source: string;
}

// CloudFormation's Number: an integer or a decimal. Checked by pattern first because JS Number()
// also takes '', ' 5', '0x10', '1e3' and 'Infinity'.
const NUMBER = /^-?\d+(\.\d+)?$/;

const compiled = new Map<string, RegExp>();

// An unescaped \p{…} or \P{…}: valid in both languages, with different meanings.
const PROPERTY_CLASS = /(?:^|[^\\])(?:\\\\)*\\[pP]/;

/**
 * AllowedPattern as a JS RegExp with CloudFormation's semantics: the whole value must match
 * (Java's `String.matches`, so `^dev$` refuses "dev\n"). The `u` flag makes `.` and `[^…]` take
 * one code point as Java does, and rejects Java-only syntax (`\A`, `\Z`, `(?i)`, possessive `*+`)
 * loudly instead of reading it as literal letters; `\p{…}` is refused as its meaning differs. Java also takes escaped
 * punctuation anywhere (`\-`, `\_`, `\@`), which `u` refuses, so those become `\u{…}` first.
 */
export function allowedPattern(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached !== undefined) return cached;
  if (PROPERTY_CLASS.test(pattern)) {
    throw new InputError(
      `AllowedPattern ${pattern} cannot be checked as a JavaScript RegExp (\\p{…} classes differ: Java's \\p{Alpha} is ASCII-only, JavaScript's is Unicode); use explicit ranges`,
    );
  }
  const portable = pattern.replace(/\\([^A-Za-z0-9])/gu, (_, c: string) => `\\u{${c.codePointAt(0)?.toString(16)}}`);
  let regexp: RegExp;
  try {
    regexp = new RegExp(`^(?:${portable})$`, 'u');
  } catch (error) {
    throw new InputError(
      `AllowedPattern ${pattern} cannot be checked as a JavaScript RegExp (${(error as Error).message}); use syntax Java and JavaScript share`,
    );
  }
  compiled.set(pattern, regexp);
  return regexp;
}

const list = (values: readonly (string | number)[]): string => values.map(String).join(', ');

/** One value against one declared parameter: the broken rule, or undefined when CloudFormation takes it. */
function brokenRule(parameter: TemplateParameter, value: string): string | undefined {
  const type = parameter.Type ?? 'String';
  if (type === 'Number') return numberRule(parameter, value);
  if (type === 'List<Number>') {
    for (const item of value.split(',')) {
      const broken = numberRule(parameter, item);
      if (broken !== undefined) return `item ${JSON.stringify(item)}: ${broken}`;
    }
    return undefined;
  }
  if (type === 'CommaDelimitedList') {
    for (const item of value.split(',')) {
      const broken = stringRule(parameter, item);
      if (broken !== undefined) return `item ${JSON.stringify(item)}: ${broken}`;
    }
    return undefined;
  }
  if (type === 'String') return stringRule(parameter, value);
  const listed = /^List<(.+)>$/.exec(type)?.[1];
  const idForm = AWS_ID_FORMS[listed ?? type];
  if (idForm !== undefined) {
    for (const item of listed === undefined ? [value] : value.split(',')) {
      if (!idForm.test(item)) return `${JSON.stringify(item)} is not an ID of the form the type ${type} takes`;
    }
  }
  // CloudFormation then checks that each ID exists in the account and Region.
  return undefined;
}

/** The ID forms of the AWS-specific parameter types: a prefix and 8 or 17 hexadecimal digits (EC2 resource IDs). */
const AWS_ID_FORMS: Readonly<Record<string, RegExp>> = {
  'AWS::EC2::VPC::Id': /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  'AWS::EC2::Subnet::Id': /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
};

function stringRule(p: TemplateParameter, value: string): string | undefined {
  if (p.AllowedValues !== undefined && !p.AllowedValues.map(String).includes(value)) {
    return `not one of the AllowedValues ${list(p.AllowedValues)}`;
  }
  // Java's String.length(), like JS's, counts UTF-16 code units.
  if (p.MinLength !== undefined && value.length < Number(p.MinLength)) {
    return `${value.length} characters, under MinLength ${p.MinLength}`;
  }
  if (p.MaxLength !== undefined && value.length > Number(p.MaxLength)) {
    return `${value.length} characters, over MaxLength ${p.MaxLength}`;
  }
  if (p.AllowedPattern !== undefined && !allowedPattern(p.AllowedPattern).test(value)) {
    return 'does not match the AllowedPattern';
  }
  return undefined;
}

function numberRule(p: TemplateParameter, value: string): string | undefined {
  if (!NUMBER.test(value)) return 'not a number';
  // Mappings are keyed by the value's text, so '25.0' must not pass for an allowed 25.
  if (p.AllowedValues !== undefined && !p.AllowedValues.map(String).includes(value)) {
    return `not one of the AllowedValues ${list(p.AllowedValues)}`;
  }
  const n = Number(value);
  if (p.MinValue !== undefined && n < Number(p.MinValue)) return `below MinValue ${p.MinValue}`;
  if (p.MaxValue !== undefined && n > Number(p.MaxValue)) return `above MaxValue ${p.MaxValue}`;
  return undefined;
}

/** What the parameter admits, in the template's own words when it has them. */
function allowed(p: TemplateParameter): string {
  if (p.ConstraintDescription) return p.ConstraintDescription;
  if (p.AllowedValues !== undefined) return `one of ${list(p.AllowedValues)}`;
  const parts = [
    p.Type === 'Number' ? 'a number' : 'a string',
    p.MinLength !== undefined ? `at least ${p.MinLength} characters` : '',
    p.MaxLength !== undefined ? `at most ${p.MaxLength} characters` : '',
    p.MinValue !== undefined ? `at least ${p.MinValue}` : '',
    p.MaxValue !== undefined ? `at most ${p.MaxValue}` : '',
    p.AllowedPattern !== undefined ? `matching ${p.AllowedPattern}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

const MAX_SHOWN = 80;

/** The value as one printable line: JSON-quoted (newlines and controls escaped), long ones cut, NoEcho hidden. */
function shown(p: TemplateParameter, value: string): string {
  if (p.NoEcho === true || p.NoEcho === 'true') return '(NoEcho value hidden)';
  const quoted = JSON.stringify(value);
  return quoted.length > MAX_SHOWN ? `${quoted.slice(0, MAX_SHOWN - 1)}…" (${value.length} characters)` : quoted;
}

/** Why CloudFormation would refuse `value` for parameter `name`, as one line; undefined when it is fine. */
export function refusal(name: string, parameter: TemplateParameter, given: GivenValue): string | undefined {
  const broken = brokenRule(parameter, given.value);
  if (broken === undefined) return undefined;
  return `${name} ${shown(parameter, given.value)} from ${given.source} is refused (${broken}); allowed: ${allowed(parameter)}`;
}

/** How a user names parameter `name` on the command line. */
export type FlagFor = (name: string) => string;

/**
 * Every problem with a set of parameter values, one line each, in template order: refused values,
 * required parameters (no Default) without a value, then names the template does not declare.
 */
export function preflight(
  parameters: Readonly<Record<string, TemplateParameter>>,
  values: Readonly<Record<string, GivenValue>>,
  flagFor: FlagFor = (name) => `--parameter ${name}=VALUE`,
): string[] {
  const problems: string[] = [];
  for (const [name, parameter] of Object.entries(parameters)) {
    const given = values[name];
    if (given === undefined) {
      if (parameter.Default === undefined)
        problems.push(`${name} is required (it has no Default): pass ${flagFor(name)}`);
      continue;
    }
    const line = refusal(name, parameter, given);
    if (line !== undefined) problems.push(line);
  }
  const known = Object.keys(parameters);
  for (const [name, given] of Object.entries(values)) {
    if (!Object.hasOwn(parameters, name)) {
      problems.push(
        `unknown parameter ${JSON.stringify(name)} from ${given.source}; the template declares ${known.length > 0 ? known.join(', ') : 'no parameters'}`,
      );
    }
  }
  return problems;
}

/** A JSON scalar as CloudFormation takes a parameter value; undefined for objects, arrays and null. */
export function parameterText(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
