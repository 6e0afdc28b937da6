// cfn-lint through execa: every rule, informational included, as typed findings. A run counts only
// when its JSON report parses finding by finding and agrees with its exit code.
import { devNull } from 'node:os';
import { ToolError } from '../errors.js';
import { PINNED, requireTool } from './locate.js';
import { firstLine, runTool } from './run.js';

/** One cfn-lint finding. */
export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly level: string;
  readonly message: string;
}

interface RawFinding {
  Filename: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number; ColumnNumber: number } };
}

/** cfn-lint's exit code ORs one bit per level it found. */
const LEVEL_BITS: Readonly<Record<string, number>> = { Error: 2, Warning: 4, Informational: 8 };

/** `file:line:column rule message`, the form editors and CI logs link. */
export const formatFinding = (f: LintFinding): string => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`;

/** One entry of the report, or undefined when it lacks a field we print. */
function finding(entry: unknown): LintFinding | undefined {
  try {
    const r = entry as RawFinding;
    const start = r.Location.Start;
    const ok =
      typeof r.Filename === 'string' &&
      Object.hasOwn(LEVEL_BITS, r.Level) &&
      typeof r.Message === 'string' &&
      typeof r.Rule.Id === 'string' &&
      Number.isInteger(start.LineNumber) &&
      Number.isInteger(start.ColumnNumber);
    if (!ok) return undefined;
    return {
      file: r.Filename,
      line: start.LineNumber,
      column: start.ColumnNumber,
      rule: r.Rule.Id,
      level: r.Level,
      message: r.Message.replace(/\s+/g, ' ').trim(),
    };
  } catch {
    return undefined;
  }
}

/** cfn-lint's JSON report, or undefined when stdout is anything else. */
function parseReport(stdout: string): LintFinding[] | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!Array.isArray(raw)) return undefined;
  const findings = raw.map(finding);
  return findings.every((f) => f !== undefined) ? (findings as LintFinding[]) : undefined;
}

// cfn-lint expands each name as a glob; brackets make *, ? and [ stand for themselves.
const globEscaped = (file: string): string => file.replace(/[*?[]/g, '[$&]');

/**
 * Runs the pinned cfn-lint on `files` with informational checks included. A .cfnlintrc in the
 * working or home directory is ignored (it could switch rules off and make a finding vanish).
 */
export async function cfnLint(files: readonly string[]): Promise<LintFinding[]> {
  const binary = requireTool('cfn-lint', PINNED.cfnLint);
  const args = ['--config-file', devNull, '--format', 'json', '--include-checks', 'I', '--', ...files.map(globEscaped)];
  const run = await runTool('cfn-lint', binary, args);
  const findings = parseReport(run.stdout);
  if (findings === undefined) {
    const why = firstLine(run.stderr) || firstLine(run.stdout) || 'no output';
    throw new ToolError(`cfn-lint printed no findings report (exit ${run.exitCode}): ${why}`);
  }
  const expected = findings.reduce((bits, f) => bits | (LEVEL_BITS[f.level] as number), 0);
  if (run.exitCode !== expected) {
    throw new ToolError(
      `cfn-lint exited ${run.exitCode}, but its report of ${findings.length} finding(s) means exit ${expected}: not a result to trust`,
    );
  }
  return findings;
}
