import { expect } from 'chai';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAll } from '../../src/commands/build.js';
import { GUARD_RULES_FILE } from '../../src/naming.js';
import { locateTool, PACKAGE_ROOT, PINNED, toolMissing } from '../../src/tools/locate.js';
import { cli } from '../helpers.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'cfn-cicd-test-'));

describe('cli', () => {
  describe('build', () => {
    it('writes every template into --out, as a fresh render', async () => {
      const out = await tempDir();
      const result = await cli(['build', '--out', out]);
      expect(result.code).to.equal(0);
      for (const [file, yaml] of renderAll()) expect(await readFile(join(out, file), 'utf8')).to.equal(yaml);
      expect(result.out.join('\n')).to.match(/wrote .*cicd-pipeline\.yaml \(\d+ bytes\)/);
      expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    });

    it('--check passes on a fresh build and fails, naming the file, after a hand edit', async () => {
      const out = await tempDir();
      await cli(['build', '--out', out]);
      expect((await cli(['build', '--check', '--out', out])).code).to.equal(0);
      const file = join(out, 'cicd-pipeline.yaml');
      await writeFile(file, `${await readFile(file, 'utf8')}# hand edit\n`);
      const stale = await cli(['build', '--check', '--out', out]);
      expect(stale.code).to.equal(1);
      expect(stale.err).to.deep.equal([`${file} differs from a fresh build; run \`npm run build\` and commit it`]);
      await cli(['build', '--out', out]);
      expect((await cli(['build', '--check', '--out', out])).code).to.equal(0);
    });

    it('--check names the guard rules file when it is stale, like a template', async () => {
      const out = await tempDir();
      await cli(['build', '--out', out]);
      const rules = join(out, GUARD_RULES_FILE);
      await writeFile(rules, (await readFile(rules, 'utf8')).replace("'Retain'", "'Delete'"));
      const stale = await cli(['build', '--check', '--out', out]);
      expect(stale.code).to.equal(1);
      expect(stale.err).to.deep.equal([`${rules} differs from a fresh build; run \`npm run build\` and commit it`]);
    });

    it('--check passes on the committed templates/', async () => {
      const result = await cli(['build', '--check', '--out', join(PACKAGE_ROOT, 'templates')]);
      expect(result.err).to.deep.equal([]);
      expect(result.code).to.equal(0);
    });

    it('refuses an unwritable --out with one line, exit 2 and no file written', async () => {
      const dir = await tempDir();
      const blocker = join(dir, 'a-file');
      await writeFile(blocker, 'not a directory');
      const result = await cli(['build', '--out', join(blocker, 'templates')]);
      expect(result.code).to.equal(2);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.match(/^cfn-cicd: --out .*a-file\/templates: cannot write templates there \(ENOTDIR\)$/);
      expect(await readdir(dir)).to.deep.equal(['a-file']);
    });

    it('applies tags from --config and refuses a bad config with one line naming the value', async () => {
      const dir = await tempDir();
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ project: 'payments', tags: { CostCenter: 'cc-1' } }));
      expect((await cli(['build', '--out', dir, '--config', good])).code).to.equal(0);
      expect(await readFile(join(dir, 'cicd-pipeline.yaml'), 'utf8')).to.include('Value: cc-1');

      const bad = join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ tags: { 'aws:owner': 'x' } }));
      const outDir = join(dir, 'never');
      const result = await cli(['build', '--out', outDir, '--config', bad]);
      expect(result.code).to.equal(2);
      expect(result.err).to.have.length(1);
      expect(result.err[0]).to.include('tag key "aws:owner"');
      await readdir(outDir).then(
        () => expect.fail('nothing should be written'),
        (e: NodeJS.ErrnoException) => expect(e.code).to.equal('ENOENT'),
      );
    });

    it('refuses a config file that does not exist or is not JSON', async () => {
      const dir = await tempDir();
      expect((await cli(['build', '--out', dir, '--config', join(dir, 'missing.json')])).err[0]).to.match(
        /cannot read \(ENOENT\)/,
      );
      await writeFile(join(dir, 'x.json'), '{nope');
      expect((await cli(['build', '--out', dir, '--config', join(dir, 'x.json')])).err[0]).to.match(/not valid JSON$/);
    });
  });

  describe('usage errors', () => {
    const rows: [string[], RegExp][] = [
      [['frobnicate'], /^cfn-cicd: Unknown argument: frobnicate$/],
      [['build', '--bogus'], /^cfn-cicd: Unknown argument: bogus$/],
      [[], /^cfn-cicd: name a command: build, /],
    ];
    for (const [argv, message] of rows) {
      it(`\`cfn-cicd ${argv.join(' ')}\` prints one line and exits 2`, async () => {
        const result = await cli(argv);
        expect(result.code).to.equal(2);
        expect(result.err).to.have.length(1);
        expect(result.err[0]).to.match(message);
        expect(result.out).to.deep.equal([]);
      });
    }
  });

  describe('validate', () => {
    it('prints file:line:column rule message per finding and exits 1', async () => {
      const bad = join(PACKAGE_ROOT, 'test', 'fixtures', 'bad', 'unknown-property.yaml');
      const result = await cli(['validate', bad]);
      expect(result.code).to.equal(1);
      expect(result.out).to.have.length(1);
      expect(result.out[0]).to.match(/^.*unknown-property\.yaml:7:7 E3002 /);
    });

    it('exits 0 and says so when there is nothing to report', async () => {
      const good = join(PACKAGE_ROOT, 'test', 'fixtures', 'good', 'minimal.yaml');
      const result = await cli(['validate', good]);
      expect(result).to.deep.include({ code: 0, out: ['cfn-lint: no findings in 1 file(s)'] });
    });

    it('looks in .venv then PATH, and says how to install a tool it cannot find', () => {
      expect(locateTool('cfn-lint')).to.equal(join(PACKAGE_ROOT, '.venv', 'bin', 'cfn-lint'));
      expect(locateTool('no-such-tool', { PATH: '/nonexistent' })).to.equal(undefined);
      expect(locateTool('sh', { PATH: '/bin' })).to.equal('/bin/sh');
      expect(toolMissing('cfn-lint', PINNED.cfnLint).message).to.equal(
        'cfn-lint not found in .venv or on PATH: run `npm run bootstrap` (installs the pinned tools into .venv) or `pip install cfn-lint==1.58.0`',
      );
    });
  });
});
