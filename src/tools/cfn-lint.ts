// cfn-lint through execa: every rule, informational included, as typed findings.
import { ToolError } from '../errors.js';
import { locateTool, PINNED, toolMissing } from './locate.js';
import { run } from './run.js';

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

/** `file:line:column rule message`, the form editors and CI logs link. */
export const formatFinding = (f: LintFinding): string => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`;

/** Runs the pinned cfn-lint on `files` with informational checks included. */
export async function cfnLint(files: readonly string[]): Promise<LintFinding[]> {
  const binary = locateTool('cfn-lint');
  if (binary === undefined) throw toolMissing('cfn-lint', PINNED.cfnLint);
  const result = await run(binary, ['--format', 'json', '--include-checks', 'I', '--', ...files]);
  // cfn-lint's exit code is a bit field of finding levels; 0-31 with JSON on stdout is a normal run.
  let raw: RawFinding[];
  try {
    raw = JSON.parse(String(result.stdout ?? '') || '[]') as RawFinding[];
  } catch {
    throw new ToolError(
      `cfn-lint failed (exit ${result.exitCode}): ${String(result.stderr || result.stdout).split('\n')[0]}`,
    );
  }
  return raw.map((r) => ({
    file: r.Filename,
    line: r.Location.Start.LineNumber,
    column: r.Location.Start.ColumnNumber,
    rule: r.Rule.Id,
    level: r.Level,
    message: r.Message.replace(/\s+/g, ' ').trim(),
  }));
}
