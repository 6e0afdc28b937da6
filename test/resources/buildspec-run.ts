// Runs a platform buildspec's own commands the way CodeBuild does (bash, one phase after another),
// in a scratch directory, with the tools they call faked or real, for the gate tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { FakeStep, FakeTool } from '../fake-tool.js';
import { fakeTool } from '../fake-tool.js';
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
