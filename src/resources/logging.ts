// Log groups: KMS-encrypted and kept a week, the cost-conscious default for build and service logs.
import { LogGroup } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { discard } from '../cfn/extensions.js';
import { getAtt, sub } from '../intrinsics.js';
import { physicalName } from '../naming.js';
import type { KeyRef } from './encryption.js';

export type LogGroup = InstanceType<typeof LogGroup>;

/** Days a log group keeps events unless its builder says otherwise: a week, enough to debug a failed run. */
export const LOG_RETENTION_DAYS = 7;

/** A log group for one producer (a build project, the service). */
export interface LogGroupProps {
  /** Logical ID. */
  readonly id: string;
  /** Physical name type: the group is `cicd-<nameType>-<suffix>`. */
  readonly nameType: string;
  /** Key that encrypts the log data; its policy must admit CloudWatch Logs for this name. */
  readonly key: KeyRef;
  /** Days kept. @default LOG_RETENTION_DAYS (7) */
  readonly retentionInDays?: number;
  /** The group's name as `!Sub` text, when a service dictates it. @default - cicd-<nameType>-<suffix> */
  readonly logGroupName?: string;
}

export function logGroup(props: LogGroupProps): Part<LogGroup> {
  // Logs are kept for their retention period only; deleting the stack deletes them too.
  return part(
    props.id,
    discard(
      new LogGroup({
        LogGroupName: props.logGroupName === undefined ? physicalName(props.nameType) : sub(props.logGroupName),
        KmsKeyId: getAtt(props.key, 'Arn'),
        RetentionInDays: props.retentionInDays ?? LOG_RETENTION_DAYS,
      }),
    ),
  );
}
