// The environment's synthetic probe, run for real: the Python the environment template carries,
// against a local HTTP server standing in for the production listener. Its lines are what the metric
// filter counts, so the test also holds the filter and the alarm to what the handler prints.
import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conditions, Ids } from '../../src/naming.js';
import { PROBE_FAILURES_METRIC, PROBE_HANDLER, PROBE_NAMESPACE } from '../../src/resources/scripts/probe.js';
import { renderedEnvironment, renderedPipeline, resource } from '../helpers.js';
import { VENV_BIN } from '../venv.js';
import { ruff } from './buildspec-run.js';

function production(): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    hits.push(path);
    if (path === '/health' || path === '/ok') return void response.writeHead(200).end('ok');
    if (path === '/fail') return void response.writeHead(500).end('boom');
    if (path === '/redirect') return void response.writeHead(302, { Location: '/ok' }).end();
    if (path === '/slow') return void setTimeout(() => response.writeHead(200).end('late'), 3000);
    response.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits }),
    ),
  );
}

interface ProbeLine {
  readonly probe: string;
  readonly environment: string;
  readonly path: string;
  readonly status: number | null;
  readonly failed: number;
}

describe('synthetic probe (the Lambda handler, against a local server)', function () {
  this.timeout(60_000);
  let site: Awaited<ReturnType<typeof production>>;
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-probe-'));
  writeFileSync(join(dir, 'index.py'), PROBE_HANDLER);
  const env = renderedEnvironment();

  before(async () => {
    site = await production();
  });
  after(() => {
    site.server.closeAllConnections();
    site.server.close();
  });

  async function invoke(overrides: Record<string, string>) {
    const run = await execa(
      join(VENV_BIN, 'python'),
      ['-c', 'import json, index; print(json.dumps(index.handler({}, None)))'],
      {
        cwd: dir,
        reject: false,
        env: {
          PROBE_URL: site.url,
          ENVIRONMENT: 'shop-gamma',
          HEALTH_CHECK_PATH: '/health',
          SMOKE_TEST_PATH: '',
          REQUEST_TIMEOUT_SECONDS: '1',
          ...overrides,
        },
      },
    );
    const lines = run.stdout.trim().split('\n');
    return {
      code: run.exitCode,
      result: JSON.parse(lines.at(-1) as string) as { failed: number },
      log: lines.slice(0, -1).map((l) => JSON.parse(l) as ProbeLine),
    };
  }

  it('is the function code of the environment template only, fits inline code and ruff finds it clean', () => {
    expect(resource(env, Ids.ProbeFunction).Properties.Code.ZipFile).to.equal(PROBE_HANDLER);
    expect(renderedPipeline().Resources[Ids.ProbeFunction]).to.equal(undefined);
    // CloudFormation's ZipFile holds at most 4096 characters (AWS::Lambda::Function Code).
    expect(PROBE_HANDLER.length).to.be.at.most(4096);
    const lint = ruff('probe', PROBE_HANDLER);
    expect(lint.output).to.match(/All checks passed/);
    expect(lint.status).to.equal(0);
  });

  it('reads exactly the environment the template gives it (and its optional timeout)', () => {
    const given = Object.keys(resource(env, Ids.ProbeFunction).Properties.Environment.Variables).sort();
    const read = [...PROBE_HANDLER.matchAll(/os\.environ(?:\['([A-Z_]+)'\]|\.get\('([A-Z_]+)')/g)].map(
      (m) => m[1] ?? m[2],
    );
    expect([...new Set(read)].filter((n) => n !== 'REQUEST_TIMEOUT_SECONDS').sort()).to.deep.equal(given);
  });

  it('prints failed 0 for each path that answers 2xx, tagged with its environment', async () => {
    const before = site.hits.length;
    const run = await invoke({ SMOKE_TEST_PATH: '/ok' });
    expect(run.code).to.equal(0);
    expect(run.result).to.deep.equal({ failed: 0 });
    expect(site.hits.slice(before)).to.deep.equal(['/health', '/ok']);
    expect(run.log.map((l) => [l.probe, l.environment, l.path, l.status, l.failed])).to.deep.equal([
      ['production', 'shop-gamma', '/health', 200, 0],
      ['production', 'shop-gamma', '/ok', 200, 0],
    ]);
  });

  const failures: [string, Record<string, string>, number | null][] = [
    ['the smoke path answers 500', { SMOKE_TEST_PATH: '/fail' }, 500],
    ['the health-check path answers 404', { HEALTH_CHECK_PATH: '/missing' }, 404],
    ['it answers with a redirect (followed nowhere)', { SMOKE_TEST_PATH: '/redirect' }, 302],
    ['it answers too slowly', { SMOKE_TEST_PATH: '/slow' }, null],
  ];
  for (const [what, overrides, status] of failures) {
    it(`prints failed 1 when ${what}`, async () => {
      const run = await invoke(overrides);
      expect(run.result).to.deep.equal({ failed: 1 });
      const failed = run.log.filter((l) => l.failed === 1);
      expect(failed.map((l) => l.status)).to.deep.equal([status]);
    });
  }

  it('counts failures in a metric per environment that the alarm reads, and alarms on no data', () => {
    const filter = resource(env, Ids.ProbeFailuresMetricFilter).Properties;
    expect(filter.FilterPattern).to.equal('{ $.probe = "production" }');
    const [transform] = filter.MetricTransformations;
    expect(transform).to.deep.include({
      MetricNamespace: PROBE_NAMESPACE,
      MetricName: PROBE_FAILURES_METRIC,
      MetricValue: '$.failed',
    });
    expect(transform.Dimensions).to.deep.equal([{ Key: 'Environment', Value: '$.environment' }]);
    const alarm = resource(env, Ids.ProbeAlarm).Properties;
    expect([alarm.Namespace, alarm.MetricName]).to.deep.equal([PROBE_NAMESPACE, PROBE_FAILURES_METRIC]);
    expect(alarm.Dimensions).to.deep.equal([{ Name: 'Environment', Value: { Ref: 'EnvironmentSuffix' } }]);
    expect(alarm.TreatMissingData).to.equal('breaching');
  });

  it('exists only with SyntheticProbe true: every probe resource carries the condition', () => {
    const probeIds = [
      Ids.ProbeFunction,
      Ids.ProbeRole,
      Ids.ProbeLogGroup,
      Ids.ProbeSchedule,
      Ids.ProbeInvokePermission,
      Ids.ProbeFailuresMetricFilter,
      Ids.ProbeAlarm,
    ];
    for (const id of probeIds) expect(resource(env, id).Condition, id).to.equal(Conditions.HasSyntheticProbe);
  });
});
