// Runs a platform buildspec's own commands the way CodeBuild does (bash, one phase after another),
// in a scratch directory, with the tools they call faked or real, for the gate tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { FakeStep, FakeTool } from '../fake-tool.js';
import { fakeTool } from '../fake-tool.js';
import type { CfnTemplate } from '../helpers.js';
import { renderedPipeline, resource } from '../helpers.js';
import { VENV_BIN } from '../venv.js';

interface Buildspec {
  readonly env?: { readonly variables?: Readonly<Record<string, string>> };
  readonly phases: Readonly<Record<string, { readonly commands: readonly string[] }>>;
}

const buildspecs = new Map<string, Buildspec>();

/** A project's inline buildspec in the rendered pipeline, parsed (once per project). */
export function buildspecOf(projectId: string): Buildspec {
  const known = buildspecs.get(projectId);
  if (known !== undefined) return known;
  const spec = yaml.load(resource(renderedPipeline(), projectId).Properties.Source.BuildSpec as string) as Buildspec;
  buildspecs.set(projectId, spec);
  return spec;
}

/** The commands of one phase of a project's buildspec. */
export const phaseCommands = (projectId: string, phase: string): readonly string[] =>
  buildspecOf(projectId).phases[phase]?.commands ?? [];

/** What a run printed (stdout then stderr) and how it ended. */
export interface Run {
  readonly code: number | null;
  readonly output: string;
  readonly stdout: string;
}

/** Runs `commands` in `bash -e` in `cwd` with exactly `env` (plus a PATH). */
export function runCommands(commands: readonly string[], cwd: string, env: Readonly<Record<string, string>>): Run {
  const result = spawnSync('bash', ['--norc', '--noprofile', '-ec', commands.join('\n')], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

/** A scratch directory. */
export const scratch = (prefix: string): string => mkdtempSync(join(tmpdir(), `cfn-cicd-${prefix}-`));

/** The interpreter the pinned tools run on, by its real path (a pyenv shim would hide its location). */
const realPython = (): string =>
  realpathSync(
    execFileSync(join(VENV_BIN, 'python'), ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim(),
  );

/** A stand-in for the scanner venv a buildspec installs: `bin/python` is real, `bin/<tool>` a fake on `plan`. */
export function fakeScannerVenv(tool: string, plan: readonly FakeStep[]): FakeTool & { readonly venv: string } {
  const fake = fakeTool(tool, plan);
  symlinkSync(realPython(), join(fake.bin, 'python'));
  const venv = scratch('scanner-venv');
  symlinkSync(fake.bin, join(venv, 'bin'));
  return { ...fake, venv };
}

/** The venv the bootstrap installs from the pre-commit starter's hash-locked requirements. */
export const SCANNERS_VENV = join(VENV_BIN, '..', 'scanners');

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
export const IMAGE_URI = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/cicd-app-dev@${DIGEST}`;

/** The build-phase commands of a project's inline buildspec in `template`. */
export function buildCommands(template: CfnTemplate, projectId: string): string[] {
  const text = resource(template, projectId).Properties.Source.BuildSpec as string;
  return (yaml.load(text) as Buildspec).phases['build']?.commands.slice() ?? [];
}

/** What a run printed, how it ended, and the argv of each call of the fake aws. */
export interface ScriptRun {
  readonly code: number | null;
  readonly output: string;
  readonly calls: string[][];
}

/** Runs `commands` in bash with imageDetail.json naming IMAGE_URI and `plan` as the fake aws. */
export function runWithFakeAws(
  commands: readonly string[],
  plan: readonly FakeStep[],
  env: Readonly<Record<string, string>>,
): ScriptRun {
  const aws = fakeTool('aws', plan);
  const dir = scratch('buildspec');
  writeFileSync(join(dir, 'imageDetail.json'), JSON.stringify({ ImageURI: IMAGE_URI }));
  const run = runCommands(commands, dir, { PATH: `${aws.bin}:${VENV_BIN}:${process.env['PATH'] ?? ''}`, ...env });
  return { code: run.code, output: run.output, calls: aws.calls() };
}

/** What the pinned ruff says of a Python source, and its exit code. */
export function ruff(name: string, source: string): { readonly status: number | null; readonly output: string } {
  const file = join(scratch('ruff'), `${name}.py`);
  writeFileSync(file, source);
  const run = spawnSync(join(VENV_BIN, 'ruff'), ['check', '--no-cache', '--line-length', '120', file], {
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
