// Stack events a person can follow while `aws cloudformation deploy` waits silently: polled,
// printed once each, oldest first, and kept so a failure can name the resource that caused it.
import type { AwsConnection } from '../tools/aws.js';
import { awsJson } from '../tools/aws.js';

/** One row of describe-stack-events. */
export interface StackEvent {
  readonly EventId: string;
  readonly Timestamp: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ResourceStatus: string;
  readonly ResourceStatusReason?: string;
}

/** Events of the current operation fit in one page; older history is not needed. */
const PAGE = '100';

/** `2026-01-31T12:00:00Z  CREATE_FAILED  Service (AWS::ECS::Service): reason`. */
export function formatEvent(event: StackEvent): string {
  const time = new Date(event.Timestamp);
  const when = Number.isNaN(time.getTime()) ? event.Timestamp : time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const reason = event.ResourceStatusReason?.replace(/\s+/g, ' ').trim();
  return `${when}  ${event.ResourceStatus}  ${event.LogicalResourceId} (${event.ResourceType})${reason ? `: ${reason}` : ''}`;
}

/** The stack's latest events, newest first; none while the stack does not exist yet. */
async function latestEvents(stackName: string, connection: AwsConnection): Promise<StackEvent[]> {
  try {
    const page = await awsJson<{ StackEvents?: StackEvent[] }>(
      ['cloudformation', 'describe-stack-events', '--stack-name', stackName, '--max-items', PAGE],
      connection,
    );
    return page.StackEvents ?? [];
  } catch {
    return [];
  }
}

/** A running watch: stop() polls once more and returns every new event it printed; calling it again is free. */
export interface EventWatch {
  stop(): Promise<StackEvent[]>;
}

/** Starts printing the stack's new events every `intervalMs`; events from earlier operations are skipped. */
export async function watchStackEvents(
  stackName: string,
  connection: AwsConnection,
  print: (line: string) => void,
  intervalMs = 5_000,
): Promise<EventWatch> {
  const seen = new Set((await latestEvents(stackName, connection)).map((e) => e.EventId));
  const fresh: StackEvent[] = [];
  const poll = async (): Promise<void> => {
    const events = (await latestEvents(stackName, connection)).filter((e) => !seen.has(e.EventId)).reverse();
    for (const event of events) {
      seen.add(event.EventId);
      fresh.push(event);
      print(formatEvent(event));
    }
  };
  // Polls run one after another, so a slow CLI call never prints events out of order.
  let polling: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    polling = polling.then(poll);
  }, intervalMs);
  let stopped: Promise<StackEvent[]> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await polling;
        await poll();
        return fresh;
      })();
      return stopped;
    },
  };
}

const FAILED = /FAILED$/;
// CloudFormation marks the resources it stopped because another failed as "cancelled": not the cause.
const CANCELLED = /cancel/i;

/** The event that explains a failed operation: the first failed resource, else the stack's own failure. */
export function failureCause(events: readonly StackEvent[]): StackEvent | undefined {
  const failed = events.filter((e) => FAILED.test(e.ResourceStatus));
  return (
    failed.find(
      (e) => e.ResourceType !== 'AWS::CloudFormation::Stack' && !CANCELLED.test(e.ResourceStatusReason ?? ''),
    ) ?? failed[0]
  );
}
