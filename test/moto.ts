// A real moto server on 127.0.0.1 and a free port, started and stopped by the test that uses it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AwsConnection } from '../src/tools/aws.js';
import { VENV_BIN } from './venv.js';

export interface Moto {
  readonly connection: Required<Pick<AwsConnection, 'endpointUrl' | 'region'>>;
  stop(): Promise<void>;
}

/** Fake credentials for the emulator only; moto accepts any. */
export const MOTO_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

/** A port on 127.0.0.1 nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer on ${url} within ${timeoutMs} ms`);
}

/** Starts moto_server from the pinned venv and sets the fake credentials in this process's env. */
export async function startMoto(): Promise<Moto> {
  Object.assign(process.env, MOTO_ENV);
  const port = await freePort();
  const child = spawn(join(VENV_BIN, 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...MOTO_ENV },
  });
  const endpointUrl = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpointUrl, child);
  return {
    connection: { endpointUrl, region: MOTO_ENV.AWS_DEFAULT_REGION },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
