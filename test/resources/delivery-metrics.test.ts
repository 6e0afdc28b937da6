// The delivery metrics, computed from recorded pipeline events the way AWS would: each recorded event
// goes through the template's EventBridge rule; those it matches run the function's Python (the code
// in the template) against a local CodePipeline endpoint that answers as the service did at that
// moment; every line the function prints goes through the template's metric filters; the figures
// are what CloudWatch would then hold. The recording (test/fixtures/pipeline-events.jsonl): seven
// executions over three days (one fails its unit tests, two roll back in production, one is
// superseded), and another pipeline's deployment, which must not count.
import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DELIVERY_METRICS, DELIVERY_NAMESPACE, deliveryMetrics } from '../../src/resources/delivery-metrics.js';
import { STACK_KEY } from '../../src/resources/encryption.js';
import { NOTIFICATION_TOPIC } from '../../src/resources/notifications.js';
import { DELIVERY_METRICS_HANDLER } from '../../src/resources/scripts/delivery-metrics.js';
import { renderedPipeline, resource, resourcesOfType, subText } from '../helpers.js';
import { MOTO_ENV } from '../moto.js';
import { VENV_BIN } from '../venv.js';
import type { FakeCodePipeline, PipelineEvent } from './delivery-events.js';
import {
  matchesFilter,
  matchesPattern,
  RECORDED,
  RECORDED_EVENTS,
  selected,
  SOURCE_VARIABLES,
  startFakeCodePipeline,
} from './delivery-events.js';
import { ruff } from './buildspec-run.js';

/** A metric data point as CloudWatch would store it from one log line. */
interface DataPoint {
  readonly name: string;
  readonly namespace: string;
  readonly value: number;
  readonly unit: string;
  readonly dimensions: Record<string, unknown>;
  /** The time of the event that produced it: the line's log time. */
  readonly time: string;
}

const template = renderedPipeline();
const fn = resource(template, 'DeliveryMetricsFunction').Properties;
const filters = resourcesOfType(template, 'AWS::Logs::MetricFilter').map(([, f]) => f.Properties);

/** The rule's pattern with its `!Sub` pipeline ARN as CloudFormation resolves it in the recorded account. */
function rulePattern(): Record<string, unknown> {
  const pattern = structuredClone(resource(template, 'DeliveryEventsRule').Properties.EventPattern);
  const values: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': RECORDED.region,
    'AWS::AccountId': RECORDED.account,
    Pipeline: RECORDED.pipeline,
  };
  pattern.resources = (pattern.resources as unknown[]).map((r) =>
    subText(r).replace(/\$\{([^}]+)\}/g, (_, name: string) => values[name] as string),
  );
  return pattern;
}

