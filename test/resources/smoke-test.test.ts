// The smoke-test hook's handler, run for real: the Python the template carries, with the token in a
// local Secrets Manager (moto on 127.0.0.1) and the "new tasks" a local HTTP server that answers
// 200, 500, slowly, with a redirect, with 503 while it settles, or not at all.
import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTLING_STATUSES, SMOKE_TEST_HANDLER, TEST_TRAFFIC_HEADER } from '../../src/resources/scripts/smoke-test.js';
import { renderedPipeline, resource } from '../helpers.js';
import type { Moto } from '../moto.js';
import { MOTO_ENV, startMoto } from '../moto.js';
import { VENV_BIN } from '../venv.js';
import { ruff } from './buildspec-run.js';

const TOKEN = 'k3yOnlyTheTestRouteKnows';

/** A stand-in for the new tasks behind the test rule: it answers only requests with the token. */
function newTasks(): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  let settling = 0;
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    hits.push(path);
    if (request.headers[TEST_TRAFFIC_HEADER.toLowerCase()] !== TOKEN) return void response.writeHead(404).end();
    if (path === '/health' || path === '/ok') return void response.writeHead(200).end('ok');
    if (path === '/fail') return void response.writeHead(500).end('boom');
    if (path === '/missing') return void response.writeHead(404).end();
    if (path === '/redirect') return void response.writeHead(302, { Location: '/ok' }).end();
    if (path === '/settling') return void response.writeHead(settling++ < 2 ? 503 : 200).end();
    if (path === '/unavailable') return void response.writeHead(503).end();
    if (path === '/slow') return void setTimeout(() => response.writeHead(200).end('late'), 3000);
    response.writeHead(400).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }),
    ),
  );
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('smoke-test hook (the Lambda handler, against a local server and a local Secrets Manager)', function () {
  this.timeout(120_000);
  let moto: Moto;
  let tasks: Awaited<ReturnType<typeof newTasks>>;
  let secretArn: string;
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-smoke-'));
  writeFileSync(join(dir, 'index.py'), SMOKE_TEST_HANDLER);

  before(async () => {
    moto = await startMoto();
    tasks = await newTasks();
    const created = await execa(
      join(VENV_BIN, 'aws'),
      [
        'secretsmanager',
        'create-secret',
        '--name',
        'cicd-test-token-dev',
        '--secret-string',
        JSON.stringify({ token: TOKEN }),
      ],
      { env: { ...MOTO_ENV, AWS_ENDPOINT_URL: moto.connection.endpointUrl } },
    );
    secretArn = (JSON.parse(created.stdout) as { ARN: string }).ARN;
  });
  after(async () => {
    tasks.server.closeAllConnections();
    tasks.server.close();
    await moto.stop();
  });

  /** Invokes handler(event) as Lambda would, and returns what it returned and printed. */
  async function invoke(
    env: Record<string, string>,
    event: unknown = { executionDetails: { targetServiceRevisionArn: 'rev-1' } },
  ) {
    const run = await execa(
      join(VENV_BIN, 'python'),
      [
        '-c',
        'import json, sys, index; print(json.dumps(index.handler(json.loads(sys.argv[1]), None)))',
        JSON.stringify(event),
      ],
      {
        cwd: dir,
        reject: false,
        env: {
          ...MOTO_ENV,
          AWS_ENDPOINT_URL: moto.connection.endpointUrl,
          TEST_URL: tasks.url,
          HEALTH_CHECK_PATH: '/health',
          SMOKE_TEST_PATH: '',
          TOKEN_SECRET_ARN: secretArn,
          REQUEST_TIMEOUT_SECONDS: '1',
          RETRY_SECONDS: '0.2',
          ...env,
        },
      },
    );
    const lines = run.stdout.trim().split('\n').filter(Boolean);
    const result = run.exitCode === 0 ? (JSON.parse(lines.at(-1) ?? 'null') as unknown) : undefined;
    return { code: run.exitCode, result, log: run.exitCode === 0 ? lines.slice(0, -1) : lines, stderr: run.stderr };
  }

  it('is the function code in the template, fits inline code and the pinned ruff finds it clean', () => {
    const fn = resource(renderedPipeline(), 'SmokeTestFunction').Properties;
    expect(fn.Code.ZipFile).to.equal(SMOKE_TEST_HANDLER);
    // CloudFormation's ZipFile holds at most 4096 characters (AWS::Lambda::Function Code).
    expect(SMOKE_TEST_HANDLER.length).to.be.at.most(4096);
    const lint = ruff('smoke_test', SMOKE_TEST_HANDLER);
    expect(lint.output).to.match(/All checks passed/);
    expect(lint.status).to.equal(0);
  });

  it('reads exactly the environment the template gives it (and its optional tuning)', () => {
    const given = Object.keys(
      resource(renderedPipeline(), 'SmokeTestFunction').Properties.Environment.Variables,
    ).sort();
    const read = [...SMOKE_TEST_HANDLER.matchAll(/os\.environ(?:\['([A-Z_]+)'\]|\.get\('([A-Z_]+)')/g)].map(
      (m) => m[1] ?? m[2],
    );
    const tuning = ['ATTEMPTS', 'REQUEST_TIMEOUT_SECONDS', 'RETRY_SECONDS'];
    expect([...new Set(read)].filter((name) => !tuning.includes(name as string)).sort()).to.deep.equal(given);
  });

  it('succeeds when the health-check path answers 2xx through the test route (with the token)', async () => {
    const run = await invoke({});
    expect(run.result).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(JSON.parse(run.log[0] as string)).to.deep.include({
      revision: 'rev-1',
      path: '/health',
      status: 200,
      passed: true,
    });
  });

  it('also requests SmokeTestPath when set', async () => {
    const before = tasks.hits.length;
    const run = await invoke({ SMOKE_TEST_PATH: '/ok' });
    expect(run.result).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(tasks.hits.slice(before)).to.deep.equal(['/health', '/ok']);
  });

  const failures: [string, Record<string, string>, RegExp][] = [
    ['the smoke path answers 500', { SMOKE_TEST_PATH: '/fail' }, /"status": 500/],
    ['the health-check path answers 404', { HEALTH_CHECK_PATH: '/missing' }, /"status": 404/],
    ['it answers with a redirect (followed nowhere)', { SMOKE_TEST_PATH: '/redirect' }, /"status": 302/],
    ['it answers too slowly', { SMOKE_TEST_PATH: '/slow' }, /"status": null, "error": "(timed out|.*timed out)/],
    ['the load balancer stays unavailable', { SMOKE_TEST_PATH: '/unavailable' }, /"attempt": 3, "status": 503/],
  ];
  for (const [what, env, logged] of failures) {
    it(`fails the hook (ECS rolls back) when ${what}`, async () => {
      const run = await invoke(env);
      expect(run.result).to.deep.equal({ hookStatus: 'FAILED' });
      expect(run.log.join('\n')).to.match(logged);
    });
  }

  it('fails the hook when nothing answers at all', async () => {
    const run = await invoke({ TEST_URL: await closedPort() });
    expect(run.result).to.deep.equal({ hookStatus: 'FAILED' });
    expect(run.log.join('\n')).to.match(/"status": null, "error": ".*refused/i);
  });

  it(`asks again while the load balancer answers ${SETTLING_STATUSES.join('/')}, then judges the answer`, async () => {
    const run = await invoke({ SMOKE_TEST_PATH: '/settling' });
    expect(run.result).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(
      run.log.filter((l) => l.includes('/settling')).map((l) => (JSON.parse(l) as { status: number }).status),
    ).to.deep.equal([503, 503, 200]);
  });

  it('fails (raises, so ECS rolls back) when the token cannot be read', async () => {
    const run = await invoke({
      TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf',
    });
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.match(/ResourceNotFoundException/);
  });

  it('takes the event with or without the executionDetails envelope', async () => {
    const run = await invoke({}, { targetServiceRevisionArn: 'rev-2' });
    expect(run.result).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(run.log[0]).to.include('"revision": "rev-2"');
  });
});
