// File I/O the commands share: writes that leave either the old file or the whole new one, never
// half of it; reads that treat a missing file as absent.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes each file to a temporary sibling, then renames them all; on any failure nothing is replaced. */
export async function writeFilesAtomic(files: ReadonlyMap<string, string>): Promise<void> {
  const staged: [string, string][] = [];
  try {
    for (const [path, content] of files) {
      await mkdir(dirname(path), { recursive: true });
      const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      staged.push([temp, path]);
      await writeFile(temp, content);
    }
    for (const [temp, path] of staged) await rename(temp, path);
  } catch (error) {
    await Promise.all(staged.map(([temp]) => rm(temp, { force: true })));
    throw error;
  }
}

/** The file's bytes, or undefined when it cannot be read (missing, a directory, no permission). */
export async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/** The file's text (UTF-8), or undefined when it cannot be read. */
export const readTextIfExists = async (path: string): Promise<string | undefined> =>
  (await readIfExists(path))?.toString('utf8');
