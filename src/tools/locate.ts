// Finds the pinned Python tools: the project's .venv first, then PATH.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../errors.js';

/** The package root (where package.json and .venv live), from this compiled file's location. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Absolute path of `tool`, or undefined when neither .venv nor PATH has it. */
export function locateTool(tool: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    join(PACKAGE_ROOT, '.venv', 'bin', tool),
    ...(env['PATH'] ?? '').split(delimiter).map((d) => join(d, tool)),
  ];
  return candidates.find((c) => c !== tool && existsSync(c));
}

/** The error for a required tool that is missing; the message says how to install it. */
export const toolMissing = (tool: string, pipSpec: string): ToolError =>
  new ToolError(
    `${tool} not found in .venv or on PATH: run \`npm run bootstrap\` (installs the pinned tools into .venv) or \`pip install ${pipSpec}\``,
  );

/** The pinned version of each tool, as requirements-dev.txt (and cfn-guard.json) give it. */
export const PINNED = {
  cfnLint: 'cfn-lint==1.58.0',
  checkov: 'checkov==3.3.30',
  awscli: 'awscli==1.46.2',
  moto: 'moto[server]==5.2.5',
  /** Not a Python tool: the npm package cfn-guard.json pins, which carries the binary and the Control Tower rules. */
  cfnGuard: 'cfn-guard 3.1.1 and the Control Tower rules from @cdklabs/cdk-validator-cfnguard@0.0.62',
} as const;
