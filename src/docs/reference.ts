// docs/reference.md: per template, its parameters (by console group), outputs and resources by type.
import type { Json, JsonObject } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import { namePattern } from '../model/names.js';
import { Readable } from '../model/readable.js';
import type { TemplateModel } from '../model/template.js';
import { blocks, code, lines, table, text } from './markdown.js';
import type { DocTemplate } from './source.js';

/** A mapping inside a section as an object (empty when absent). */
const field = (object: JsonObject, name: string): JsonObject => {
  const value = object[name];
  return isJsonObject(value) ? value : {};
};

const UNGROUPED = 'Ungrouped';

/** Parameter name → [group label, parameter label] from AWS::CloudFormation::Interface. */
function interfaceOf(template: TemplateModel): { groups: string[]; groupOf: Map<string, string>; labels: JsonObject } {
  const ui = field(template.section('Metadata'), 'AWS::CloudFormation::Interface');
  const groupOf = new Map<string, string>();
  const groups: string[] = [];
  for (const group of Array.isArray(ui['ParameterGroups']) ? ui['ParameterGroups'] : []) {
    if (!isJsonObject(group)) continue;
    const label = isJsonObject(group['Label']) ? String(group['Label']['default']) : UNGROUPED;
    groups.push(label);
    for (const name of Array.isArray(group['Parameters']) ? group['Parameters'] : []) groupOf.set(String(name), label);
  }
  return { groups, groupOf, labels: isJsonObject(ui['ParameterLabels']) ? ui['ParameterLabels'] : {} };
}

function defaultCell(p: JsonObject): string {
  if (!('Default' in p)) return 'required';
  return p['Default'] === '' ? 'empty' : code(String(p['Default']));
}

function allowedCell(p: JsonObject): string {
  const rules: string[] = [];
  if (Array.isArray(p['AllowedValues']))
    rules.push(`one of ${p['AllowedValues'].map((v) => code(String(v))).join(', ')}`);
  if (typeof p['AllowedPattern'] === 'string') rules.push(`pattern ${code(p['AllowedPattern'])}`);
  const range = (min: Json | undefined, max: Json | undefined, what: string) => {
    if (min !== undefined || max !== undefined) rules.push(`${what} ${String(min ?? 0)}-${String(max ?? 'any')}`);
  };
  range(p['MinLength'], p['MaxLength'], 'length');
  range(p['MinValue'], p['MaxValue'], 'value');
  if (p['NoEcho'] === true) rules.push('hidden (NoEcho)');
  return rules.length > 0 ? lines(rules) : 'any';
}

function parametersBlock(template: TemplateModel): string {
  const parameters = template.section('Parameters');
  const names = Object.keys(parameters);
  if (names.length === 0) return '### Parameters\n\nNone.';
  const { groups, groupOf, labels } = interfaceOf(template);
  const ordered = [...groups, ...(names.some((n) => !groupOf.has(n)) ? [UNGROUPED] : [])];
  const tables = ordered.map((group) => {
    const rows = names
      .filter((n) => (groupOf.get(n) ?? UNGROUPED) === group)
      .map((name) => {
        const p = field(parameters, name);
        const label = isJsonObject(labels[name]) ? String(labels[name]['default']) : undefined;
        return [
          label ? lines([code(name), text(label)]) : code(name),
          text(String(p['Type'] ?? '')),
          defaultCell(p),
          allowedCell(p),
          text(String(p['Description'] ?? '')),
        ];
      });
    return `#### ${text(group)}\n\n${table(['Parameter', 'Type', 'Default', 'Allowed', 'Description'], rows)}`;
  });
  return blocks(['### Parameters', ...tables]).trimEnd();
}

/** One row per parameter (default and description), for the README; details stay in reference.md. */
export function parameterSummary(template: TemplateModel): string {
  const parameters = template.section('Parameters');
  const rows = Object.keys(parameters).map((name) => {
    const p = field(parameters, name);
    const allowed = Array.isArray(p['AllowedValues'])
      ? ` One of ${p['AllowedValues'].map((v) => code(String(v))).join(', ')}.`
      : '';
    return [code(name), defaultCell(p), text(`${String(p['Description'] ?? '')}`) + allowed];
  });
  return table(['Parameter', 'Default', 'What it sets'], rows);
}

function outputsBlock(template: TemplateModel, readable: Readable): string {
  const outputs = Object.entries(template.section('Outputs')).filter((e): e is [string, JsonObject] =>
    isJsonObject(e[1]),
  );
  if (outputs.length === 0) return '### Outputs\n\nNone.';
  const rows = outputs.map(([name, o]) => {
    const notes = [
      ...(typeof o['Condition'] === 'string' ? [`only if ${code(o['Condition'])}`] : []),
      ...(isJsonObject(o['Export']) ? [`exported as ${code(readable.text(o['Export']['Name']))}`] : []),
    ];
    return [code(name), code(readable.text(o['Value'])), text(String(o['Description'] ?? '')), lines(notes)];
  });
  return `### Outputs\n\n${table(['Output', 'Value', 'Description', 'Notes'], rows)}`;
}

function resourcesBlock(template: TemplateModel): string {
  const rows = template
    .resources()
    .map(([id, r], order) => ({ id, r, order, type: String(r['Type']) }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.order - b.order))
    .map(({ id, r, type }) => {
      const pattern = namePattern(r);
      const condition = typeof r['Condition'] === 'string' ? ` (if ${code(r['Condition'])})` : '';
      return [
        code(type),
        `${code(id)}${condition}`,
        pattern === undefined ? 'generated by CloudFormation' : code(pattern),
      ];
    });
  return `### Resources by type\n\n${table(['Type', 'Logical ID', 'Physical name'], rows)}`;
}

function templateBlock({ file, model }: DocTemplate): string {
  const count = (name: string) => Object.keys(model.section(name)).length;
  const types = model.types().length;
  return blocks([
    `## templates/${file}`,
    text(String(model.body['Description'] ?? '')),
    `${count('Parameters')} parameters, ${count('Outputs')} outputs, ${count('Resources')} resources of ${types} types.`,
    parametersBlock(model),
    outputsBlock(model, new Readable(model)),
    resourcesBlock(model),
  ]).trimEnd();
}

/** The whole of docs/reference.md. */
export function referenceMarkdown(templates: readonly DocTemplate[]): string {
  return blocks([
    '# Template reference',
    "Generated by `cfn-cicd docs` (`npm run docs`) from the templates `cfn-cicd build` writes; do not edit by hand. Physical names are the `!Sub` text of each name property: `${EnvironmentSuffix}` is the stack parameter, `${AWS::AccountId}` and `${AWS::Region}` are the stack's account and region.",
    ...templates.map(templateBlock),
  ]);
}
