// Finds the pinned Python tools: in $CFN_CICD_TOOLS_DIR alone when it is set, else the project's
// .venv, then PATH.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../errors.js';

/** The package root (where package.json and .venv live), from this compiled file's location. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** When set, the one directory tools are taken from: stand-ins in tests, or tools installed elsewhere. */
export const TOOLS_DIR_VARIABLE = 'CFN_CICD_TOOLS_DIR';

/** Absolute path of `tool`: only from $CFN_CICD_TOOLS_DIR when it is set, else .venv, else PATH; undefined when none has it. */
export function locateTool(tool: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[TOOLS_DIR_VARIABLE];
  const candidates = override
    ? [join(override, tool)]
    : [join(PACKAGE_ROOT, '.venv', 'bin', tool), ...(env['PATH'] ?? '').split(delimiter).map((d) => join(d, tool))];
  return candidates.find((c) => c !== tool && existsSync(c));
}

/** The path of a tool cfn-cicd runs; a ToolError saying where it looked, and how to install it, when it is missing. */
export function requireTool(tool: string, pipSpec: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = locateTool(tool, env);
  if (found !== undefined) return found;
  const override = env[TOOLS_DIR_VARIABLE];
  throw new ToolError(
    override
      ? `${tool} not found in $${TOOLS_DIR_VARIABLE} (${override}): put it there, or unset ${TOOLS_DIR_VARIABLE}`
      : `${tool} not found in .venv or on PATH: run \`npm run bootstrap\` (installs the pinned tools into .venv) or \`pip install ${pipSpec}\``,
  );
}

/** The pinned version of each tool, as requirements-dev.txt (and cfn-guard.json) give it. */
export const PINNED = {
  cfnLint: 'cfn-lint==1.58.0',
  checkov: 'checkov==3.3.30',
  awscli: 'awscli==1.46.2',
  moto: 'moto[server]==5.2.5',
  /** Not a Python tool: the npm package cfn-guard.json pins, which carries the binary and the Control Tower rules. */
  cfnGuard: 'cfn-guard 3.1.1 and the Control Tower rules from @cdklabs/cdk-validator-cfnguard@0.0.62',
} as const;
