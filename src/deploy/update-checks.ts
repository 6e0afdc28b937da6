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
    case 'Fn::Contains': {
      const [list, value] = all();
      return Array.isArray(list) && list.includes(String(value));
    }
    default:
      throw new Unmodelled();
  }
}

const truth = (value: string | boolean | string[]): boolean => value === true || value === 'true';

/** Whether the template's condition holds for the values; undefined when it uses what these checks do not model. */
export function conditionHolds(
  template: TemplateModel,
  name: string,
  values: Readonly<Record<string, string>>,
): boolean | undefined {
  const conditions = template.section('Conditions');
  const inline = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(inline);
    if (!isJsonObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Condition') return inline(conditions[String(node['Condition'])] as Json);
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v)]));
  };
  try {
    return truth(evaluate(inline(conditions[name] as Json), values));
  } catch (error) {
    if (!(error instanceof Unmodelled)) throw error;
    return undefined;
  }
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
