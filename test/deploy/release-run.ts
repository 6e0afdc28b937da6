// The ECS engine's PrepareRelease step as a stage runs it: the release project's buildspec commands
// (the real aws CLI) in a directory holding the Build action's imageDetail.json, against moto.
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELEASE_CHANGE_SET } from '../../src/resources/engines/ecs.js';
import type { AwsConnection } from '../../src/tools/aws.js';
import { awsJson } from '../../src/tools/aws.js';
import type { CfnTemplate } from '../helpers.js';
import { MOTO_ENV } from '../moto.js';
import { buildCommands, IMAGE_URI } from '../resources/buildspec-run.js';
import { VENV_BIN } from '../venv.js';

/** Runs `template`'s ReleaseProject buildspec for `stack` at the moto endpoint: the change set it prepares is RELEASE_CHANGE_SET. */
export function runRelease(props: {
  readonly template: CfnTemplate;
  readonly stack: string;
  readonly endpointUrl: string;
  readonly releaseId: string;
}): SpawnSyncReturns<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-release-'));
  writeFileSync(join(dir, 'imageDetail.json'), JSON.stringify({ ImageURI: IMAGE_URI }));
  return spawnSync('bash', ['-ec', buildCommands(props.template, 'ReleaseProject').join('\n')], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...MOTO_ENV,
      HOME: dir,
      PATH: `${VENV_BIN}:${process.env['PATH'] ?? ''}`,
      AWS_ENDPOINT_URL: props.endpointUrl,
      STACK_NAME: props.stack,
      CHANGE_SET_NAME: RELEASE_CHANGE_SET,
      RELEASE_ID: props.releaseId,
      RELEASE_POLL_SECONDS: '1',
    },
  });
}

/** What the Deploy action does with the prepared release: CHANGE_SET_EXECUTE, then the update's end. */
export async function executeRelease(stack: string, connection: AwsConnection): Promise<void> {
  await awsJson(
    ['cloudformation', 'execute-change-set', '--stack-name', stack, '--change-set-name', RELEASE_CHANGE_SET],
    connection,
  );
  await awsJson(['cloudformation', 'wait', 'stack-update-complete', '--stack-name', stack], connection);
}
