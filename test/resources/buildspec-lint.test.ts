// Every command of every buildspec the emitted templates carry, linted by the pinned ShellCheck as
// bash (each platform buildspec says `shell: bash`). The application's own buildspecs (a path
// parameter) are its own, so they are not here.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { CfnTemplate } from '../helpers.js';
import { buildspecShellText, emittedTemplates, resourcesOfType } from '../helpers.js';
import { VENV_BIN } from '../venv.js';

interface Buildspec {
  readonly env?: { readonly shell?: string };
  readonly phases?: Readonly<Record<string, { readonly commands?: readonly string[] }>>;
}

/** One ShellCheck finding, placed on the buildspec command it is about. */
interface Finding {
  readonly command: string;
  readonly code: number;
  readonly level: string;
  readonly message: string;
}

/** Inline buildspecs by project ID; a `!Sub` variable becomes a plain word, `${!X}` the literal `${X}` it stands for. */
function inlineBuildspecs(template: CfnTemplate): [string, Buildspec][] {
  return resourcesOfType(template, 'AWS::CodeBuild::Project').flatMap(([id, project]) => {
    const spec: unknown = project.Properties.Source.BuildSpec;
    // A buildspec the parameter names (a file in the application's repository) is not ours to lint.
    if (typeof spec !== 'string' && (spec as { 'Fn::Sub'?: unknown })?.['Fn::Sub'] === undefined) return [];
    return [[id, yaml.load(buildspecShellText(spec, (name) => `CFN_${name}`)) as Buildspec]];
  });
}

/** The commands of a buildspec in the order CodeBuild runs them, each labelled `phase[i]`. */
const commandsOf = (spec: Buildspec): [string, string][] =>
  Object.entries(spec.phases ?? {}).flatMap(([phase, { commands = [] }]) =>
    commands.map((command, i): [string, string] => [`${phase}[${i}]`, command]),
  );

/** ShellCheck (bash, warnings and errors) on the commands as one script, each finding placed on its command. */
function lint(commands: readonly [string, string][]): Finding[] {
  const starts: [number, string][] = [];
  let line = 2;
  for (const [label, command] of commands) {
    starts.push([line, label]);
    line += command.split('\n').length;
  }
  const script = ['#!/bin/bash', ...commands.map(([, command]) => command)].join('\n');
  const run = spawnSync(join(VENV_BIN, 'shellcheck'), ['-s', 'bash', '-S', 'warning', '-f', 'json1', '-'], {
    input: script,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).to.be.oneOf([0, 1]);
  const { comments } = JSON.parse(run.stdout) as {
    comments: { line: number; code: number; level: string; message: string }[];
  };
  return comments.map((c) => ({
    command: [...starts].reverse().find(([start]) => start <= c.line)?.[1] ?? '?',
    code: c.code,
    level: c.level,
    message: c.message,
  }));
}

describe('buildspec commands (the pinned ShellCheck, as bash)', function () {
  this.timeout(60_000);

  it('places a finding on the command it is about, so a clean result means something', () => {
    const findings = lint([
      ['build[0]', 'echo "ok"'],
      ['build[1]', 'cat > f <<EOF\nline\nEOF\n'],
      ['build[2]', 'cd build'],
    ]);
    expect(findings.map((f) => [f.command, f.code])).to.deep.equal([['build[2]', 2164]]);
  });

  for (const { file, template } of emittedTemplates()) {
    const specs = inlineBuildspecs(template);
    if (specs.length === 0) continue;
    describe(file, () => {
      for (const [id, spec] of specs) {
        it(`${id}: runs in bash and ShellCheck finds nothing at warning level or above`, () => {
          expect(spec.env?.shell, `${id} env.shell`).to.equal('bash');
          const commands = commandsOf(spec);
          expect(commands.length, `${id} commands`).to.be.greaterThan(0);
          expect(lint(commands).map((f) => `${f.command}: SC${f.code} (${f.level}) ${f.message}`)).to.deep.equal([]);
        });
      }
    });
  }
});
