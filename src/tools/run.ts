// Runs the tools cfn-cicd wraps (cfn-lint, checkov, the AWS CLI) through execa, loaded on first use:
// it costs ~0.1 s to import, and `build` never runs a tool. A tool that could not start, was killed
// or flooded its output is a ToolError here, never a result; what an exit code and the output mean
// is each wrapper's business.
import { ToolError } from '../errors.js';

/** What a tool that ran to its end left behind. */
export interface ToolRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a tool runs. */
export interface RunOptions {
  /** Working directory. @default - this process's */
  readonly cwd?: string;
  /** Variables added to this process's environment. @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** Stops the tool (SIGTERM) and throws the signal's reason, an InterruptedError. @default - runs to its end */
  readonly signal?: AbortSignal;
}

/** Far more than any report we read (cfn-lint on a 1 MB template prints a few MB at most). */
export const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** What a signal usually means when it ends a tool. */
const SIGNAL_CAUSES: Readonly<Record<string, string>> = {
  SIGKILL: 'out of memory, or killed by hand',
  SIGSEGV: 'it crashed',
  SIGABRT: 'it crashed',
  SIGBUS: 'it crashed',
};

const NEVER = new AbortController().signal;

/** Longest line quoted from a tool's output in an error. */
const MAX_QUOTED = 200;

/** The first non-blank line of a tool's output, trimmed and cut to a readable length; empty when there is none. */
export function firstLine(text: string): string {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (line === undefined) return '';
  return line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED)}…` : line;
}

/** Runs `file args`, named `name` in errors; returns whatever exit code it chose. */
export async function runTool(
  name: string,
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ToolRun> {
  const signal = options.signal ?? NEVER;
  const { execa } = await import('execa');
  const result = await execa(file, [...args], {
    reject: false,
    // A tool never waits for input: cfn-lint, given no file, would read the template from stdin.
    stdin: 'ignore',
    maxBuffer: MAX_OUTPUT_BYTES,
    cwd: options.cwd,
    env: options.env,
    cancelSignal: signal,
  });
  signal.throwIfAborted();
  if (result.isMaxBuffer) {
    throw new ToolError(`${name} printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB; stopped it, no result`);
  }
  if (result.signal !== undefined) {
    const cause = SIGNAL_CAUSES[result.signal];
    throw new ToolError(`${name} was killed by ${result.signal}${cause ? ` (${cause})` : ''}: no result`);
  }
  if (result.exitCode === undefined) throw new ToolError(`${name} could not start (${result.code}): ${file}`);
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}
