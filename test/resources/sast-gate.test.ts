// The static analysis gate as the StaticAnalysis project runs it: the buildspec's own commands, in
// bash, on a source directory, with a fake semgrep beside the venv's Python for every answer it
// can give and every threshold, then the real, pinned Semgrep running each platform rule on a
// sample it must flag and one it must not.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SAST_GATE_SCRIPT, SAST_SEVERITIES } from '../../src/resources/scripts/sast-gate.js';
import { PLATFORM_RULES, platformRulesYaml } from '../../src/resources/scripts/sast-rules.js';
import { CODEBUILD_TARGETS, requirementsText, SEMGREP } from '../../src/resources/tool-pins.js';
import type { FakeStep } from '../fake-tool.js';
import { renderedPipeline, resource } from '../helpers.js';
import { VENV_BIN } from '../venv.js';
import type { Run } from './buildspec-run.js';
import { fakeScannerVenv, phaseCommands, runCommands, SCANNERS_VENV, scratch } from './buildspec-run.js';

const PROJECT = 'StaticAnalysisProject';

const result = (severity: string, line = 7, rule = 'app.rule') => ({
  check_id: rule,
  path: 'src/app.py',
  start: { line, col: 1 },
  end: { line, col: 9 },
  extra: { message: 'a   finding\nover two lines', severity, metadata: {} },
});
const scanned = (results: object[], errors: object[] = []): FakeStep => ({
  stdout: JSON.stringify({ version: '1.185.0', results, errors, paths: { scanned: ['src/app.py'] } }),
});

interface GateRun extends Run {
  readonly calls: string[][];
}

function runGate(plan: readonly FakeStep[], threshold = 'HIGH', files: Record<string, string> = {}): GateRun {
  const fake = fakeScannerVenv('semgrep', plan);
  const source = scratch('sast-source');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(source, name)), { recursive: true });
    writeFileSync(join(source, name), text);
  }
  const run = runCommands(phaseCommands(PROJECT, 'build'), source, {
    SCANNER_VENV: fake.venv,
    SAST_SEVERITY_THRESHOLD: threshold,
  });
  return { ...run, calls: fake.calls() };
}

