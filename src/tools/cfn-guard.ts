// cfn-guard through execa: rules against CloudFormation files, its structured JSON walked
// generically into typed results (the JSON is not schema-stable across guard versions), and the
// catalog of AWS Control Tower controls that scripts/bootstrap-guard.sh installs into .guard/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ToolError } from '../errors.js';
import { locateTool, PACKAGE_ROOT, PINNED } from './locate.js';
import { firstLine, runTool } from './run.js';

/** Where scripts/bootstrap-guard.sh installs cfn-guard and the Control Tower rules. */
export const GUARD_HOME = join(PACKAGE_ROOT, '.guard');
/** The Control Tower controls: rules/ (one .guard file per control, a folder per service) and metadata/. */
export const CONTROL_TOWER_HOME = join(GUARD_HOME, 'control-tower');
/** The Control Tower rules, the directory cfn-guard's --rules takes. */
export const CONTROL_TOWER_RULES = join(CONTROL_TOWER_HOME, 'rules');

/** cfn-guard's exit codes: every rule passed or skipped; at least one rule failed. */
const EXIT_PASS = 0;
const EXIT_FAIL = 19;

/** One rule that a file does not comply with. */
export interface GuardFailure {
  /** Rule name, e.g. s3_bucket_default_encryption_kms_check. */
  readonly rule: string;
  /** The first `[ID]` the rule's messages name, e.g. CT.S3.PR.10 or CICD.KMS. @default - none when no message names one */
  readonly control?: string;
  /** Logical IDs of the resources the failed checks point at, sorted. */
  readonly resources: readonly string[];
  /** The rule's custom messages, whitespace collapsed, each once. */
  readonly messages: readonly string[];
}

/** What cfn-guard reports for one data file. */
export interface GuardReport {
  /** The data file, as cfn-guard names it. */
  readonly file: string;
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  /** Rules that applied and passed. */
  readonly compliant: readonly string[];
  /** Rules that found nothing to check (and neither passed nor failed elsewhere). */
  readonly notApplicable: readonly string[];
  readonly failures: readonly GuardFailure[];
}

/** `CT.S3.PR.10 ArtifactBucket` per resource (or the rule alone), the form tests and logs compare. */
export function formatFailure(f: GuardFailure): string[] {
  const label = f.control ?? f.rule;
  return f.resources.length === 0 ? [label] : f.resources.map((r) => `${label} ${r}`);
}

// A control ID in brackets: letters and digits in dot-separated parts (CT.S3.PR.10, CICD.KMS); [FIX] has no dot.
const CONTROL_ID = /\[([A-Z][A-Z0-9_-]*(?:\.[A-Z0-9_-]+)+)\]/;
// A path into the template's resources; a map key bound by `Resources[ id | … ]` shows as its value at /Resources.
const RESOURCE_PATH = /^\/Resources\/([^/]+)/;

type Node = unknown;

/** Control ID, resources and messages anywhere under one failed rule's tree. */
function failureOf(rule: string, tree: Node): GuardFailure {
  let control: string | undefined;
  const resources = new Set<string>();
  const messages = new Set<string>();
  const visit = (node: Node): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const { custom_message: message, path, value } = record;
    if (typeof message === 'string' && message.trim() !== '') {
      messages.add(message.replace(/\s+/g, ' ').trim());
      control ??= CONTROL_ID.exec(message)?.[1];
    }
    if (typeof path === 'string') {
      const id =
        RESOURCE_PATH.exec(path)?.[1] ?? (path === '/Resources' && typeof value === 'string' ? value : undefined);
      if (id !== undefined) resources.add(id);
    }
    Object.values(record).forEach(visit);
  };
  visit(tree);
  return {
    rule,
    ...(control === undefined ? {} : { control }),
    resources: [...resources].sort(),
    messages: [...messages],
  };
}

const STATUSES = new Set(['PASS', 'FAIL', 'SKIP']);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Each data file's report out of `validate --output-format json --show-summary none --structured`. */
export function parseGuardJson(stdout: string): GuardReport[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new ToolError(`cfn-guard printed no JSON: ${stdout.trim().split('\n')[0] || 'nothing'}`);
  }
  if (!Array.isArray(parsed)) throw new ToolError('cfn-guard printed JSON that is not a list of file reports');
  return parsed.map((raw: Record<string, unknown>, index) => {
    const { name, status, compliant, not_applicable: notApplicable, not_compliant: notCompliant } = raw ?? {};
    if (
      typeof name !== 'string' ||
      typeof status !== 'string' ||
      !STATUSES.has(status) ||
      !isStringList(compliant) ||
      !isStringList(notApplicable) ||
      !Array.isArray(notCompliant)
    ) {
      throw new ToolError(`cfn-guard printed a file report (#${index + 1}) without name, status and rule lists`);
    }
    const failures = notCompliant.map((entry: { Rule?: { name?: unknown } } | null) => {
      const rule = entry?.Rule;
      if (typeof rule?.name !== 'string')
        throw new ToolError(`cfn-guard printed a failure without a rule name in ${name}`);
      return failureOf(rule.name, rule);
    });
    // A rule declared more than once (Control Tower's: for templates and for hooks) can be listed
    // as both compliant and not applicable: report each rule once, failed over passed over skipped.
    const failedRules = new Set(failures.map((f) => f.rule));
    const passed = [...new Set(compliant)].filter((r) => !failedRules.has(r));
    const skipped = [...new Set(notApplicable)].filter((r) => !failedRules.has(r) && !passed.includes(r));
    return { file: name, status: status as GuardReport['status'], compliant: passed, notApplicable: skipped, failures };
  });
}

