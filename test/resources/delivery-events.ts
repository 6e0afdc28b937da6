// What the delivery-metrics tests run on: recorded CodePipeline events (test/fixtures/
// pipeline-events.jsonl, one EventBridge event a line, shaped after the CodePipeline User Guide's
// "Monitoring CodePipeline events"), a local CodePipeline endpoint that answers ListPipelineExecutions
// and ListActionExecutions as the service would have at a given moment of that recording, and the
// two matchers AWS applies: an EventBridge event pattern, and a CloudWatch Logs JSON filter pattern.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';

/** An EventBridge event of CodePipeline. */
export interface PipelineEvent {
  readonly 'detail-type': string;
  readonly time: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>> & {
    readonly pipeline: string;
    readonly 'execution-id': string;
    readonly state: string;
    readonly stage?: string;
    readonly action?: string;
    readonly 'action-execution-id'?: string;
    readonly 'start-time'?: string;
  };
}

const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures');

/** The recorded events, in the order EventBridge delivered them. */
export const RECORDED_EVENTS: readonly PipelineEvent[] = readFileSync(join(FIXTURES, 'pipeline-events.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as PipelineEvent);

/** The source action's output variables of each execution, as ListActionExecutions returned them. */
export const SOURCE_VARIABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = JSON.parse(
  readFileSync(join(FIXTURES, 'pipeline-source-variables.json'), 'utf8'),
) as Record<string, Record<string, string>>;

/** Where the recording was made. */
export const RECORDED = { account: '123456789012', region: 'eu-west-1', pipeline: 'cicd-pipeline-dev' } as const;

const PIPELINE_STATUS: Readonly<Record<string, string>> = {
  STARTED: 'InProgress',
  RESUMED: 'InProgress',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  SUPERSEDED: 'Superseded',
  STOPPED: 'Stopped',
  CANCELED: 'Cancelled',
};
const ACTION_STATUS: Readonly<Record<string, string>> = {
  STARTED: 'InProgress',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  ABANDONED: 'Abandoned',
};

const seconds = (iso: string): number => Date.parse(iso) / 1000;

/** A CodePipeline endpoint on 127.0.0.1 serving the recording as it stood at `now`. */
export interface FakeCodePipeline {
  readonly url: string;
  /** The moment whose history it serves (an event's time). */
  now: string;
  /** Executions whose ListPipelineExecutions entry lags behind the events (still InProgress). */
  readonly lagging: Set<string>;
  /** Executions whose source action reports these variables instead of the recorded ones. */
  readonly variables: Map<string, Record<string, string>>;
  /** When set, every call is refused with this error code. */
  refuse?: string;
  /** `X-Amz-Target` of each call, with its request. */
  readonly calls: { target: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

function executions(events: readonly PipelineEvent[], now: string, lagging: ReadonlySet<string>) {
  const byId = new Map<string, { start: string; status: string; updated: string }>();
  for (const e of events) {
    if (e['detail-type'] !== 'CodePipeline Pipeline Execution State Change' || e.time > now) continue;
    const id = e.detail['execution-id'];
    const status = lagging.has(id) ? 'InProgress' : (PIPELINE_STATUS[e.detail.state] as string);
    byId.set(id, { start: e.detail['start-time'] as string, status, updated: e.time });
  }
  return [...byId.entries()]
    .sort(([, a], [, b]) => (a.start < b.start ? 1 : -1))
    .map(([id, x]) => ({
      pipelineExecutionId: id,
      status: x.status,
      startTime: seconds(x.start),
      lastUpdateTime: seconds(x.updated),
      executionMode: 'SUPERSEDED',
      trigger: { triggerType: 'Webhook', triggerDetail: 'cicd-webhook-dev' },
    }));
}

function actions(events: readonly PipelineEvent[], execution: string, now: string, fake: FakeCodePipeline) {
  const byId = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    const d = e.detail;
    if (e['detail-type'] !== 'CodePipeline Action Execution State Change' || e.time > now) continue;
    if (d['execution-id'] !== execution) continue;
    const id = d['action-execution-id'] as string;
    const type = d['type'] as Record<string, string>;
    const earlier = byId.get(id);
    const result = d['execution-result'] as Record<string, string> | undefined;
    byId.set(id, {
      pipelineExecutionId: execution,
      actionExecutionId: id,
      pipelineVersion: d['version'],
      stageName: d.stage,
      actionName: d.action,
      startTime: earlier?.['startTime'] ?? seconds(e.time),
      lastUpdateTime: seconds(e.time),
      status: ACTION_STATUS[d.state],
      input: { actionTypeId: type, configuration: {}, region: d['region'] },
      output: {
        ...(result && {
          executionResult: {
            externalExecutionId: result['external-execution-id'],
            externalExecutionUrl: result['external-execution-url'],
          },
        }),
        ...(type['category'] === 'Source' &&
          d.state === 'SUCCEEDED' && {
            outputVariables: fake.variables.get(execution) ?? SOURCE_VARIABLES[execution] ?? {},
          }),
      },
    });
  }
  // Newest first, as the service lists them.
  return [...byId.values()].reverse();
}

/** A page of `items` after `token`, two at a time, so every caller must follow nextToken. */
function page<T>(items: readonly T[], token: unknown): { items: T[]; nextToken?: string } {
  const from = typeof token === 'string' ? Number(token) : 0;
  const next = from + 2;
  return { items: items.slice(from, next), ...(next < items.length && { nextToken: String(next) }) };
}

export async function startFakeCodePipeline(
  events: readonly PipelineEvent[] = RECORDED_EVENTS,
): Promise<FakeCodePipeline> {
  const fake: FakeCodePipeline = {
    url: '',
    now: '',
    lagging: new Set(),
    variables: new Map(),
    calls: [],
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      fake.calls.push({ target, body });
      const send = (status: number, payload: unknown) =>
        response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
      if (fake.refuse !== undefined) return send(400, { __type: fake.refuse, message: 'refused by the test' });
      if (body['pipelineName'] !== RECORDED.pipeline) {
        return send(400, {
          __type: 'PipelineNotFoundException',
          message: `no pipeline ${String(body['pipelineName'])}`,
        });
      }
      if (target === 'CodePipeline_20150709.ListPipelineExecutions') {
        const { items, nextToken } = page(executions(events, fake.now, fake.lagging), body['nextToken']);
        return send(200, { pipelineExecutionSummaries: items, ...(nextToken && { nextToken }) });
      }
      if (target === 'CodePipeline_20150709.ListActionExecutions') {
        const execution = (body['filter'] as { pipelineExecutionId?: string } | undefined)?.pipelineExecutionId;
        const all = actions(events, String(execution), fake.now, fake);
        const { items, nextToken } = page(all, body['nextToken']);
        return send(200, { actionExecutionDetails: items, ...(nextToken && { nextToken }) });
      }
      return send(400, { __type: 'UnknownOperationException', message: target });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

type Pattern = Readonly<Record<string, unknown>>;

/**
 * Whether EventBridge matches `event` to `pattern`, for the pattern forms the templates use: a list of
 * literal values (any equal), a nested object (matched within), and `$or` (any branch). Anything else
 * is refused, so a new form cannot pass unchecked (EventBridge User Guide, "Event patterns").
 */
export function matchesPattern(event: unknown, pattern: Pattern): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as Pattern[]).some((branch) => matchesPattern(event, branch));
    const actual = (event as Record<string, unknown> | undefined)?.[key];
    if (Array.isArray(expected)) {
      if (expected.some((v) => typeof v === 'object')) throw new Error(`pattern form not modelled: ${key}`);
      return (Array.isArray(actual) ? actual : [actual]).some((a) => expected.includes(a));
    }
    if (expected !== null && typeof expected === 'object') return matchesPattern(actual, expected as Pattern);
    throw new Error(`pattern form not modelled: ${key}`);
  });
}

/**
 * Whether a CloudWatch Logs JSON filter pattern selects a log event, for the form the templates use:
 * `{ ($.a.b = "text") && … }` (CloudWatch Logs User Guide, "Filter pattern syntax for metric
 * filters": JSON log events, string equality, the && operator). Anything else is refused.
 */
export function matchesFilter(message: string, pattern: string): boolean {
  const body = /^\{ (.*) \}$/.exec(pattern)?.[1];
  if (body === undefined) throw new Error(`filter pattern not modelled: ${pattern}`);
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return false;
  }
  return body.split(' && ').every((term) => {
    const [, path, value] = /^\(\$\.([A-Za-z0-9_.-]+) = "([^"]*)"\)$/.exec(term) ?? [];
    if (path === undefined) throw new Error(`filter term not modelled: ${term}`);
    const actual = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], event);
    return actual === value;
  });
}

/** A `$.field` selector's value in a JSON log event. */
export function selected(message: string, selector: string): unknown {
  if (!selector.startsWith('$.')) return selector;
  return selector
    .slice(2)
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], JSON.parse(message));
}