describe('static analysis gate (the StaticAnalysis buildspec)', function () {
  this.timeout(60_000);

  it('carries the gate script and the platform rules themselves; the pinned ruff finds the script clean', () => {
    const commands = phaseCommands(PROJECT, 'build').join('\n');
    expect(commands).to.include(SAST_GATE_SCRIPT);
    expect(commands).to.include(`<<'RULES'\n${platformRulesYaml()}RULES\n`);
    const file = join(scratch('ruff'), 'sast_gate.py');
    writeFileSync(file, SAST_GATE_SCRIPT);
    const ruff = spawnSync(join(VENV_BIN, 'ruff'), ['check', '--no-cache', '--line-length', '120', file], {
      encoding: 'utf8',
    });
    expect(`${ruff.stdout}${ruff.stderr}`).to.match(/All checks passed/);
  });

  it('installs the one pinned Semgrep wheel by its sha256 and takes the threshold from the parameter', () => {
    const [install] = phaseCommands(PROJECT, 'install');
    expect(install).to.include(`<<'LOCK'\n${requirementsText([SEMGREP], CODEBUILD_TARGETS)}LOCK\n`);
    expect(requirementsText([SEMGREP], CODEBUILD_TARGETS)).to.match(
      /^semgrep==1\.185\.0 --hash=sha256:[0-9a-f]{64}\n$/,
    );
    const variables = resource(renderedPipeline(), PROJECT).Properties.Environment.EnvironmentVariables;
    expect(variables).to.deep.include({
      Name: 'SAST_SEVERITY_THRESHOLD',
      Value: { Ref: 'SastSeverityThreshold' },
      Type: 'PLAINTEXT',
    });
  });

  it('runs Semgrep’s own engine offline on the platform rules and the application’s own', () => {
    const run = runGate([scanned([])], 'HIGH', { '.semgrep/local.yml': 'rules: []\n' });
    expect(run.code, run.output).to.equal(0);
    expect(run.calls[0]?.[8]).to.match(/\/0-platform-rules\.yaml$/);
    expect(run.calls[0]).to.deep.equal([
      'scan',
      '--experimental',
      '--json',
      '--metrics',
      'off',
      '--disable-version-check',
      '--quiet',
      '--config',
      run.calls[0]?.[8],
      '--config',
      '.semgrep',
      '--',
      '.',
    ]);
  });

  it('prints every finding with file, line, rule and severity on one line', () => {
    const run = runGate([scanned([result('ERROR', 7), result('INFO', 9, 'app.note')])]);
    expect(run.stdout).to.include('BLOCKING src/app.py:7: app.rule (HIGH) a finding over two lines\n');
    expect(run.stdout).to.include('src/app.py:9: app.note (LOW) a finding over two lines\n');
    expect(run.stdout).to.include('findings: CRITICAL=0, HIGH=1, MEDIUM=0, LOW=1');
    expect(run.code).to.equal(1);
  });

  // Each threshold against a finding of each severity: fails exactly at or above the threshold.
  for (const threshold of SAST_SEVERITIES) {
    for (const [index, severity] of SAST_SEVERITIES.entries()) {
      const fails = index <= SAST_SEVERITIES.indexOf(threshold);
      it(`a ${severity} finding ${fails ? 'fails' : 'passes'} at ${threshold}`, () => {
        const run = runGate([scanned([result(severity)])], threshold);
        expect(run.code, run.output).to.equal(fails ? 1 : 0);
        expect(run.output).to.match(
          fails ? new RegExp(`FAILED: ${severity}=1 at or above ${threshold}`) : /passed: nothing at or above/,
        );
      });
    }
  }

  it('reads Semgrep’s legacy severities as the current ones (ERROR HIGH, WARNING MEDIUM, INFO LOW)', () => {
    const run = runGate([scanned([result('ERROR'), result('WARNING'), result('INFO')])], 'LOW');
    expect(run.output).to.include('findings: CRITICAL=0, HIGH=1, MEDIUM=1, LOW=1');
  });

  it('reports a file Semgrep could not parse and goes on', () => {
    const run = runGate([scanned([], [{ level: 'warn', type: 'Syntax error', message: 'bad.py: syntax error' }])]);
    expect(run.output).to.include('note: bad.py: syntax error');
    expect(run.code).to.equal(0);
  });

  const errors: [string, FakeStep[], RegExp, string?][] = [
    [
      'a rule Semgrep cannot load (it would match nothing)',
      [scanned([], [{ level: 'error', type: 'Rule parse error', rule_id: 'x', message: 'Invalid pattern' }])],
      /could not run a rule: Invalid pattern/,
    ],
    ['a severity the gate does not know', [scanned([result('URGENT')])], /has severity 'URGENT', not one of/],
    ['a result without its location', [scanned([{ check_id: 'x', extra: { severity: 'HIGH' } }])], /lacks its path/],
    ['output that is not JSON', [{ stdout: '<html>' }], /not JSON/],
    ['JSON without results', [{ stdout: '{"errors": []}' }], /without a results list/],
    [
      'a failed run',
      [{ stderr: '[ERROR]: unable to find a config\n', exit: 7 }],
      /semgrep failed \(exit 7\): \[ERROR\]: unable to find a config/,
    ],
    ['a killed run', [{ signal: 'SIGKILL' }], /killed by signal 9/],
    ['an unknown threshold', [scanned([])], /invalid choice: 'ERROR'/, 'ERROR'],
  ];
  for (const [what, plan, message, threshold] of errors) {
    it(`${what} is an error (exit 2), never a pass`, () => {
      const run = runGate(plan, threshold);
      expect(run.output).to.match(message);
      expect(run.code, run.output).to.equal(2);
    });
  }

  it('refuses rules it cannot read, naming them', () => {
    const fake = fakeScannerVenv('semgrep', [scanned([])]);
    const run = spawnSync(
      join(fake.venv, 'bin', 'python'),
      ['-c', SAST_GATE_SCRIPT, '--rules', 'nope.yaml', '--threshold', 'HIGH'],
      {
        cwd: scratch('no-rules'),
        encoding: 'utf8',
      },
    );
    expect(run.stderr).to.match(/cannot read the rules nope\.yaml/);
    expect(run.status).to.equal(2);
    expect(fake.calls()).to.deep.equal([]);
  });

  it('says so when semgrep is not installed', () => {
    const venv = fakeScannerVenv('something-else', [{}]).venv;
    const run = runCommands(phaseCommands(PROJECT, 'build'), scratch('no-tool'), {
      SCANNER_VENV: venv,
      SAST_SEVERITY_THRESHOLD: 'HIGH',
      PATH: '/usr/bin:/bin',
    });
    expect(run.output).to.match(/semgrep is not installed/);
    expect(run.code).to.equal(2);
  });

  describe('the platform rules, run by the real, pinned Semgrep', () => {
    // Per rule: a file, a line it must flag, and a line beside it that it must not.
    const SAMPLES: Record<string, [file: string, flagged: string, clean: string]> = {
      'platform.python.tls-verification-disabled': [
        'tls.py',
        'requests.get(url, verify=False)',
        'requests.get(url, verify=True)',
      ],
      'platform.python.yaml-unsafe-load': [
        'load.py',
        'yaml.load(text, Loader=yaml.FullLoader)',
        'yaml.safe_load(text)',
      ],
      'platform.python.flask-debug': ['web.py', 'app.run(host="0.0.0.0", debug=True)', 'app.run(debug=False)'],
      'platform.python.subprocess-shell': ['run.py', 'subprocess.run(cmd, shell=True)', 'subprocess.run(["ls", "-l"])'],
      'platform.python.pickle-load': ['cache.py', 'pickle.loads(blob)', 'json.loads(blob)'],
      'platform.python.eval': ['calc.py', 'eval(expression)', 'eval("1 + 1")'],
      'platform.javascript.tls-verification-disabled': [
        'agent.js',
        'const a = new https.Agent({ keepAlive: true, rejectUnauthorized: false });',
        'const b = new https.Agent({ rejectUnauthorized: true });',
      ],
      'platform.javascript.eval': ['calc.ts', 'const f = new Function("a", body);', 'eval("2");'],
      'platform.go.tls-verification-disabled': [
        'client.go',
        'package main\nimport "crypto/tls"\nvar c = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}',
        'var d = &tls.Config{MinVersion: tls.VersionTLS12}',
      ],
      'platform.dockerfile.pipe-to-shell': [
        'Dockerfile',
        'RUN curl -fsSL https://example.com/install.sh | sh',
        'RUN curl -fsSLo /tmp/x https://example.com/x && sha256sum -c /tmp/x.sha256',
      ],
    };

    it('has a sample for every rule', () => {
      expect(Object.keys(SAMPLES)).to.have.members(PLATFORM_RULES.map((r) => r.id));
    });

    it('flags each rule’s sample on its line and nothing else, at the severity the rule declares', () => {
      const source = scratch('sast-real');
      const expected: string[] = [];
      for (const [rule, [file, flagged, clean]] of Object.entries(SAMPLES)) {
        writeFileSync(join(source, file), `${flagged}\n${clean}\n`);
        const severity = PLATFORM_RULES.find((r) => r.id === rule)?.severity;
        const line = flagged.split('\n').length;
        expect(severity).to.not.equal(undefined);
        expected.push(`${severity === 'HIGH' ? 'BLOCKING ' : ''}${file}:${line}: ${rule} (${severity})`);
      }
      const run = runCommands(phaseCommands(PROJECT, 'build'), source, {
        SCANNER_VENV: SCANNERS_VENV,
        SAST_SEVERITY_THRESHOLD: 'HIGH',
      });
      const findings = run.stdout
        .split('\n')
        .filter((l) => l.includes(': platform.'))
        .map((l) => l.replace(/\) .*$/, ')'));
      expect(findings.sort()).to.deep.equal(expected.sort());
      expect(run.code, run.output).to.equal(1);
    });
  });
});
