// The secrets gate as the SecretsScan project runs it: the buildspec's own commands, in bash, on a
// source directory, with a fake detect-secrets beside the venv's Python for every answer it can
// give, then with the real, pinned detect-secrets on planted secrets. Secrets here are assembled
// at run time, so this file holds none.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SECRETS_GATE_SCRIPT } from '../../src/resources/scripts/secrets-gate.js';
import { CODEBUILD_TARGETS, DETECT_SECRETS, installCommand, requirementsText } from '../../src/resources/tool-pins.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import type { FakeStep } from '../fake-tool.js';
import { VENV_BIN } from '../venv.js';
import type { Run } from './buildspec-run.js';
import { fakeScannerVenv, phaseCommands, runCommands, SCANNERS_VENV, scratch } from './buildspec-run.js';

const PROJECT = 'SecretsScanProject';
const AWS_KEY = ['AKIA', 'Z7Q3XM4LHS2PNW6T'].join('');
const HASH = 'cd9fc45b6fba45c918147bf861c6c662da00e949';

const finding = (type: string, line: number, hashed = HASH) => ({
  type,
  filename: 'src/config.py',
  hashed_secret: hashed,
  is_verified: false,
  line_number: line,
});
const report = (results: object): string => JSON.stringify({ version: '1.5.0', results });
const scanned = (results: object): FakeStep => ({ stdout: report(results) });

interface GateRun extends Run {
  readonly calls: string[][];
}

/** Runs the build phase in a source directory holding `files`, with a fake detect-secrets answering `plan`. */
function runGate(plan: readonly FakeStep[], files: Record<string, string> = {}): GateRun {
  const fake = fakeScannerVenv('detect-secrets', plan);
  const source = scratch('secrets-source');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(source, name), text);
  const run = runCommands(phaseCommands(PROJECT, 'build'), source, { SCANNER_VENV: fake.venv });
  return { ...run, calls: fake.calls() };
}

