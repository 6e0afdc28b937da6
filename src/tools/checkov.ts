// checkov through execa on one CloudFormation file: every passed, failed and skipped check, typed.
// A run that is not a checkov report, or contradicts its exit code, is a ToolError, never a result.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ToolError } from '../errors.js';
import { PINNED, requireTool } from './locate.js';
import { firstLine, runTool } from './run.js';

/** One check on one resource. */
export interface CheckovCheck {
  /** Check ID, e.g. CKV_AWS_18. */
  readonly id: string;
  /** What the check asks for. */
  readonly name: string;
  /** Logical ID of the resource checked. */
  readonly resource: string;
  /** CloudFormation type of the resource checked. */
  readonly type: string;
}

/** A check the template skips, with the reason written beside the skip. */
export interface CheckovSkippedCheck extends CheckovCheck {
  readonly comment: string;
}

/** What checkov reports for one file. */
export interface CheckovReport {
  readonly passed: readonly CheckovCheck[];
  readonly failed: readonly CheckovCheck[];
  readonly skipped: readonly CheckovSkippedCheck[];
  readonly parsingErrors: readonly string[];
  readonly resourceCount: number;
}

interface RawCheck {
  check_id: string;
  check_name: string;
  resource: string;
  check_result: { result: string; suppress_comment?: string };
}

interface RawReport {
  check_type?: string;
  results?: {
    passed_checks?: RawCheck[];
    failed_checks?: RawCheck[];
    skipped_checks?: RawCheck[];
    parsing_errors?: string[];
  };
  summary?: { resource_count?: number };
  // A file with nothing to check yields only the summary, at the top level.
  resource_count?: number;
}

/** `file:line`-free form for logs: `CKV_AWS_18 AWS::S3::Bucket.ArtifactBucket`. */
export const formatCheck = (c: CheckovCheck): string => `${c.id} ${c.type}.${c.resource}`;

function check(raw: RawCheck): CheckovCheck {
  // checkov names a resource `Type.LogicalId`; a type has `::` but no dot, so split at the last dot.
  const dot = raw.resource.lastIndexOf('.');
  return {
    id: raw.check_id,
    name: raw.check_name,
    type: raw.resource.slice(0, dot),
    resource: raw.resource.slice(dot + 1),
  };
}

/** A report entry, checked: a summary-only answer has a top-level count, any other has results. */
function isReport(r: RawReport): boolean {
  return typeof r === 'object' && r !== null && (typeof r.results === 'object' || typeof r.resource_count === 'number');
}

/** The report for `file` out of checkov's JSON, which is one object per framework (a list when several ran); throws on anything else. */
export function parseCheckovJson(stdout: string): CheckovReport {
  const parsed = JSON.parse(stdout) as RawReport | RawReport[];
  const reports = (Array.isArray(parsed) ? parsed : [parsed]).filter(
    (r) => r?.check_type === undefined || r.check_type === 'cloudformation',
  );
  if (reports.length === 0 || !reports.every(isReport)) throw new Error('not a checkov report');
  const all = (key: 'passed_checks' | 'failed_checks' | 'skipped_checks') =>
    reports.flatMap((r) => r.results?.[key] ?? []);
  return {
    passed: all('passed_checks').map(check),
    failed: all('failed_checks').map(check),
    skipped: all('skipped_checks').map((r) => ({ ...check(r), comment: r.check_result.suppress_comment ?? '' })),
    parsingErrors: reports.flatMap((r) => r.results?.parsing_errors ?? []),
    resourceCount: reports.reduce((n, r) => n + (r.summary?.resource_count ?? r.resource_count ?? 0), 0),
  };
}

/**
 * Runs the pinned checkov on one CloudFormation file. Skips come only from the template's own
 * Metadata: no --skip-check, and checkov runs in the file's directory so no stray .checkov.yaml
 * applies. A run counts only when its report parses, agrees with its exit code (1 exactly when a
 * check failed) and checkov could parse the file: a file it could not read was not checked at all.
 */
export async function checkov(file: string): Promise<CheckovReport> {
  const binary = requireTool('checkov', PINNED.checkov);
  // Absolute: checkov runs in the file's directory, where a relative path would point elsewhere.
  const path = resolve(file);
  const name = `checkov on ${file}`;
  if (!existsSync(path)) throw new ToolError(`${name}: no such file`);
  // --skip-download and BC_SKIP_MAPPING keep checkov off the network; no --quiet, it drops passed checks.
  const run = await runTool(
    name,
    binary,
    ['--file', path, '--framework', 'cloudformation', '--output', 'json', '--compact', '--skip-download'],
    { cwd: dirname(path), env: { BC_SKIP_MAPPING: 'TRUE', CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' } },
  );
  let report: CheckovReport;
  try {
    report = parseCheckovJson(run.stdout);
  } catch {
    const why = firstLine(run.stderr) || firstLine(run.stdout) || 'no output';
    throw new ToolError(`${name} printed no report (exit ${run.exitCode}): ${why}`);
  }
  const expected = report.failed.length > 0 ? 1 : 0;
  if (run.exitCode !== expected) {
    throw new ToolError(
      `${name} exited ${run.exitCode}, but its report of ${report.failed.length} failed check(s) means exit ${expected}: not a result to trust`,
    );
  }
  if (report.parsingErrors.length > 0) throw new ToolError(`${name}: checkov could not parse it, so checked nothing`);
  return report;
}
