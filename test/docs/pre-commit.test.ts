// The pre-commit starter an application team copies: its gates and rules are the pipeline's own,
// byte for byte, and the pinned pre-commit runs its hooks for real in a fresh git repository with
// the scanners the starter's requirements install. Secrets are assembled at run time.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import yaml from 'js-yaml';
import { PRE_COMMIT_DIR, PRE_COMMIT_FILES, preCommitStarter, SCANNER_VENV_DIR } from '../../src/docs/pre-commit.js';
import { LOCKED_INSTALL, PINNED_TOOLS } from '../../src/resources/tool-pins.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { VENV_BIN } from '../venv.js';
import { phaseCommands, SCANNERS_VENV, scratch } from '../resources/buildspec-run.js';

const starter = preCommitStarter();
const file = (name: string): string => starter.get(name) ?? '';

/** A git repository holding the starter, `.scanners` pointing at the bootstrapped scanners, and `files` staged. */
function repository(files: Record<string, string>): string {
  const dir = scratch('pre-commit-repo');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '--quiet');
  for (const [name, text] of [...starter, ...Object.entries(files)]) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  symlinkSync(SCANNERS_VENV, join(dir, SCANNER_VENV_DIR));
  writeFileSync(join(dir, '.gitignore'), `${SCANNER_VENV_DIR}\n`);
  git('add', '--all');
  return dir;
}

const preCommit = (dir: string) =>
  spawnSync(join(VENV_BIN, 'pre-commit'), ['run', '--all-files', '--color', 'never'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${VENV_BIN}:/usr/bin:/bin`, HOME: dir, PRE_COMMIT_HOME: join(dir, '.cache') },
  });

describe('the pre-commit starter (examples/pre-commit)', function () {
  this.timeout(120_000);

  it('carries the pipeline’s own gate scripts and rules, byte for byte', () => {
    const secrets = phaseCommands('SecretsScanProject', 'build').join('\n');
    const sast = phaseCommands('StaticAnalysisProject', 'build').join('\n');
    expect(secrets).to.include(file(PRE_COMMIT_FILES.secretsGate));
    expect(sast).to.include(file(PRE_COMMIT_FILES.sastGate));
    expect(sast).to.include(`<<'RULES'\n${file(PRE_COMMIT_FILES.rules)}RULES\n`);
  });

  it('pins every package of every scanner to one version and at least one sha256', () => {
    const lines = file(PRE_COMMIT_FILES.requirements)
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    const names = PINNED_TOOLS.flatMap((t) => t.packages.map((p) => `${p.name}==${p.version}`));
    expect(lines.map((l) => l.split(' ')[0])).to.deep.equal(names);
    for (const line of lines) expect(line, line).to.match(/^\S+==\S+( --hash=sha256:[0-9a-f]{64})+$/);
  });

  it('tells a team how to install exactly those wheels and runs the hooks from that venv', () => {
    const config = yaml.load(file(PRE_COMMIT_FILES.config)) as {
      repos: { repo: string; hooks: { id: string; entry: string; language: string }[] }[];
    };
    expect(file(PRE_COMMIT_FILES.config)).to.include(
      `${SCANNER_VENV_DIR}/bin/pip install ${LOCKED_INSTALL} -r ${PRE_COMMIT_FILES.requirements}`,
    );
    const hooks = config.repos.flatMap((r) => r.hooks);
    expect(hooks.map((h) => h.id)).to.deep.equal(['cicd-secrets', 'cicd-static-analysis']);
    for (const hook of hooks) {
      expect(hook.language).to.equal('system');
      expect(hook.entry.startsWith(`${SCANNER_VENV_DIR}/bin/python cicd-checks/`)).to.equal(true);
    }
  });

  it('is the committed examples/ directory (npm run docs writes it)', () => {
    for (const [name, text] of starter) {
      expect(readFileSync(join(PACKAGE_ROOT, 'examples', PRE_COMMIT_DIR, name), 'utf8'), name).to.equal(text);
    }
  });

  it('fails a commit for what the pipeline would fail on, naming file, line and rule, and passes a clean one', () => {
    const key = ['AKIA', 'Z7Q3XM4LHS2PNW6T'].join('');
    const dirty = repository({
      'src/settings.py': `AWS_ACCESS_KEY_ID = "${key}"\n`,
      'src/client.py': 'import requests\nrequests.get("https://example.com", verify=False)\n',
    });
    const failed = preCommit(dirty);
    const output = `${failed.stdout}${failed.stderr}`;
    expect(failed.status, output).to.equal(1);
    expect(output).to.include('src/settings.py:1: AWS Access Key');
    expect(output).to.include('BLOCKING src/client.py:2: platform.python.tls-verification-disabled (HIGH)');
    expect(output).to.not.include(key);

    const clean = repository({ 'src/client.py': 'import requests\nrequests.get("https://example.com")\n' });
    const passed = preCommit(clean);
    expect(passed.status, `${passed.stdout}${passed.stderr}`).to.equal(0);
  });
});
