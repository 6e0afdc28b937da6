import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import type { PinnedTool } from '../../src/resources/tool-pins.js';
import {
  CODEBUILD_TARGETS,
  PINNED_TOOLS,
  requirementsText,
  versionCheckCommand,
} from '../../src/resources/tool-pins.js';
import { SCANNERS_VENV } from './buildspec-run.js';

describe('resources/tool-pins: every scanner pinned to a version and wheel hashes', () => {
  it('gives every package a wheel CodeBuild (Linux x86_64) can install, each hash a sha256', () => {
    for (const tool of PINNED_TOOLS) {
      for (const p of tool.packages) {
        expect(
          p.wheels.some((w) => CODEBUILD_TARGETS.includes(w.target)),
          `${p.name}`,
        ).to.equal(true);
        for (const w of p.wheels) expect(w.sha256, `${p.name} ${w.target}`).to.match(/^[0-9a-f]{64}$/);
      }
      expect(tool.packages[0]?.version, tool.command).to.equal(tool.version);
    }
  });

  it('lists a package once however many tools need it, with the hashes of the asked targets only', () => {
    const shared = { name: 'shared', version: '1.0', wheels: [{ target: 'any', sha256: 'a'.repeat(64) }] } as const;
    const tool = (command: string): PinnedTool => ({
      command,
      version: '1.0',
      versionArgs: ['--version'],
      packages: [
        {
          name: command,
          version: '1.0',
          wheels: [
            { target: 'linux-x86_64', sha256: 'b'.repeat(64) },
            { target: 'macos-arm64', sha256: 'c'.repeat(64) },
          ],
        },
        shared,
      ],
    });
    expect(requirementsText([tool('one'), tool('two')], ['any', 'linux-x86_64'])).to.equal(
      [
        `one==1.0 --hash=sha256:${'b'.repeat(64)}`,
        `shared==1.0 --hash=sha256:${'a'.repeat(64)}`,
        `two==1.0 --hash=sha256:${'b'.repeat(64)}`,
        '',
      ].join('\n'),
    );
    expect(() => requirementsText([tool('one')], ['linux-aarch64'])).to.throw(
      /one 1\.0 has no wheel for linux-aarch64/,
    );
  });

  it('installs, in the bootstrapped scanner venv, exactly the pinned version of each tool', () => {
    for (const tool of PINNED_TOOLS) {
      const check = spawnSync('bash', ['--norc', '-ec', versionCheckCommand(tool, SCANNERS_VENV)], {
        encoding: 'utf8',
      });
      expect(check.stdout.trim(), tool.command).to.equal(tool.version);
      expect(check.status).to.equal(0);
    }
  });
});
