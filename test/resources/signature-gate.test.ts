// The signature gate as the VerifySignature project runs it: the buildspec's own commands, in bash,
// with the build's imageDetail.json in the working directory and a fake `aws` on PATH answering
// every signing status ECR documents (ECR API Reference, DescribeImageSigningStatus and
// ListImageReferrers).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTATION_SIGNATURE_TYPE, SIGNATURE_GATE_SCRIPT } from '../../src/resources/scripts/signature-gate.js';
import type { FakeStep } from '../fake-tool.js';
import { fakeTool } from '../fake-tool.js';
import { renderedPipeline, resource } from '../helpers.js';
import { VENV_BIN } from '../venv.js';
import type { Run } from './buildspec-run.js';
import { phaseCommands, runCommands, scratch } from './buildspec-run.js';

const PROJECT = 'VerifySignatureProject';
const DIGEST = `sha256:${'cd'.repeat(32)}`;
const PROFILE = 'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/ImageSigningProfile_1A2B';
const OTHER = 'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/another';

const statuses = (...list: object[]): FakeStep => ({ stdout: JSON.stringify({ signingStatuses: list }) });
const signing = (status: string, profile = PROFILE, more: object = {}) => ({
  signingProfileArn: profile,
  status,
  ...more,
});
const referrers = (...list: object[]): FakeStep => ({ stdout: JSON.stringify({ referrers: list }) });
const signature = (status = 'ACTIVE') => ({
  digest: `sha256:${'ef'.repeat(32)}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  artifactType: NOTATION_SIGNATURE_TYPE,
  size: 700,
  artifactStatus: status,
});

interface GateRun extends Run {
  readonly calls: string[][];
}

function runGate(plan: readonly FakeStep[], env: Record<string, string> = {}): GateRun {
  const aws = fakeTool('aws', plan);
  const dir = scratch('signature-gate');
  writeFileSync(
    join(dir, 'imageDetail.json'),
    JSON.stringify({ ImageURI: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/cicd-app-dev@${DIGEST}` }),
  );
  const run = runCommands(phaseCommands(PROJECT, 'build'), dir, {
    PATH: `${aws.bin}:${VENV_BIN}:/usr/bin:/bin`,
    REPOSITORY_NAME: 'cicd-app-dev',
    SIGNING_PROFILE_ARN: PROFILE,
    SIGNING_WAIT_SECONDS: '3',
    SIGNING_POLL_SECONDS: '1',
    ...env,
  });
  return { ...run, calls: aws.calls() };
}

