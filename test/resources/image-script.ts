// Running a buildspec the platform owns as CodeBuild would: its commands in bash, with the build's
// imageDetail.json in the working directory and a fake `aws` on PATH; and linting the Python
// scripts those buildspecs carry with the pinned ruff.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { FakeStep } from '../fake-tool.js';
import { fakeTool } from '../fake-tool.js';
import type { CfnTemplate } from '../helpers.js';
import { resource } from '../helpers.js';
import { VENV_BIN } from '../venv.js';

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
export const IMAGE_URI = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/cicd-app-dev@${DIGEST}`;

/** The build-phase commands of a project's inline buildspec. */
export function buildCommands(template: CfnTemplate, projectId: string): string[] {
  const text = resource(template, projectId).Properties.Source.BuildSpec as string;
  return (yaml.load(text) as { phases: { build: { commands: string[] } } }).phases.build.commands;
}

export interface ScriptRun {
  readonly code: number | null;
  readonly output: string;
  /** The argv of each call of the fake aws. */
  readonly calls: string[][];
}

/** Runs `commands` in bash with imageDetail.json naming IMAGE_URI and `plan` as the fake aws. */
export function runWithFakeAws(
  commands: readonly string[],
  plan: readonly FakeStep[],
  env: Readonly<Record<string, string>>,
): ScriptRun {
  const aws = fakeTool('aws', plan);
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-buildspec-'));
  writeFileSync(join(dir, 'imageDetail.json'), JSON.stringify({ ImageURI: IMAGE_URI }));
  const result = spawnSync('bash', ['-ec', commands.join('\n')], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${aws.bin}:${VENV_BIN}:${process.env['PATH'] ?? ''}`, ...env },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}`, calls: aws.calls() };
}

/** What the pinned ruff says of a Python source, and its exit code. */
export function ruff(name: string, source: string): { readonly status: number | null; readonly output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-ruff-'));
  const file = join(dir, `${name}.py`);
  writeFileSync(file, source);
  const run = spawnSync(join(VENV_BIN, 'ruff'), ['check', '--no-cache', '--line-length', '120', file], {
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
