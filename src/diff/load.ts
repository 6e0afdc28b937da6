// The "before" side of a diff: a template file, or the template a deployed stack was created from.
import { readFile } from 'node:fs/promises';
import type { Json, JsonObject } from '../render/yaml.js';
import { loadYaml } from '../render/yaml.js';
import type { AwsConnection } from '../tools/aws.js';
import { awsJson } from '../tools/aws.js';

/** A template that cannot be read or parsed; the message is one line naming the source. */
export class TemplateLoadError extends Error {}

const firstLine = (text: string): string => text.split('\n')[0] ?? text;

/** `Fn::GetAtt: "X.Attr"` (valid in JSON templates) as the list form YAML's `!GetAtt` loads to. */
export function canonical(node: Json): Json {
  if (Array.isArray(node)) return node.map(canonical);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  if (entries.length === 1 && entries[0]?.[0] === 'Fn::GetAtt' && typeof entries[0][1] === 'string') {
    const text = entries[0][1];
    const dot = text.indexOf('.');
    if (dot > 0) return { 'Fn::GetAtt': [text.slice(0, dot), text.slice(dot + 1)] };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/** A template body as CloudFormation returns it: already an object (JSON), or YAML/JSON text. */
export function parseTemplateBody(body: unknown, source: string): JsonObject {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = loadYaml(body);
    } catch (error) {
      throw new TemplateLoadError(`${source}: not a CloudFormation template (${firstLine((error as Error).message)})`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TemplateLoadError(`${source}: not a CloudFormation template (the top level must be a mapping)`);
  }
  return canonical(parsed as JsonObject) as JsonObject;
}

/** Reads a YAML or JSON template file. */
export async function templateFromFile(path: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TemplateLoadError(`--against ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseTemplateBody(text, `--against ${path}`);
}

/** The template a stack was created or last updated with, as submitted (`--template-stage Original`). */
export async function templateFromStack(stackName: string, connection: AwsConnection): Promise<JsonObject> {
  let answer: { TemplateBody?: unknown };
  try {
    answer = await awsJson<{ TemplateBody?: unknown }>(
      ['cloudformation', 'get-template', '--stack-name', stackName, '--template-stage', 'Original'],
      connection,
    );
  } catch (error) {
    throw new TemplateLoadError(`--stack ${stackName}: ${firstLine((error as Error).message)}`);
  }
  return parseTemplateBody(answer.TemplateBody, `--stack ${stackName}`);
}