describe('signature gate (the VerifySignature buildspec, run against a fake aws)', function () {
  this.timeout(60_000);

  it('carries the gate script itself, which the pinned ruff finds clean', () => {
    expect(phaseCommands(PROJECT, 'build').join('\n')).to.include(SIGNATURE_GATE_SCRIPT);
    const file = join(scratch('ruff'), 'signature_gate.py');
    writeFileSync(file, SIGNATURE_GATE_SCRIPT);
    const ruff = spawnSync(join(VENV_BIN, 'ruff'), ['check', '--no-cache', '--line-length', '120', file], {
      encoding: 'utf8',
    });
    expect(`${ruff.stdout}${ruff.stderr}`).to.match(/All checks passed/);
  });

  it('expects the profile the stack signs with: its own, or the one given', () => {
    const variables = resource(renderedPipeline(), PROJECT).Properties.Environment.EnvironmentVariables;
    expect(variables).to.deep.include({
      Name: 'SIGNING_PROFILE_ARN',
      Value: { 'Fn::If': ['CreateImageSigning', { Ref: 'ImageSigningProfile' }, { Ref: 'ImageSigningProfileArn' }] },
      Type: 'PLAINTEXT',
    });
  });

  it('passes a digest ECR signed with the profile whose signature is stored, asking about exactly that digest', () => {
    const run = runGate([statuses(signing('COMPLETE', OTHER), signing('COMPLETE')), referrers(signature())]);
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.match(/Signature gate passed: sha256:c{1}d.* signed with .*ImageSigningProfile_1A2B/);
    expect(run.calls[0]).to.include.members(['describe-image-signing-status', 'cicd-app-dev', `imageDigest=${DIGEST}`]);
    expect(run.calls[1]).to.include.members([
      'list-image-referrers',
      `imageDigest=${DIGEST}`,
      `artifactTypes=${NOTATION_SIGNATURE_TYPE}`,
    ]);
  });

  const rows: [string, FakeStep[], number, RegExp][] = [
    [
      'waits while signing is in progress or not recorded yet',
      [statuses(), statuses(signing('IN_PROGRESS')), statuses(signing('COMPLETE')), referrers(signature())],
      0,
      /No signing status for .* yet \(profiles with one: none\)[^]*passed/,
    ],
    [
      'a failed signing fails with ECR’s reason',
      [statuses(signing('FAILED', PROFILE, { failureCode: 'AccessDenied', failureReason: 'no signer:SignPayload' }))],
      1,
      /could not sign .* AccessDenied \(no signer:SignPayload\)/,
    ],
    [
      'a digest signed only with another profile fails after the wait, saying what to check',
      [statuses(signing('COMPLETE', OTHER))],
      1,
      /not signed with .*ImageSigningProfile_1A2B after 3 s \(last: no status\); does the registry signing configuration cover cicd-app-dev/,
    ],
    [
      'signing that never completes fails after the wait',
      [statuses(signing('IN_PROGRESS'))],
      1,
      /after 3 s \(last: IN_PROGRESS\)/,
    ],
    [
      'a signed digest without a stored signature fails',
      [statuses(signing('COMPLETE')), referrers(signature('ARCHIVED'))],
      1,
      /reports .* signed, but no Notation signature is stored beside it/,
    ],
    ['an unknown signing status is an error', [statuses(signing('REVOKED'))], 2, /unknown signing status 'REVOKED'/],
    ['an answer without statuses is an error', [{ stdout: '{}' }], 2, /without signing statuses/],
    [
      'an answer without referrers is an error',
      [statuses(signing('COMPLETE')), { stdout: '{"nextToken": null}' }],
      2,
      /without referrers/,
    ],
    ['output that is not JSON is an error', [{ stdout: '<html>' }], 2, /not JSON/],
    ['JSON that is not an object is an error', [{ stdout: '[]' }], 2, /aws answered \[\]/],
    [
      'an aws CLI that predates managed signing is an error naming the call',
      [{ stderr: 'aws: error: argument operation: Invalid choice, valid choices are: ...\n', exit: 252 }],
      2,
      /aws ecr describe-image-signing-status failed: aws: error: argument operation: Invalid choice/,
    ],
    ['a killed aws is an error, never a pass', [{ signal: 'SIGKILL' }], 2, /killed by signal 9/],
  ];
  for (const [what, plan, code, message] of rows) {
    it(`${what} (exit ${code})`, () => {
      const run = runGate(plan);
      expect(run.output).to.match(message);
      expect(run.code, run.output).to.equal(code);
    });
  }

  it('refuses to run without the profile, a digest, or a whole number of seconds', () => {
    expect(runGate([statuses()], { SIGNING_PROFILE_ARN: '' }).output).to.match(/SIGNING_PROFILE_ARN is not set/);
    expect(runGate([statuses()], { SIGNING_WAIT_SECONDS: 'soon' }).output).to.match(/is not a whole number/);
    const direct = spawnSync('python3', ['-c', SIGNATURE_GATE_SCRIPT, 'latest'], { encoding: 'utf8' });
    expect(direct.status).to.equal(2);
    expect(direct.stderr).to.match(/usage: signature-gate sha256:/);
  });

  it('says so when the aws CLI is missing', () => {
    const result = spawnSync(join(VENV_BIN, 'python'), ['-c', SIGNATURE_GATE_SCRIPT, DIGEST], {
      encoding: 'utf8',
      env: { PATH: scratch('no-aws'), REPOSITORY_NAME: 'r', SIGNING_PROFILE_ARN: PROFILE },
    });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.match(/the aws CLI is not installed/);
  });
});