/** The cfn-guard the bootstrap installed under `home`, else one on PATH. */
export function locateGuard(home: string = GUARD_HOME, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const installed = join(home, 'bin', 'cfn-guard');
  return existsSync(installed) ? installed : locateTool('cfn-guard', env);
}

/** Where to find cfn-guard. */
export interface GuardOptions {
  /** Directory the bootstrap installed into (cfn-guard is bin/cfn-guard there). @default GUARD_HOME (.guard) */
  readonly home?: string;
  /** Environment whose PATH is searched when `home` has no cfn-guard. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs cfn-guard with `rules` (files or directories, searched recursively for .guard files) on each
 * of `files`. Exit 0 is a pass and 19 a failure, each only with reports that agree; anything else,
 * a kill, or output that is not the structured JSON is a ToolError, never a clean result.
 */
export async function cfnGuard(
  rules: readonly string[],
  files: readonly string[],
  options: GuardOptions = {},
): Promise<GuardReport[]> {
  const binary = locateGuard(options.home, options.env);
  if (binary === undefined) {
    throw new ToolError(
      `cfn-guard not found in .guard or on PATH: run \`npm run bootstrap\` (installs ${PINNED.cfnGuard} into .guard)`,
    );
  }
  // A kill, a tool that cannot start or a flood of output is a ToolError from runTool already.
  const result = await runTool('cfn-guard', binary, [
    'validate',
    ...rules.flatMap((r) => ['--rules', resolve(r)]),
    ...files.flatMap((f) => ['--data', resolve(f)]),
    '--output-format',
    'json',
    '--show-summary',
    'none',
    '--structured',
  ]);
  const what = `cfn-guard on ${files.join(', ')}`;
  if (result.exitCode !== EXIT_PASS && result.exitCode !== EXIT_FAIL) {
    const why = firstLine(result.stderr) || firstLine(result.stdout) || 'no output';
    throw new ToolError(`${what} failed (exit ${result.exitCode}): ${why}`);
  }
  const reports = parseGuardJson(String(result.stdout));
  const failed = reports.some((r) => r.failures.length > 0);
  if (reports.length !== files.length || failed !== (result.exitCode === EXIT_FAIL)) {
    throw new ToolError(
      `${what} exited ${result.exitCode} with ${reports.length} report(s) for ${files.length} file(s), ${failed ? 'some' : 'no'} failures`,
    );
  }
  return reports;
}

/** One Control Tower proactive control, as its rule file and metadata describe it. */
export interface ControlTowerControl {
  /** e.g. CT.S3.PR.10 */
  readonly id: string;
  /** The cfn-guard rule that implements it, e.g. s3_bucket_default_encryption_kms_check. */
  readonly rule: string;
  /** What it requires, e.g. "Require an Amazon S3 bucket to have server-side encryption configured using an AWS KMS key". */
  readonly title: string;
  /** LOW, MEDIUM, HIGH or CRITICAL. */
  readonly severity: string;
  /** CloudFormation types it evaluates. */
  readonly resourceTypes: readonly string[];
  /** Its rule file, for running it alone. */
  readonly file: string;
}

interface ControlMetadata {
  Id: string;
  DisplayName: string;
  Severity: string;
  EvaluatedResourceTypes: string[];
}

const filesUnder = (dir: string, suffix: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f))
    .sort();

/**
 * Every Control Tower control installed under `home` (rules/ and metadata/ side by side), by ID;
 * throws a ToolError when they are missing or a file is not as expected.
 */
export function controlTowerControls(home: string = CONTROL_TOWER_HOME): Map<string, ControlTowerControl> {
  const rulesDir = join(home, 'rules');
  if (!existsSync(rulesDir)) throw new ToolError(`no Control Tower rules in ${rulesDir}: run \`npm run bootstrap\``);
  const metadata = new Map(
    filesUnder(join(home, 'metadata'), '.metadata.json').map((file) => {
      const m = JSON.parse(readFileSync(file, 'utf8')) as ControlMetadata;
      return [m.Id, m];
    }),
  );
  const controls = filesUnder(rulesDir, '.guard').map((file): ControlTowerControl => {
    const text = readFileSync(file, 'utf8');
    const rule = /^rule (\w+) when/m.exec(text)?.[1];
    const id = CONTROL_ID.exec(text)?.[1];
    const meta = id === undefined ? undefined : metadata.get(id);
    if (rule === undefined || meta === undefined) {
      throw new ToolError(`${file}: no rule name, control ID or metadata file for it`);
    }
    return {
      id: meta.Id,
      rule,
      title: meta.DisplayName,
      severity: meta.Severity,
      resourceTypes: meta.EvaluatedResourceTypes,
      file,
    };
  });
  return new Map(controls.map((c) => [c.id, c]));
}
