// SIGINT (Ctrl-C) and SIGTERM during work that must clean up after itself (staged files, a temporary
// directory, a stack mid-deploy): the signal becomes an AbortSignal the work watches, instead of
// Node's default of dying on the spot. Outside such work the default stands: nothing needs undoing.
import type { StopSignal } from './errors.js';
import { InterruptedError } from './errors.js';

const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

/**
 * Runs `work` with SIGINT and SIGTERM turned into `signal`, whose reason is an InterruptedError.
 * A second signal changes nothing: the first one's cleanup is already under way.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (name: StopSignal): void => controller.abort(new InterruptedError(name));
  for (const name of SIGNALS) process.on(name, stop);
  try {
    return await work(controller.signal);
  } finally {
    for (const name of SIGNALS) process.off(name, stop);
  }
}
