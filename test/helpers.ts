// Shared test helpers: build a template the way the CLI does and read it back as CloudFormation would.
import { expect } from 'chai';
import type { BuildConfig } from '../src/config.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import type { Json, JsonObject } from '../src/render/yaml.js';
import { loadYaml, renderYaml } from '../src/render/yaml.js';
import type { CliContext, Io } from '../src/cli.js';
import { runCli } from '../src/cli.js';
import { pipelineTemplate } from '../src/template.js';

/** A resource as the rendered template holds it. */
export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: JsonObject;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests navigate arbitrary property trees
  Properties: any;
}

export interface CfnTemplate extends JsonObject {
  Resources: { [id: string]: CfnResource & JsonObject };
}

/** The pipeline template rendered to YAML and parsed back: exactly what a reviewer and CloudFormation see. */
export function renderedPipeline(config: BuildConfig = DEFAULT_CONFIG): CfnTemplate {
  return loadYaml(renderYaml(pipelineTemplate(config))) as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The single resource of `type`; fails the test when there is not exactly one. */
export function onlyResource(template: CfnTemplate, type: string): CfnResource {
  const found = resourcesOfType(template, type);
  expect(found, `resources of type ${type}`).to.have.length(1);
  return (found[0] as [string, CfnResource])[1];
}

export function resource(template: CfnTemplate, id: string): CfnResource {
  const found = template.Resources[id];
  expect(found, `resource ${id}`).to.not.equal(undefined);
  return found as CfnResource;
}

/** Every node of a JSON tree, depth first, for "nothing anywhere is X" assertions. */
export function* walk(node: Json | undefined): Generator<Json> {
  if (node === undefined) return;
  yield node;
  if (Array.isArray(node)) for (const item of node) yield* walk(item);
  else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) yield* walk(value);
}

/** The text of a `!Sub`, with or without its variables map. */
export function subText(value: unknown): string {
  const body = (value as { 'Fn::Sub': string | [string, unknown] })['Fn::Sub'];
  return Array.isArray(body) ? body[0] : body;
}

/** Runs the CLI in-process and captures what it prints. */
export async function cli(argv: readonly string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

export type { CliContext };
