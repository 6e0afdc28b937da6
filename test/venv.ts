// Runs the pinned Python tools from .venv for tests that check our output against them.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/tools/locate.js';

export const VENV_BIN = join(PACKAGE_ROOT, '.venv', 'bin');

/** Runs a Python snippet with the venv's interpreter and parses the JSON it prints. */
export function venvPython<T>(code: string, input?: string): T {
  const stdout = execFileSync(join(VENV_BIN, 'python'), ['-c', code], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}
