// The scan gate as the SecurityScan project runs it: the buildspec's own commands, in bash, with
// the build's imageDetail.json in the working directory and a fake `aws` on PATH answering every
// scan status ECR documents (ECR API Reference, ImageScanStatus and DescribeImageScanFindings).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCAN_GATE_SCRIPT } from '../../src/resources/scripts/scan-gate.js';
import type { FakeStep } from '../fake-tool.js';
import { renderedPipeline } from '../helpers.js';
import { buildCommands, DIGEST, ruff, runWithFakeAws } from './buildspec-run.js';
import { VENV_BIN } from '../venv.js';

const commands = (): string[] => buildCommands(renderedPipeline(), 'SecurityScanProject');

const scanned = (status: string, counts?: Record<string, number>, description?: string): FakeStep => ({
  stdout: JSON.stringify({ status, description: description ?? null, counts: counts ?? null }),
});
const scanNotFound: FakeStep = {
  stderr:
    '\nAn error occurred (ScanNotFoundException) when calling the DescribeImageScanFindings operation: Image scan does not exist\n',
  exit: 254,
};

/** Runs the buildspec's commands with `plan` as the fake aws; the wait is bounded to a few seconds. */
const runGate = (plan: readonly FakeStep[], env: Record<string, string> = {}) =>
  runWithFakeAws(commands(), plan, {
    REPOSITORY_NAME: 'cicd-app-dev',
    SCAN_SEVERITY_THRESHOLD: 'HIGH',
    SCAN_WAIT_SECONDS: '3',
    SCAN_POLL_SECONDS: '1',
    ...env,
  });

describe('scan gate (the SecurityScan buildspec, run against a fake aws)', function () {
  this.timeout(60_000);

  it('carries the gate script itself, which the pinned ruff finds clean', () => {
    expect(commands().join('\n')).to.include(SCAN_GATE_SCRIPT);
    const lint = ruff('scan_gate', SCAN_GATE_SCRIPT);
    expect(lint.output).to.match(/All checks passed/);
    expect(lint.status).to.equal(0);
  });

  it('asks ECR for the scan of the pushed digest in this repository', () => {
    const run = runGate([scanned('COMPLETE', { LOW: 1 })]);
    expect(run.code).to.equal(0);
    expect(run.calls[0]).to.include.members(['ecr', 'describe-image-scan-findings', 'cicd-app-dev']);
    expect(run.calls[0]).to.include(`imageDigest=${DIGEST}`);
  });

  const rows: [string, FakeStep[], Record<string, string>, number, RegExp][] = [
    ['a clean basic scan passes', [scanned('COMPLETE', {})], {}, 0, /Scan gate passed: nothing at or above HIGH/],
    ['HIGH findings fail at HIGH', [scanned('COMPLETE', { HIGH: 1 })], {}, 1, /FAILED: HIGH=1 at or above HIGH/],
    ['CRITICAL fails at HIGH', [scanned('COMPLETE', { CRITICAL: 2, LOW: 4 })], {}, 1, /FAILED: CRITICAL=2 at/],
    ['MEDIUM passes at HIGH', [scanned('COMPLETE', { MEDIUM: 3 })], {}, 0, /MEDIUM=3.*\n.*passed/],
    [
      'HIGH passes at CRITICAL',
      [scanned('COMPLETE', { HIGH: 5 })],
      { SCAN_SEVERITY_THRESHOLD: 'CRITICAL' },
      0,
      /passed/,
    ],
    ['LOW fails at LOW', [scanned('COMPLETE', { LOW: 1 })], { SCAN_SEVERITY_THRESHOLD: 'LOW' }, 1, /FAILED: LOW=1/],
    [
      'enhanced scanning (ACTIVE) is judged like a complete scan',
      [scanned('ACTIVE', { HIGH: 1, UNTRIAGED: 2 })],
      {},
      1,
      /Image scan \(ACTIVE\) findings: .*UNTRIAGED=2[^]*FAILED: HIGH=1/,
    ],
    [
      'waits through a missing scan record and a scan in progress',
      [scanNotFound, scanned('PENDING'), scanned('IN_PROGRESS'), scanned('COMPLETE', {})],
      { SCAN_WAIT_SECONDS: '10' },
      0,
      /passed/,
    ],
    ['a failed scan fails with its reason', [scanned('FAILED', undefined, 'boom')], {}, 1, /is FAILED \(boom\)/],
    [
      'an unsupported image fails, never passes',
      [scanned('UNSUPPORTED_IMAGE', undefined, 'UnsupportedImageError: base image not supported')],
      {},
      1,
      /is UNSUPPORTED_IMAGE \(UnsupportedImageError/,
    ],
    ['an unknown status fails', [scanned('SCAN_ELIGIBILITY_EXPIRED')], {}, 1, /is SCAN_ELIGIBILITY_EXPIRED/],
    [
      'a scan that never completes fails after the wait',
      [scanned('IN_PROGRESS')],
      {},
      1,
      /no scan result .* after 3 s \(last: IN_PROGRESS\)/,
    ],
    [
      'a scan record that never appears fails after the wait',
      [scanNotFound],
      {},
      1,
      /after 3 s \(last: no scan record yet\)/,
    ],
    [
      'an access error stops at once',
      [{ stderr: 'An error occurred (AccessDeniedException) when calling ...\n', exit: 254 }],
      {},
      2,
      /describe-image-scan-findings failed: An error occurred \(AccessDeniedException\)/,
    ],
    ['output that is not JSON is an error', [{ stdout: '<html>' }], {}, 2, /not JSON/],
    ['counts that are not numbers are an error', [scanned('COMPLETE', { HIGH: 'x' as never })], {}, 2, /not numbers/],
    ['a killed aws is an error, never a pass', [{ signal: 'SIGKILL' }], {}, 2, /killed by signal 9/],
    [
      'an unknown threshold is refused',
      [scanned('COMPLETE', {})],
      { SCAN_SEVERITY_THRESHOLD: 'SEVERE' },
      2,
      /'SEVERE' is not one of/,
    ],
    ['a bad wait is refused', [scanned('COMPLETE', {})], { SCAN_WAIT_SECONDS: 'soon' }, 2, /is not a whole number/],
  ];
  for (const [what, plan, env, code, message] of rows) {
    it(`${what} (exit ${code})`, () => {
      const run = runGate(plan, env);
      expect(run.output).to.match(message);
      expect(run.code, run.output).to.equal(code);
    });
  }

  it('refuses to run without a digest or a repository', () => {
    expect(runGate([scanned('COMPLETE', {})], { REPOSITORY_NAME: '' })).to.deep.include({ code: 2 });
    const direct = spawnSync('python3', ['-c', SCAN_GATE_SCRIPT, 'latest'], { encoding: 'utf8' });
    expect(direct.status).to.equal(2);
    expect(direct.stderr).to.match(/usage: scan-gate sha256:/);
  });

  it('says so when the aws CLI is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-no-aws-'));
    const result = spawnSync(join(VENV_BIN, 'python'), ['-c', SCAN_GATE_SCRIPT, DIGEST], {
      encoding: 'utf8',
      env: { PATH: dir, REPOSITORY_NAME: 'r', SCAN_SEVERITY_THRESHOLD: 'HIGH' },
    });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.match(/the aws CLI is not installed/);
  });
});