describe('secrets gate (the SecretsScan buildspec)', function () {
  this.timeout(60_000);

  it('carries the gate script itself, which the pinned ruff finds clean', () => {
    expect(phaseCommands(PROJECT, 'build').join('\n')).to.include(SECRETS_GATE_SCRIPT);
    const file = join(scratch('ruff'), 'secrets_gate.py');
    writeFileSync(file, SECRETS_GATE_SCRIPT);
    const ruff = spawnSync(join(VENV_BIN, 'ruff'), ['check', '--no-cache', '--line-length', '120', file], {
      encoding: 'utf8',
    });
    expect(`${ruff.stdout}${ruff.stderr}`).to.match(/All checks passed/);
  });

  it('installs exactly the pinned wheels, each checked against its sha256, the ones the starter lists', () => {
    const [install] = phaseCommands(PROJECT, 'install');
    const lock = requirementsText([DETECT_SECRETS], CODEBUILD_TARGETS);
    expect(install).to.equal(installCommand(DETECT_SECRETS, '"$SCANNER_VENV"'));
    expect(install).to.include(`--require-hashes -r /dev/stdin <<'LOCK'\n${lock}LOCK\n`);
    expect(lock.trim().split('\n')).to.have.length(DETECT_SECRETS.packages.length);
    const starter = readFileSync(join(PACKAGE_ROOT, 'examples/pre-commit/requirements-scanners.txt'), 'utf8');
    for (const line of lock.trim().split('\n')) {
      for (const hash of line.split(' ').slice(1)) expect(starter, line).to.include(hash);
    }
  });

  it('refuses to go on with any other version than the pinned one', () => {
    const check = phaseCommands(PROJECT, 'install').slice(1);
    const run = (version: string) =>
      runCommands(check, scratch('version'), {
        SCANNER_VENV: fakeScannerVenv('detect-secrets', [{ stdout: `${version}\n` }]).venv,
      });
    expect(run('1.5.0').code).to.equal(0);
    expect(run('1.4.0').code).to.not.equal(0);
  });

  it('scans every file of the source and keeps the baseline file out of the scan', () => {
    const run = runGate([scanned({})]);
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.include('Secrets gate passed');
    expect(run.calls[0]).to.deep.equal(['scan', '--exclude-files', '^\\.secrets\\.baseline$', '--all-files', '.']);
  });

  it('fails naming file, line and detector of each finding, never the secret or its hash', () => {
    const run = runGate([
      scanned({ 'src/config.py': [finding('AWS Access Key', 3), finding('Secret Keyword', 9, 'ab'.repeat(20))] }),
    ]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.equal('src/config.py:3: AWS Access Key\nsrc/config.py:9: Secret Keyword\n');
    expect(run.output).to.match(/Secrets gate FAILED: 2 potential secret\(s\)/);
    expect(run.output).to.not.include(HASH);
    expect(run.output).to.not.include('ab'.repeat(20));
  });

  describe('with the application’s .secrets.baseline', () => {
    const baseline = (entries: object[]) => report({ 'src/config.py': entries });

    it('passes the findings it holds and fails on a new one; the scan uses the baseline’s own settings', () => {
      const files = { '.secrets.baseline': baseline([finding('AWS Access Key', 3)]) };
      const written = (results: object): FakeStep => ({
        writeArgFile: { flag: '--baseline', content: report(results) },
      });
      const known = runGate([written({ 'src/config.py': [finding('AWS Access Key', 4)] })], files);
      expect(known.code, known.output).to.equal(0);
      expect(known.output).to.include('nothing found beyond the 1 audited in .secrets.baseline');
      expect(known.calls[0]?.slice(-2)[0]).to.equal('--baseline');
      expect(known.calls[0]?.at(-1)).to.not.equal('.secrets.baseline');

      const added = runGate(
        [written({ 'src/config.py': [finding('AWS Access Key', 4), finding('Private Key', 12, 'cd'.repeat(20))] })],
        files,
      );
      expect(added.code).to.equal(1);
      expect(added.stdout).to.equal('src/config.py:12: Private Key\n');
    });

    it('fails on a finding the baseline audited as a real secret', () => {
      const files = { '.secrets.baseline': baseline([{ ...finding('AWS Access Key', 3), is_secret: true }]) };
      const run = runGate(
        [{ writeArgFile: { flag: '--baseline', content: baseline([finding('AWS Access Key', 3)]) } }],
        files,
      );
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal('src/config.py:3: AWS Access Key (audited as a real secret)\n');
    });

    it('refuses a baseline that is not one, naming it', () => {
      const run = runGate([scanned({})], { '.secrets.baseline': '{"results": [' });
      expect(run.code).to.equal(2);
      expect(run.output).to.match(/baseline \.secrets\.baseline is not readable JSON/);
    });
  });

  const errors: [string, FakeStep[], RegExp][] = [
    [
      'output that is not JSON',
      [{ stdout: 'Traceback (most recent call last):' }],
      /printed something that is not JSON/,
    ],
    ['JSON without results', [{ stdout: '{"version": "1.5.0"}' }], /answered without a results map/],
    [
      'a finding without its detector',
      [scanned({ 'a.py': [{ line_number: 1 }] })],
      /a finding in a\.py has no detector type/,
    ],
    [
      'a failed run',
      [{ stderr: 'error: unrecognized arguments: --all-files\n', exit: 2 }],
      /detect-secrets failed: error: unrecognized/,
    ],
    ['a killed run', [{ signal: 'SIGKILL' }], /killed by signal 9/],
  ];
  for (const [what, plan, message] of errors) {
    it(`${what} is an error (exit 2), never a pass`, () => {
      const run = runGate(plan);
      expect(run.output).to.match(message);
      expect(run.code, run.output).to.equal(2);
    });
  }

  it('says so when detect-secrets is not installed', () => {
    const venv = fakeScannerVenv('something-else', [{}]).venv;
    const run = runCommands(phaseCommands(PROJECT, 'build'), scratch('no-tool'), {
      SCANNER_VENV: venv,
      PATH: '/usr/bin:/bin',
    });
    expect(run.output).to.match(/detect-secrets is not installed/);
    expect(run.code).to.equal(2);
  });

  describe('with the real, pinned detect-secrets', () => {
    const real = (cwd: string, ...paths: string[]) =>
      runCommands(
        phaseCommands(PROJECT, 'build').map((c) => c.replace('python -', `python - ${paths.join(' ')}`)),
        cwd,
        {
          SCANNER_VENV: SCANNERS_VENV,
        },
      );

    it('finds a planted key, skips an allow-listed one, and honours an audited baseline', () => {
      const source = scratch('real-secrets');
      writeFileSync(join(source, 'config.py'), `aws_key = "${AWS_KEY}"\n`);
      writeFileSync(join(source, 'allowed.py'), `example = "${AWS_KEY}"  # pragma: allowlist secret\n`);
      writeFileSync(join(source, 'app.py'), 'print("hello")\n');
      const first = real(source);
      expect(first.stdout).to.equal('config.py:1: AWS Access Key\n');
      expect(first.code).to.equal(1);
      expect(first.output).to.not.include(AWS_KEY);

      const baseline = spawnSync(join(SCANNERS_VENV, 'bin', 'detect-secrets'), ['scan', '--all-files', '.'], {
        cwd: source,
        encoding: 'utf8',
      });
      writeFileSync(join(source, '.secrets.baseline'), baseline.stdout);
      expect(real(source).code).to.equal(0);

      writeFileSync(join(source, 'later.py'), `token = "${AWS_KEY.replace('Z7', 'Q9')}"\n`);
      const later = real(source);
      expect(later.stdout).to.equal('later.py:1: AWS Access Key\n');
      expect(later.code).to.equal(1);
      expect(real(source, 'app.py').code, 'only the files given are scanned').to.equal(0);
    });
  });
});
