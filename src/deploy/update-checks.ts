// Checks that need the values a deployment will really use: the template's Rules, and the
// parameters its metadata marks as fixed once the stack exists. `aws cloudformation deploy` keeps
// a parameter's previous value when it is not given, so the values are the defaults, then the
// stack's current ones, then those given.
import type { Json } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import type { TemplateModel } from '../model/template.js';
import { DEPLOY_METADATA_KEY } from '../parameters/spec.js';
import type { GivenValue } from './preflight.js';

/** The values a deployment of `template` uses: Default, then the stack's previous value, then the given one. */
export function effectiveValues(
  template: TemplateModel,
  previous: Readonly<Record<string, string>> | undefined,
  given: Readonly<Record<string, GivenValue>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.parameters())) {
    const value = given[name]?.value ?? previous?.[name] ?? parameter.Default;
    if (value !== undefined) values[name] = String(value);
  }
  return values;
}

/** A rule function this evaluator does not model: CloudFormation checks that rule itself. */
class Unmodelled extends Error {}

/** The value of a rule expression, for the functions Rules use on plain parameters. */
function evaluate(node: Json | undefined, values: Readonly<Record<string, string>>): string | boolean | string[] {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (typeof node === 'boolean') return node;
  if (Array.isArray(node)) return node.map((item) => String(evaluate(item, values)));
  if (!isJsonObject(node) || Object.keys(node).length !== 1) throw new Unmodelled();
  const [fn, arg] = Object.entries(node)[0] as [string, Json];
  const args = Array.isArray(arg) ? arg : [arg];
  const all = () => args.map((a) => evaluate(a, values));
  switch (fn) {
    case 'Ref': {
      const value = values[String(arg)];
      if (value === undefined) throw new Unmodelled();
      return value;
    }
    case 'Fn::Equals': {
      const [a, b] = all();
      return String(a) === String(b);
    }
    case 'Fn::Not':
      return !truth(evaluate(args[0], values));
    case 'Fn::And':
      return all().every(truth);
    case 'Fn::Or':
      return all().some(truth);
    case 'Condition': {
      const value = values[`${CONDITION_PREFIX}${String(arg)}`];
      if (value === undefined) throw new Unmodelled();
      return value === 'true';
    }
    case 'Fn::Contains': {
      const [list, value] = all();
      return Array.isArray(list) && list.includes(String(value));
    }
    default:
      throw new Unmodelled();
  }
}

const truth = (value: string | boolean | string[]): boolean => value === true || value === 'true';

/** Where a decided condition's value sits among the values `evaluate` reads (no parameter name has a colon). */
const CONDITION_PREFIX = 'Condition:';

/**
 * The template's conditions decided for these values, in declaration order (a condition names only
 * those before it or is decided on a later pass); a condition this evaluator cannot decide is absent.
 */
export function conditionValues(
  template: TemplateModel,
  values: Readonly<Record<string, string>>,
): Record<string, boolean> {
  const known: Record<string, string> = { ...values };
  const decided: Record<string, boolean> = {};
  const conditions = Object.entries(template.section('Conditions'));
  for (let pass = 0; pass < conditions.length; pass += 1) {
    let progress = false;
    for (const [name, definition] of conditions) {
      if (name in decided) continue;
      try {
        decided[name] = truth(evaluate(definition, known));
        known[`${CONDITION_PREFIX}${name}`] = String(decided[name]);
        progress = true;
      } catch (error) {
        if (!(error instanceof Unmodelled)) throw error;
      }
    }
    if (!progress) break;
  }
  return decided;
}

/** One line per rule assertion the values break, as CloudFormation would refuse them before any change. */
export function ruleProblems(template: TemplateModel, values: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(template.section('Rules'))) {
    if (!isJsonObject(rule)) continue;
    try {
      if (rule['RuleCondition'] !== undefined && !truth(evaluate(rule['RuleCondition'], values))) continue;
      for (const assertion of Array.isArray(rule['Assertions']) ? rule['Assertions'] : []) {
        if (!isJsonObject(assertion) || truth(evaluate(assertion['Assert'], values))) continue;
        const why =
          typeof assertion['AssertDescription'] === 'string' ? assertion['AssertDescription'] : 'no description';
        problems.push(`rule ${name} is broken: ${why}`);
      }
    } catch (error) {
      if (!(error instanceof Unmodelled)) throw error;
    }
  }
  return problems;
}

/** The parameters the template's metadata marks as fixed after creation, with why and what to do. */
export function fixedParameters(template: TemplateModel): Record<string, string> {
  return deployMetadata(template, 'FixedAfterCreate');
}

/** Parameters the pipeline sets on each release (the ECS engine's Image and ReleaseId), with the reason. */
export function pipelineParameters(template: TemplateModel): Record<string, string> {
  return deployMetadata(template, 'SetByPipeline');
}

/** A name → reason map of the template's `cfn-cicd` metadata. */
function deployMetadata(template: TemplateModel, key: 'FixedAfterCreate' | 'SetByPipeline'): Record<string, string> {
  const metadata = template.section('Metadata')[DEPLOY_METADATA_KEY];
  const map = isJsonObject(metadata) ? metadata[key] : undefined;
  return isJsonObject(map)
    ? Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
}

/**
 * One line per given value that would change a parameter fixed after creation, or one the pipeline
 * sets (a stack update with an older Image would roll the service back to it).
 */
export function fixedParameterProblems(
  template: TemplateModel,
  previous: Readonly<Record<string, string>>,
  given: Readonly<Record<string, GivenValue>>,
): string[] {
  const changed = (reasons: Record<string, string>, say: (name: string, now: string, next: GivenValue) => string) =>
    Object.entries(reasons).flatMap(([name, why]) => {
      const now = previous[name];
      const next = given[name];
      return now === undefined || next === undefined || next.value === now ? [] : [`${say(name, now, next)}: ${why}`];
    });
  return [
    ...changed(
      fixedParameters(template),
      (name, now, next) =>
        `${name} cannot change once the stack exists (${JSON.stringify(now)} → ${JSON.stringify(next.value)} from ${next.source})`,
    ),
    ...changed(
      pipelineParameters(template),
      (name, now, next) =>
        `${name} is set by the pipeline (now ${JSON.stringify(now)}; ${next.source} gives ${JSON.stringify(next.value)})`,
    ),
  ];
}
