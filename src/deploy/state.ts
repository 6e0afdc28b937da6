// What a stack's status means when a deploy stops short (it failed, was interrupted, or only made a
// change set), and the command that moves the stack on, ready to paste with the same connection flags.
import type { AwsConnection } from '../tools/aws.js';
import { connectionArgs } from '../tools/aws.js';

/** `aws cloudformation <command> --stack-name <stack>` with the connection's flags. */
export function stackCommand(command: string, stackName: string, connection: AwsConnection): string {
  return ['aws', 'cloudformation', command, '--stack-name', stackName, ...connectionArgs(connection)].join(' ');
}

/** `aws cloudformation execute-change-set --change-set-name <arn>` with the connection's flags. */
export function changeSetCommand(arn: string, connection: AwsConnection): string {
  return ['aws', 'cloudformation', 'execute-change-set', '--change-set-name', arn, ...connectionArgs(connection)].join(
    ' ',
  );
}

type Advice = (run: (command: string) => string) => string;

/** Status patterns, first match wins, each with what it means and what to run next. */
const ADVICE: readonly (readonly [RegExp, Advice])[] = [
  [/^REVIEW_IN_PROGRESS$/, (run) => `created empty, its change set not executed; delete it: ${run('delete-stack')}`],
  [
    /^(ROLLBACK_COMPLETE|ROLLBACK_FAILED|CREATE_FAILED)$/,
    (run) =>
      `its creation failed and cannot be retried; see why: ${run('describe-stack-events')}, then delete it: ${run('delete-stack')}`,
  ],
  [
    /^UPDATE_ROLLBACK_FAILED$/,
    (run) =>
      `its rollback is stuck; see why: ${run('describe-stack-events')}, then finish it: ${run('continue-update-rollback')}`,
  ],
  [
    /^UPDATE_ROLLBACK_COMPLETE$/,
    (run) => `back on its previous template and values; see why: ${run('describe-stack-events')}`,
  ],
  [
    /^DELETE_FAILED$/,
    (run) => `a delete failed; see why: ${run('describe-stack-events')}, then delete it again: ${run('delete-stack')}`,
  ],
  [
    /^UPDATE_IN_PROGRESS$/,
    (run) =>
      `CloudFormation carries on without cfn-cicd; follow it: ${run('describe-stack-events')}, or stop it: ${run('cancel-update-stack')}`,
  ],
  [/_IN_PROGRESS$/, (run) => `CloudFormation carries on without cfn-cicd; follow it: ${run('describe-stack-events')}`],
  [/_COMPLETE$/, () => 'settled; nothing to clean up'],
];

const OTHERWISE: Advice = (run) => `see what happened: ${run('describe-stack-events')}`;

/** `stack S is ROLLBACK_COMPLETE: …, then delete it: \`aws cloudformation delete-stack …\`` — what was left, what to run. */
export function stackState(stackName: string, status: string | undefined, connection: AwsConnection): string {
  if (status === undefined) return `no stack ${stackName} exists, so nothing is left to clean up`;
  const run = (command: string): string => `\`${stackCommand(command, stackName, connection)}\``;
  const advice = ADVICE.find(([pattern]) => pattern.test(status))?.[1] ?? OTHERWISE;
  return `stack ${stackName} is ${status}: ${advice(run)}`;
}
