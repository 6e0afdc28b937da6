// The failures a user can act on, raised anywhere in the library and printed by the CLI as one
// `cfn-cicd:` line. Anything else that escapes is a bug in cfn-cicd.

/** Bad input: a flag, a config or parameters file, a template, a value. The message names it and what is allowed. Exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A tool cfn-cicd runs (cfn-lint, checkov, the AWS CLI, Graphviz) is missing, failed, was killed or printed nonsense. Exit 2. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

/** The signals cfn-cicd stops on cleanly: their work is cleaned up, then the CLI exits 128 + the signal's number. */
export type StopSignal = keyof typeof SIGNAL_NUMBERS;

/** SIGINT (Ctrl-C) or SIGTERM stopped a command; the message says what was left. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';

  constructor(
    readonly signal: StopSignal,
    message = `interrupted by ${signal}`,
  ) {
    super(message);
  }

  /** The shell's convention for a process stopped by a signal. */
  get exitCode(): number {
    return 128 + SIGNAL_NUMBERS[this.signal];
  }
}
