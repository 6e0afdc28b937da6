// execa, loaded on first use: it costs ~0.1 s to import, and `build` never runs a tool.
import type { Options, Result } from 'execa';

/** Runs `file args` without throwing on a non-zero exit; the caller acts on `exitCode`. */
export async function run(file: string, args: readonly string[], options: Options = {}): Promise<Result> {
  const { execa } = await import('execa');
  return execa(file, [...args], { reject: false, ...options }) as unknown as Promise<Result>;
}
