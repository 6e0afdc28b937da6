import { expect } from 'chai';
import { changeSetCommand, stackCommand, stackState } from '../../src/deploy/state.js';

const connection = { region: 'eu-west-1', endpointUrl: 'http://localhost:5001' };
const run = (command: string) => `\`${stackCommand(command, 'cicd-pipeline-dev', connection)}\``;

describe('deploy/state: what a stopped deploy left, and what to run next', () => {
  it('writes the command with the same connection flags, ready to paste', () => {
    expect(stackCommand('delete-stack', 'cicd-pipeline-dev', connection)).to.equal(
      'aws cloudformation delete-stack --stack-name cicd-pipeline-dev --region eu-west-1 --endpoint-url http://localhost:5001',
    );
    expect(changeSetCommand('arn:aws:cloudformation:eu-west-1:1:changeSet/c/1', {})).to.equal(
      'aws cloudformation execute-change-set --change-set-name arn:aws:cloudformation:eu-west-1:1:changeSet/c/1',
    );
  });

  const rows: [string | undefined, string][] = [
    [undefined, 'no stack cicd-pipeline-dev exists, so nothing is left to clean up'],
    [
      'REVIEW_IN_PROGRESS',
      `stack cicd-pipeline-dev is REVIEW_IN_PROGRESS: created empty, its change set not executed; delete it: ${run('delete-stack')}`,
    ],
    ...(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED'] as const).map((status): [string, string] => [
      status,
      `stack cicd-pipeline-dev is ${status}: its creation failed and cannot be retried; see why: ${run('describe-stack-events')}, then delete it: ${run('delete-stack')}`,
    ]),
    [
      'UPDATE_ROLLBACK_FAILED',
      `stack cicd-pipeline-dev is UPDATE_ROLLBACK_FAILED: its rollback is stuck; see why: ${run('describe-stack-events')}, then finish it: ${run('continue-update-rollback')}`,
    ],
    [
      'UPDATE_ROLLBACK_COMPLETE',
      `stack cicd-pipeline-dev is UPDATE_ROLLBACK_COMPLETE: back on its previous template and values; see why: ${run('describe-stack-events')}`,
    ],
    [
      'DELETE_FAILED',
      `stack cicd-pipeline-dev is DELETE_FAILED: a delete failed; see why: ${run('describe-stack-events')}, then delete it again: ${run('delete-stack')}`,
    ],
    [
      'UPDATE_IN_PROGRESS',
      `stack cicd-pipeline-dev is UPDATE_IN_PROGRESS: CloudFormation carries on without cfn-cicd; follow it: ${run('describe-stack-events')}, or stop it: ${run('cancel-update-stack')}`,
    ],
    [
      'CREATE_IN_PROGRESS',
      `stack cicd-pipeline-dev is CREATE_IN_PROGRESS: CloudFormation carries on without cfn-cicd; follow it: ${run('describe-stack-events')}`,
    ],
    ['UPDATE_COMPLETE', 'stack cicd-pipeline-dev is UPDATE_COMPLETE: settled; nothing to clean up'],
    [
      'IMPORT_ROLLBACK_FAILED',
      `stack cicd-pipeline-dev is IMPORT_ROLLBACK_FAILED: see what happened: ${run('describe-stack-events')}`,
    ],
  ];
  for (const [status, line] of rows) {
    it(`${status ?? 'no stack'}`, () => expect(stackState('cicd-pipeline-dev', status, connection)).to.equal(line));
  }
});
