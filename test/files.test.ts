// src/files.ts: bounded reads, JSON a user gave, and writes that land together or not at all.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, InterruptedError } from '../src/errors.js';
import {
  fileState,
  MAX_JSON_DEPTH,
  parseJsonInput,
  readCapped,
  readInput,
  readInputIfExists,
  readInputText,
  writeFilesAtomic,
} from '../src/files.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'cfn-cicd-files-'));
const LIMIT = { bytes: 8, why: 'the test limit' } as const;
const label = (path: string) => `--out ${path}`;
const running = () => new AbortController().signal;

/** Every entry under `dir`, recursively, sorted. */
const tree = async (dir: string) => (await readdir(dir, { recursive: true })).sort();

describe('files', () => {
  describe('bounded reads', () => {
    it('reads a file of exactly the limit whole, and one byte more as not whole, never more than the limit', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'eight'), '12345678');
      await writeFile(join(dir, 'nine'), '123456789');
      expect(await readCapped(join(dir, 'eight'), 8)).to.deep.equal({ bytes: Buffer.from('12345678'), whole: true });
      expect(await readCapped(join(dir, 'nine'), 8)).to.deep.equal({ bytes: Buffer.from('12345678'), whole: false });
      expect(await readCapped('/dev/zero', 100_000)).to.deep.include({ whole: false });
    });

    it('names the flag, the path and what is allowed in one line', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'nine'), '123456789');
      await readInput(join(dir, 'nine'), '--x nine', LIMIT).then(
        () => expect.fail('over the limit'),
        (e: Error) =>
          expect(e).to.be.instanceOf(InputError).with.property('message', '--x nine: over 8 bytes, the test limit'),
      );
      await readInput(join(dir, 'missing'), '--x missing', LIMIT).then(
        () => expect.fail('missing'),
        (e: Error) => expect(e.message).to.equal('--x missing: cannot read (ENOENT)'),
      );
    });

    it('tells a missing file (undefined) from one it cannot read (an error)', async () => {
      const dir = await tempDir();
      expect(await readInputIfExists(join(dir, 'missing'), 'x', LIMIT)).to.equal(undefined);
      await writeFile(join(dir, 'small'), 'abc');
      expect(await readInputIfExists(join(dir, 'small'), 'x', LIMIT)).to.deep.equal(Buffer.from('abc'));
      await readInputIfExists(dir, '--x dir', LIMIT).then(
        () => expect.fail('a directory'),
        (e: Error) => expect(e.message).to.equal('--x dir: cannot read (EISDIR)'),
      );
    });

    it('decodes UTF-8, drops a byte-order mark and refuses bytes that are not UTF-8', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'bom'), '\uFEFFé');
      expect(await readInputText(join(dir, 'bom'), 'x', LIMIT)).to.equal('é');
      await writeFile(join(dir, 'latin1'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      await readInputText(join(dir, 'latin1'), '--x latin1', LIMIT).then(
        () => expect.fail('not UTF-8'),
        (e: Error) => expect(e.message).to.equal('--x latin1: not UTF-8 text'),
      );
    });
  });

  describe('JSON a user gave', () => {
    it(`parses it, refusing text that is not JSON and nesting deeper than ${MAX_JSON_DEPTH}`, () => {
      const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
      expect(parseJsonInput(nested(MAX_JSON_DEPTH), 'x')).to.be.an('object');
      expect(() => parseJsonInput(nested(MAX_JSON_DEPTH + 1), '--x f')).to.throw(
        InputError,
        `--x f: nested more than ${MAX_JSON_DEPTH} levels deep`,
      );
      expect(() => parseJsonInput('{', '--x f')).to.throw(InputError, '--x f: not valid JSON');
      expect(parseJsonInput('"text"', 'x')).to.equal('text');
    });
  });

  describe('fileState (what --check reports)', () => {
    it('says same, different, missing or unreadable, reading no more than one byte past the expected text', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'f'), 'abc');
      expect(await fileState(join(dir, 'f'), 'abc')).to.equal('same');
      expect(await fileState(join(dir, 'f'), 'abd')).to.equal('different');
      expect(await fileState(join(dir, 'f'), 'ab')).to.equal('different');
      expect(await fileState(join(dir, 'missing'), 'abc')).to.equal('missing');
      expect(await fileState(dir, 'abc')).to.equal('unreadable');
      expect(await fileState('/dev/zero', 'abc')).to.equal('different');
    });
  });

  describe('writeFilesAtomic', () => {
    it('writes files in several directories, creating them, and leaves no staging behind', async () => {
      const dir = await tempDir();
      const files = new Map([
        [join(dir, 'a', 'one.txt'), 'one'],
        [join(dir, 'a', 'two.txt'), 'two'],
        [join(dir, 'b', 'c', 'three.txt'), 'three'],
      ]);
      await writeFilesAtomic(files, label, running());
      for (const [path, text] of files) expect(await readFile(path, 'utf8')).to.equal(text);
      expect(await tree(dir)).to.deep.equal(['a', 'a/one.txt', 'a/two.txt', 'b', 'b/c', 'b/c/three.txt']);
    });

    it('replaces nothing when one target cannot be written, removes the directories it made, and names the flag', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'old.txt'), 'old');
      await mkdir(join(dir, 'taken.txt'));
      const files = new Map([
        [join(dir, 'new', 'fresh.txt'), 'fresh'],
        [join(dir, 'old.txt'), 'new'],
        [join(dir, 'taken.txt'), 'x'],
      ]);
      await writeFilesAtomic(
        files,
        (path) => `--flag-for ${path.endsWith('taken.txt') ? 'taken' : 'other'}`,
        running(),
      ).then(
        () => expect.fail('a target is a directory'),
        (e: Error) =>
          expect(e.message).to.equal(
            `--flag-for taken: cannot write ${join(dir, 'taken.txt')} (EISDIR); nothing was written`,
          ),
      );
      expect(await readFile(join(dir, 'old.txt'), 'utf8')).to.equal('old');
      expect(await tree(dir)).to.deep.equal(['old.txt', 'taken.txt']);
    });

    it('stops when the signal fires mid-way: nothing replaced, nothing left, "nothing was written"', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'one.txt'), 'old');
      const controller = new AbortController();
      const writing = writeFilesAtomic(
        new Map([
          [join(dir, 'one.txt'), 'new'],
          [join(dir, 'sub', 'two.txt'), 'new'],
        ]),
        label,
        controller.signal,
      );
      // Staging takes several file-system round trips; the abort lands during them.
      setImmediate(() => controller.abort(new InterruptedError('SIGTERM')));
      await writing.then(
        () => expect.fail('interrupted'),
        (e: Error) =>
          expect(e)
            .to.be.instanceOf(InterruptedError)
            .with.property('message', 'interrupted by SIGTERM: nothing was written'),
      );
      expect(await tree(dir)).to.deep.equal(['one.txt']);
      expect(await readFile(join(dir, 'one.txt'), 'utf8')).to.equal('old');
    });

    it('removes the staging directory of a run that died (SIGKILL), and keeps a live run’s', async () => {
      const dir = await tempDir();
      const dead = spawnSync('true').pid as number;
      await mkdir(join(dir, `.cfn-cicd-staging-${dead}-AbCdEf`));
      await writeFile(join(dir, `.cfn-cicd-staging-${dead}-AbCdEf`, 'half.txt'), 'half');
      await mkdir(join(dir, `.cfn-cicd-staging-${process.pid}-live`));
      await writeFile(join(dir, 'unrelated'), 'kept');
      await writeFilesAtomic(new Map([[join(dir, 'f.txt'), 'f']]), label, running());
      expect(await tree(dir)).to.deep.equal([`.cfn-cicd-staging-${process.pid}-live`, 'f.txt', 'unrelated']);
    });
  });
});
