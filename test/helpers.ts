// Shared test helpers. The one loader: every template a test reads (built, rendered or committed)
// is parsed here, through the same model the CLI uses, exactly as a reviewer and CloudFormation see it.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../src/cli.js';
import { renderTemplates } from '../src/commands/build.js';
import type { CliContext, Io } from '../src/commands/context.js';
import type { BuildConfig } from '../src/config.js';
import { DEFAULT_CONFIG, parseConfig } from '../src/config.js';
import type { Json } from '../src/model/json.js';
import { parseTemplate, TemplateModel } from '../src/model/template.js';
import { effectiveValues, ruleProblems } from '../src/deploy/update-checks.js';
import { ENVIRONMENT_TEMPLATE_FILE, PIPELINE_TEMPLATE_FILE } from '../src/naming.js';
import { renderYaml } from '../src/render/yaml.js';
import { environmentTemplate } from '../src/environments.js';
import { pipelineTemplate } from '../src/template.js';
import { PACKAGE_ROOT } from '../src/tools/locate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests navigate arbitrary property trees
type Loose = any;

/** A resource as the rendered template holds it. */
export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Loose;
  Properties: Loose;
}

/** A template as CloudFormation reads it, sections loosely typed for navigation. */
export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Metadata?: Loose;
  Parameters?: Loose;
  Rules?: Loose;
  Mappings?: Loose;
  Conditions?: Loose;
  Resources: { [id: string]: CfnResource };
  Outputs?: Loose;
}

/** A template's text parsed as CloudFormation would (short forms to long form, `X.Attr` canonical). */
export const loadTemplate = (yaml: string, source = 'template'): CfnTemplate =>
  parseTemplate(yaml, source).body as unknown as CfnTemplate;

/** A set of templates the repository ships: the build config and the directory under the package root. */
export interface ShippedVariant {
  readonly label: string;
  readonly config: BuildConfig;
  /** `templates` or a directory below it. */
  readonly dir: string;
}

/** A shipped build config under configs/, as `npm run build` reads it. */
const shippedConfig = (file: string): BuildConfig =>
  parseConfig(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'configs', file), 'utf8')), `configs/${file}`);

/** The CodeDeploy engine. */
export const CODEDEPLOY_CONFIG = shippedConfig('codedeploy.json');
/** The promoting pipeline (beta, gamma, prod with approval). */
export const ENVIRONMENTS_CONFIG = shippedConfig('environments.json');
/** The promoting pipeline across accounts and Regions. */
export const ACCOUNTS_CONFIG = shippedConfig('accounts.json');
/** The team's own VPC (no network resources; the VPC and subnets are parameters). */
export const OWN_VPC_CONFIG = shippedConfig('own-vpc.json');

/**
 * What `npm run build` writes: the default (ECS engine) in templates/, the CodeDeploy engine in
 * templates/codedeploy/, the promoting pipeline and its environment template in templates/environments/,
 * the promoting pipeline across accounts and Regions with its regional stores, bootstrap and StackSets in
 * templates/accounts/, the team's own VPC in templates/own-vpc/.
 */
export const SHIPPED_VARIANTS: readonly ShippedVariant[] = [
  { label: 'ECS engine', config: DEFAULT_CONFIG, dir: 'templates' },
  { label: 'CodeDeploy engine', config: CODEDEPLOY_CONFIG, dir: join('templates', 'codedeploy') },
  { label: 'Environments', config: ENVIRONMENTS_CONFIG, dir: join('templates', 'environments') },
  { label: 'Accounts and Regions', config: ACCOUNTS_CONFIG, dir: join('templates', 'accounts') },
  { label: 'Own VPC', config: OWN_VPC_CONFIG, dir: join('templates', 'own-vpc') },
];

/** One template the build writes: its path under templates/, its YAML and the parsed template. */
export interface EmittedTemplate {
  /** `cicd-pipeline.yaml`, or `codedeploy/cicd-pipeline.yaml` for another variant. */
  readonly file: string;
  readonly yaml: string;
  readonly template: CfnTemplate;
}

/** Every template of the shipped variants, parsed back from its YAML. */
export function emittedTemplates(variants: readonly ShippedVariant[] = SHIPPED_VARIANTS): EmittedTemplate[] {
  return variants.flatMap((variant) =>
    [...renderTemplates(variant.config)].map(([name, yaml]) => {
      const file = join(variant.dir, name).replace(/^templates\//, '');
      return { file, yaml, template: loadTemplate(yaml, file) };
    }),
  );
}

/** Writes the emitted templates into a fresh temp directory; returns file (as emittedTemplates names it) → path. */
export function writeEmittedTemplates(prefix: string): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), `cfn-cicd-${prefix}-`));
  return new Map(
    emittedTemplates().map(({ file, yaml }) => {
      const path = join(dir, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, yaml);
      return [file, path];
    }),
  );
}

/** The pipeline template rendered to YAML and parsed back. */
export function renderedPipeline(config: BuildConfig = DEFAULT_CONFIG): CfnTemplate {
  return loadTemplate(renderYaml(pipelineTemplate(config)), PIPELINE_TEMPLATE_FILE);
}

/** The environment template of a promoting pipeline, rendered to YAML and parsed back. */
export function renderedEnvironment(config: BuildConfig = ENVIRONMENTS_CONFIG): CfnTemplate {
  return loadTemplate(renderYaml(environmentTemplate(config)), ENVIRONMENT_TEMPLATE_FILE);
}

/** The template that runs the service in `config`: the pipeline itself, or a promoting pipeline's environment template. */
export const renderedServing = (config: BuildConfig = DEFAULT_CONFIG): CfnTemplate =>
  config.environments === undefined ? renderedPipeline(config) : renderedEnvironment(config);

/** Path of a committed template under templates/. */
export const committedPath = (file: string = PIPELINE_TEMPLATE_FILE): string => join(PACKAGE_ROOT, 'templates', file);

/** A committed template under templates/, as `cfn-cicd deploy` reads it. */
export const committedTemplate = (file: string = PIPELINE_TEMPLATE_FILE): CfnTemplate =>
  loadTemplate(readFileSync(committedPath(file), 'utf8'), file);

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

/**
 * An inline buildspec as the shell sees it: plain text as it is; a `!Sub` body with `${!X}` read as the
 * literal `${X}` and each `${name}` passed to `variable` (kept as written by default).
 */
export function buildspecShellText(value: unknown, variable: (name: string) => string = (n) => `\${${n}}`): string {
  if (typeof value === 'string') return value;
  return subText(value)
    .replace(/\$\{([A-Za-z0-9:.]+)\}/g, (_, name: string) => variable(name))
    .replaceAll('${!', '${');
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

/** The template's Rules broken by a new stack's values (`given` over the defaults, a token secret included), as deploy's pre-flight reports them. */
export function brokenRules(template: CfnTemplate, given: Readonly<Record<string, string>>): string[] {
  const model = new TemplateModel(template as never);
  const flags = Object.entries({ GitHubTokenSecretArn: 'arn:x', ...given }).map(
    ([k, value]) => [k, { value, source: '--test' }] as const,
  );
  return ruleProblems(model, effectiveValues(model, undefined, Object.fromEntries(flags)));
}
