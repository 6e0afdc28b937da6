// What every command shares: where it prints, the exit code it sets, and the exit-code contract.
//
// Exit codes (a public contract): 0 success; 1 the check found something (lint findings, stale
// templates or docs, a diff, a refused parameter value); 2 usage or runtime error, printed as one
// line starting `cfn-cicd:`; 130 or 143 stopped by SIGINT or SIGTERM, after cleaning up.
import type { FileState } from '../files.js';

/** Where a command prints: normal output and one-line errors. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const consoleIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** What command handlers share: the printer, the command line as typed, and the exit code they set. */
export interface CliContext {
  readonly io: Io;
  /** The arguments as given, before yargs read them. */
  readonly argv: readonly string[];
  exitCode: number;
}

export const EXIT = { ok: 0, found: 1, error: 2 } as const;

/** The `--check` line for a file that is not what a fresh `cfn-cicd <command>` writes. */
export function staleLine(path: string, state: Exclude<FileState, 'same'>, command: string): string {
  const what = {
    different: `differs from a fresh \`cfn-cicd ${command}\``,
    missing: 'is missing',
    unreadable: 'cannot be read',
  };
  return `${path} ${what[state]}; run \`npm run ${command}\` and commit it`;
}
