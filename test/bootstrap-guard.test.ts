// scripts/bootstrap-guard.sh against a fake `npm` that packs a fake carrier package: what it
// installs, that it does nothing the second time, and that it refuses a tarball or binary that is
// not the pinned one. No network: the real bootstrap's result is checked in test/tools/cfn-guard.test.ts.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../src/tools/locate.js';

const PLATFORM = `${process.platform === 'darwin' ? 'macos' : 'ubuntu'}/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}`;

/** Writes `files` (path → content) under `dir`. */
function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

// Packs whatever tarball it was given into --pack-destination and prints its name, as npm pack does.
const FAKE_NPM = `#!/usr/bin/env bash
echo "$*" >>"$(dirname "$0")/calls"
while [ $# -gt 0 ]; do [ "$1" = --pack-destination ] && dest=$2; shift; done
cp "$(dirname "$0")/carrier.tgz" "$dest/fake-carrier-1.0.0.tgz"
echo fake-carrier-1.0.0.tgz
`;

describe('scripts/bootstrap-guard.sh (against a fake npm and carrier package)', () => {
  const root = mkdtempSync(join(tmpdir(), 'cfn-cicd-bootstrap-guard-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const npmBin = join(root, 'npm-bin');
  writeTree(join(root, 'carrier'), {
    'package/LICENSE': 'Apache-2.0',
    'package/guard-version.json': '{"version": "9.9.9"}',
    [`package/bin/${PLATFORM}/cfn-guard`]: '#!/bin/sh\necho "cfn-guard 9.9.9"\n',
    'package/bin/elsewhere/cfn-guard': 'another platform',
    'package/rules/control-tower/cfn-guard/s3/ct-s3-pr-1.guard': 'rule x when %y not empty { }\n',
    'package/rules/control-tower/metadata/s3/ct-s3-pr-1.metadata.json': '{}',
    'package/lib/plugin.js': 'not extracted',
  });
  chmodSync(join(root, 'carrier', `package/bin/${PLATFORM}/cfn-guard`), 0o755);
  writeTree(npmBin, { npm: FAKE_NPM });
  chmodSync(join(npmBin, 'npm'), 0o755);
  spawnSync('tar', ['-czf', join(npmBin, 'carrier.tgz'), '-C', join(root, 'carrier'), 'package']);
  const integrity = `sha512-${createHash('sha512')
    .update(readFileSync(join(npmBin, 'carrier.tgz')))
    .digest('base64')}`;

  /** A checkout holding the script and a pin file; returns its path. */
  const checkout = (pin: Record<string, string>): string => {
    const dir = mkdtempSync(join(root, 'repo-'));
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(PACKAGE_ROOT, 'scripts', 'bootstrap-guard.sh'), join(dir, 'scripts', 'bootstrap-guard.sh'));
    writeFileSync(
      join(dir, 'cfn-guard.json'),
      JSON.stringify({ package: 'fake-carrier', version: '1.0.0', integrity, cfnGuard: '9.9.9', ...pin }),
    );
    return dir;
  };
  const bootstrap = (dir: string) =>
    spawnSync('bash', [join(dir, 'scripts', 'bootstrap-guard.sh')], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${npmBin}:${process.env['PATH'] ?? ''}` },
    });
  const npmCalls = (): string[] =>
    existsSync(join(npmBin, 'calls')) ? readFileSync(join(npmBin, 'calls'), 'utf8').trim().split('\n') : [];

  it('installs this platform’s binary, the rules, their metadata and the licence, once', () => {
    const dir = checkout({});
    const before = npmCalls().length;
    const first = bootstrap(dir);
    expect(first.status, first.stderr).to.equal(0);
    const calls = npmCalls().slice(before);
    expect(calls).to.have.length(1);
    expect(calls[0]).to.match(/^pack fake-carrier@1\.0\.0 --pack-destination \S+ --prefer-offline --silent$/);
    const home = join(dir, '.guard');
    expect(spawnSync(join(home, 'bin', 'cfn-guard'), ['--version'], { encoding: 'utf8' }).stdout).to.equal(
      'cfn-guard 9.9.9\n',
    );
    expect(existsSync(join(home, 'control-tower', 'rules', 's3', 'ct-s3-pr-1.guard'))).to.equal(true);
    expect(existsSync(join(home, 'control-tower', 'metadata', 's3', 'ct-s3-pr-1.metadata.json'))).to.equal(true);
    expect(readFileSync(join(home, 'LICENSE'), 'utf8')).to.equal('Apache-2.0');
    expect(existsSync(join(home, 'lib'))).to.equal(false);
    const pinHash = createHash('sha256')
      .update(readFileSync(join(dir, 'cfn-guard.json')))
      .digest('hex');
    expect(readFileSync(join(home, '.pin.sha256'), 'utf8').trim()).to.equal(pinHash);

    const second = bootstrap(dir);
    expect(second.status).to.equal(0);
    expect(second.stderr).to.equal('');
    expect(npmCalls().slice(before), 'the second run fetches nothing').to.have.length(1);
  });

  it('refuses a tarball whose integrity is not the pinned one, and installs nothing', () => {
    const wrong = `sha512-${createHash('sha512').update('something else').digest('base64')}`;
    const dir = checkout({ integrity: wrong });
    const result = bootstrap(dir);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include(
      `fake-carrier-1.0.0.tgz has integrity ${integrity}, not the pinned ${wrong}; refusing it`,
    );
    expect(existsSync(join(dir, '.guard'))).to.equal(false);
  });

  it('keeps the working install when a new pin fails, and replaces it when one succeeds', () => {
    const dir = checkout({});
    expect(bootstrap(dir).status).to.equal(0);
    writeFileSync(join(dir, '.guard', 'marker'), 'old install');
    const pinFile = join(dir, 'cfn-guard.json');
    const good = readFileSync(pinFile, 'utf8');
    writeFileSync(pinFile, good.replace('"9.9.9"', '"1.2.3"'));
    const result = bootstrap(dir);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include('the binary reports "cfn-guard 9.9.9", not cfn-guard 1.2.3');
    expect(readFileSync(join(dir, '.guard', 'marker'), 'utf8')).to.equal('old install');
    writeFileSync(pinFile, `${good}\n`);
    expect(bootstrap(dir).status).to.equal(0);
    expect(existsSync(join(dir, '.guard', 'marker')), 'rebuilt from the new pin').to.equal(false);
  });
});
