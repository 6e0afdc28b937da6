// File I/O the commands share. Every read is bounded (a template, config or README is small;
// /dev/zero is not) and names the flag that gave the path; files written together appear together
// or not at all.
import { renameSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, InterruptedError } from './errors.js';

/** The most a file given to a flag may hold, and why, for the message that refuses a bigger one. */
export interface ReadLimit {
  readonly bytes: number;
  /** e.g. "CloudFormation's limit for a template". */
  readonly why: string;
}

/** Reads at most `limit` bytes of `path`; `whole` is false when it holds more. Throws the fs error (ENOENT, EISDIR …). */
export async function readCapped(path: string, limit: number): Promise<{ bytes: Buffer; whole: boolean }> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // One byte past the limit tells a file of exactly `limit` bytes from a longer one, and no more is read.
    while (total <= limit) {
      const chunk = Buffer.alloc(Math.min(65_536, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return { bytes: Buffer.concat(chunks).subarray(0, limit), whole: total <= limit };
  } finally {
    await handle.close();
  }
}

const errorCode = (error: unknown): string => String((error as NodeJS.ErrnoException).code);

/** The bytes of a file a flag names; one InputError line starting with `label` when it is unreadable or too big. */
export async function readInput(path: string, label: string, limit: ReadLimit): Promise<Buffer> {
  const read = await readCapped(path, limit.bytes).catch((error: unknown) => {
    throw new InputError(`${label}: cannot read (${errorCode(error)})`);
  });
  if (!read.whole) throw new InputError(`${label}: over ${limit.bytes.toLocaleString('en-US')} bytes, ${limit.why}`);
  return read.bytes;
}

/** As readInput, but undefined when there is no file at `path`. */
export async function readInputIfExists(path: string, label: string, limit: ReadLimit): Promise<Buffer | undefined> {
  if ((await lstat(path).catch(() => undefined)) === undefined) return undefined;
  return readInput(path, label, limit);
}

// fatal: bytes that are not UTF-8 are refused, not replaced; a leading byte-order mark is dropped.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text: bounded as readInput, UTF-8 only, a leading byte-order mark dropped (editors on Windows add one). */
export async function readInputText(path: string, label: string, limit: ReadLimit): Promise<string> {
  const bytes = await readInput(path, label, limit);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new InputError(`${label}: not UTF-8 text`);
  }
}

/** Deeper than any config or parameters file needs; deep enough nesting overflows the stack of whatever walks it. */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests objects or arrays more than `max` levels deep; iterative, so any depth is safe. */
function deeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** JSON text a user gave: one InputError line starting with `label` when it is not JSON or nests too deep. */
export function parseJsonInput(text: string, label: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`${label}: not valid JSON`);
  }
  if (deeperThan(value, MAX_JSON_DEPTH)) {
    throw new InputError(`${label}: nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return value;
}

/** How a file compares with what a fresh run would write. */
export type FileState = 'same' | 'different' | 'missing' | 'unreadable';

/** Compares the file with `expected`, reading no more than one byte past its length. */
export async function fileState(path: string, expected: string): Promise<FileState> {
  const bytes = Buffer.from(expected);
  try {
    const read = await readCapped(path, bytes.length);
    return read.whole && read.bytes.equals(bytes) ? 'same' : 'different';
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? 'missing' : 'unreadable';
  }
}

/** Prefix of the directory a write stages its files in, beside their targets (a rename never crosses file systems). */
const STAGING_PREFIX = '.cfn-cicd-staging-';
const STAGING = /^\.cfn-cicd-staging-(\d+)-/;

/** Whether a process is running; EPERM means it is, under another user. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Removes the staging directories of runs that died before cleaning up (SIGKILL, a crash, power loss). */
async function sweepStaging(dir: string): Promise<void> {
  const names = await readdir(dir);
  for (const name of names) {
    const pid = Number(STAGING.exec(name)?.[1] ?? 0);
    if (pid > 0 && !running(pid)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Writes every file, or none: each is written into a staging directory beside its target, and only
 * when all are staged are they renamed into place, synchronously, one after another, so no signal
 * handler or other work runs in between. On failure or on `signal` nothing is replaced and nothing
 * is left behind. `label(path)` names the flag that chose the path, for the one-line error.
 */
export async function writeFilesAtomic(
  files: ReadonlyMap<string, string>,
  label: (path: string) => string,
  signal: AbortSignal,
): Promise<void> {
  const byDirectory = new Map<string, [string, string][]>();
  for (const [path, content] of files) {
    const dir = resolve(dirname(path));
    byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), [path, content]]);
  }
  const created: string[] = [];
  const staging: string[] = [];
  const staged: [string, string][] = [];
  let current = '';
  try {
    for (const [dir, entries] of byDirectory) {
      current = (entries[0] as [string, string])[0];
      const made = await mkdir(dir, { recursive: true });
      if (made !== undefined) created.push(made);
      await sweepStaging(dir);
      const stage = await mkdtemp(join(dir, `${STAGING_PREFIX}${process.pid}-`));
      staging.push(stage);
      for (const [path, content] of entries) {
        signal.throwIfAborted();
        current = path;
        const temp = join(stage, basename(path));
        await writeFile(temp, content);
        staged.push([temp, path]);
      }
    }
    signal.throwIfAborted();
    for (const [, path] of staged) {
      current = path;
      if ((await lstat(path).catch(() => undefined))?.isDirectory())
        throw Object.assign(new Error(), { code: 'EISDIR' });
    }
    for (const [temp, path] of staged) renameSync(temp, path);
  } catch (error) {
    await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
    if (error instanceof InterruptedError) {
      throw new InterruptedError(error.signal, `interrupted by ${error.signal}: nothing was written`);
    }
    throw new InputError(`${label(current)}: cannot write ${current} (${errorCode(error)}); nothing was written`);
  } finally {
    await Promise.all(staging.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