/** What CloudWatch makes of one line: a data point per filter that selects it. */
function dataPoints(line: string, time: string): DataPoint[] {
  return filters
    .filter((f) => matchesFilter(line, f.FilterPattern))
    .map((f) => {
      const t = f.MetricTransformations[0];
      return {
        name: t.MetricName,
        namespace: t.MetricNamespace,
        value: Number(selected(line, t.MetricValue)),
        unit: t.Unit,
        dimensions: Object.fromEntries(
          (t.Dimensions as { Key: string; Value: string }[]).map((d) => [d.Key, selected(line, d.Value)]),
        ),
        time,
      };
    });
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('delivery metrics (the function and its metric filters, on recorded pipeline events)', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-delivery-'));
  writeFileSync(join(dir, 'index.py'), fn.Code.ZipFile);
  let fake: FakeCodePipeline;

  /** Runs handler(event) as Lambda would, at the event's time; returns the lines it printed. */
  async function invoke(event: PipelineEvent, environment: Record<string, string> = {}) {
    fake.now = event.time;
    const run = await execa(
      join(VENV_BIN, 'python'),
      ['-c', 'import json, sys, index; index.handler(json.loads(sys.argv[1]), None)', JSON.stringify(event)],
      {
        cwd: dir,
        reject: false,
        env: {
          ...MOTO_ENV,
          AWS_DEFAULT_REGION: RECORDED.region,
          AWS_ENDPOINT_URL: fake.url,
          AWS_MAX_ATTEMPTS: '1',
          ...fn.Environment.Variables,
          ...environment,
        },
      },
    );
    return { code: run.exitCode, lines: run.stdout.split('\n').filter(Boolean), stderr: run.stderr };
  }

  const delivered = RECORDED_EVENTS.filter((e) => matchesPattern(e, rulePattern()));
  const lines: { line: string; time: string }[] = [];
  let points: DataPoint[] = [];
  const figures = (name: string) => points.filter((p) => p.name === name);

  before(async () => {
    fake = await startFakeCodePipeline();
    for (const event of delivered) {
      const run = await invoke(event);
      expect(run.code, run.stderr).to.equal(0);
      for (const line of run.lines) lines.push({ line, time: event.time });
    }
    points = lines.flatMap(({ line, time }) => dataPoints(line, time));
  });
  after(async () => fake.close());

  it('is the function code in the template, fits inline code and the pinned ruff finds it clean', () => {
    expect(fn.Code.ZipFile).to.equal(DELIVERY_METRICS_HANDLER);
    expect(DELIVERY_METRICS_HANDLER.length).to.be.at.most(4096);
    const lint = ruff('delivery_metrics', DELIVERY_METRICS_HANDLER);
    expect(lint.status, lint.output).to.equal(0);
  });

  it('is told of the end of every execution that succeeded or failed and of each production stage, of this pipeline only', () => {
    const told = delivered.map((e) => `${e['detail-type'].split(' ')[1]} ${e.detail.stage ?? ''} ${e.detail.state}`);
    // Six executions ended (the seventh was superseded); five reached the Deploy stage.
    expect(told.filter((t) => t.startsWith('Pipeline'))).to.have.length(6);
    expect(told.filter((t) => t.startsWith('Stage')).sort()).to.deep.equal([
      'Stage Deploy FAILED',
      'Stage Deploy FAILED',
      'Stage Deploy SUCCEEDED',
      'Stage Deploy SUCCEEDED',
      'Stage Deploy SUCCEEDED',
    ]);
    expect(delivered.every((e) => e.detail.pipeline === RECORDED.pipeline)).to.equal(true);
    const otherPipeline = RECORDED_EVENTS.filter((e) => e.detail.pipeline !== RECORDED.pipeline);
    expect(otherPipeline.map((e) => e.detail.state)).to.include('SUCCEEDED');
  });

  it('names the production stage once: the rule and the function take it from the builder', () => {
    const built = deliveryMetrics({
      key: STACK_KEY,
      pipelineId: 'Pipeline',
      productionStage: 'Production',
      topic: NOTIFICATION_TOPIC,
    });
    const parts = Object.fromEntries(built.parts.map((p) => [p.id, JSON.parse(JSON.stringify(p.resource))]));
    expect(JSON.stringify(parts['DeliveryEventsRule'].Properties.EventPattern)).to.include('"stage":["Production"]');
    expect(parts['DeliveryMetricsFunction'].Properties.Environment.Variables).to.deep.equal({
      PRODUCTION_STAGE: 'Production',
    });
    expect(fn.Environment.Variables).to.deep.equal({ PRODUCTION_STAGE: 'Deploy' });
    const stages = (resource(template, 'Pipeline').Properties.Stages as { Name: string }[]).map((s) => s.Name);
    expect(stages.at(-1)).to.equal('Deploy');
  });

  it('turns every line into exactly one metric of the namespace, with the pipeline as its dimension', () => {
    for (const { line, time } of lines) {
      const made = dataPoints(line, time);
      expect(made, line).to.have.length(1);
      expect(made[0]?.namespace).to.equal(DELIVERY_NAMESPACE);
      expect(made[0]?.dimensions['Pipeline'], line).to.equal(RECORDED.pipeline);
    }
    const made = new Set(points.map((p) => p.name));
    expect([...made].sort()).to.deep.equal(
      Object.values(DELIVERY_METRICS)
        .map((m) => m.name)
        .sort(),
    );
  });

  it('counts three production deployments and two that failed: deploy frequency 1 a day, change failure rate 40 %', () => {
    const deployed = figures(DELIVERY_METRICS.deployments.name);
    const failed = figures(DELIVERY_METRICS.failedDeployments.name);
    expect(deployed.map((p) => p.value)).to.deep.equal([1, 1, 1]);
    expect(failed.map((p) => p.value)).to.deep.equal([1, 1]);
    expect(deployed.map((p) => p.time.slice(0, 10))).to.deep.equal(['2025-03-03', '2025-03-04', '2025-03-04']);
    // Over the three recorded days.
    expect(deployed.length / 3).to.equal(1);
    expect((100 * failed.length) / (deployed.length + failed.length)).to.equal(40);
  });

  it('measures lead time from the commit (CommitterDate) to the end of the production stage', () => {
    const leadTimes = figures(DELIVERY_METRICS.leadTime.name);
    // 08:52:40 → 09:21:15, 09:41:17 → 10:20:55, 10:08:44 → 10:31:02 (the superseded commit never ships).
    expect(leadTimes.map((p) => p.value)).to.deep.equal([1715, 2378, 1338]);
    expect(leadTimes.every((p) => p.unit === 'Seconds')).to.equal(true);
    expect(Math.round(mean(leadTimes.map((p) => p.value)))).to.equal(1810);
  });

  it('measures time to recover: first failed start to next successful start', () => {
    // E2 (unit tests) and E3 (rolled back) failed; E4 recovered: 2025-03-03T14:10:00.204 → 2025-03-04T10:00:00.118.
    expect(figures(DELIVERY_METRICS.timeToRecover.name).map((p) => p.value)).to.deep.equal([71399.914]);
  });

  it('measures time between failures: first successful start to next failed start', () => {
    // E1 → E2, and E4 (E5 superseded, E6 succeeded) → E7.
    const between = figures(DELIVERY_METRICS.timeBetweenFailures.name).map((p) => p.value);
    expect(between).to.deep.equal([18599.692, 107999.972]);
    expect(mean(between)).to.be.closeTo(63299.832, 0.001);
  });

  it('measures every stage of every execution that ended, parallel actions included, per Stage dimension', () => {
    const durations = figures(DELIVERY_METRICS.stageDuration.name);
    const of = (stage: string) => durations.filter((p) => p.dimensions['Stage'] === stage).map((p) => p.value);
    // Six executions ended; E2 stopped after Test.
    expect(of('Source')).to.have.length(6);
    expect(of('Deploy')).to.have.length(5);
    // E1: Build 09:00:07 → 09:04:31; Test 09:04:33 → 09:08:11 (the slower of two parallel actions).
    expect(of('Build')[0]).to.equal(264);
    expect(of('Test')[0]).to.equal(218);
    // The same figures the recording gives, stage by stage: first action start to last action end.
    const ended = new Set(
      RECORDED_EVENTS.filter(
        (e) =>
          e['detail-type'] === 'CodePipeline Pipeline Execution State Change' &&
          ['SUCCEEDED', 'FAILED'].includes(e.detail.state) &&
          e.detail.pipeline === RECORDED.pipeline,
      ).map((e) => e.detail['execution-id']),
    );
    const spans = new Map<string, { from: number; to: number }>();
    for (const e of RECORDED_EVENTS) {
      if (e['detail-type'] !== 'CodePipeline Action Execution State Change' || !ended.has(e.detail['execution-id']))
        continue;
      const key = `${e.detail['execution-id']} ${e.detail.stage}`;
      const at = Date.parse(e.time) / 1000;
      const span = spans.get(key) ?? { from: at, to: at };
      spans.set(key, { from: Math.min(span.from, at), to: Math.max(span.to, at) });
    }
    expect(durations.map((p) => p.value).sort()).to.deep.equal([...spans.values()].map((s) => s.to - s.from).sort());
  });

  describe('when the service answers otherwise', () => {
    const firstDeploy = () =>
      delivered.find((e) => e.detail.stage === 'Deploy' && e.detail.state === 'SUCCEEDED') as PipelineEvent;
    const firstEnd = (state: string) =>
      delivered.find((e) => e.detail.stage === undefined && e.detail.state === state) as PipelineEvent;
    afterEach(() => {
      fake.variables.clear();
      fake.lagging.clear();
      delete fake.refuse;
    });

    it('takes the AuthorDate when the source reports no CommitterDate (a CodeConnections source)', async () => {
      const event = firstDeploy();
      const connection = { ...SOURCE_VARIABLES[event.detail['execution-id']] };
      delete connection['CommitterDate'];
      fake.variables.set(event.detail['execution-id'], connection);
      const run = await invoke(event);
      // AuthorDate 08:41:05 → 09:21:15.
      expect(run.lines.map((l) => JSON.parse(l)).find((l) => l.metric === 'LeadTime')?.seconds).to.equal(2410);
    });

    it('counts the deployment but measures no lead time when the source reported no commit time', async () => {
      const event = firstDeploy();
      fake.variables.set(event.detail['execution-id'], { CommitId: 'abc' });
      const run = await invoke(event);
      expect(run.code).to.equal(0);
      expect(run.lines.map((l) => JSON.parse(l).metric)).to.deep.equal(['ProductionDeployment']);
    });

    it('ends no streak while the execution is not yet listed as ended', async () => {
      const recovery = delivered.filter((e) => e.detail.stage === undefined && e.detail.state === 'SUCCEEDED')[1];
      const event = recovery as PipelineEvent;
      fake.lagging.add(event.detail['execution-id']);
      const run = await invoke(event);
      expect(run.code).to.equal(0);
      expect(run.lines.map((l) => JSON.parse(l).metric)).to.not.include('TimeToRecover');
      fake.lagging.clear();
      expect((await invoke(event)).lines.map((l) => JSON.parse(l).metric)).to.include('TimeToRecover');
    });

    it('says nothing about a stage that is not the production stage', async () => {
      const build = RECORDED_EVENTS.find(
        (e) => e['detail-type'] === 'CodePipeline Stage Execution State Change' && e.detail.stage === 'Build',
      ) as PipelineEvent;
      const run = await invoke(build);
      expect(run.code).to.equal(0);
      expect(run.lines).to.deep.equal([]);
    });

    it('fails the invocation when CodePipeline refuses, so Lambda retries and the errors alarm fires', async () => {
      fake.refuse = 'AccessDeniedException';
      const run = await invoke(firstEnd('FAILED'));
      expect(run.code).to.not.equal(0);
      expect(run.stderr).to.match(/AccessDeniedException/);
    });

    it('reads the history of its own pipeline only, page by page', () => {
      const names = new Set(fake.calls.map((c) => c.body['pipelineName']));
      expect([...names]).to.deep.equal([RECORDED.pipeline]);
      expect(fake.calls.some((c) => c.body['nextToken'] !== undefined)).to.equal(true);
    });
  });
});
