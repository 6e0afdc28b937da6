// Policy statement builders. One statement per resource scope; `*` only through
// allowAnyResource(), which admits just the actions listed in any-resource.ts.
import { Role } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import type { IntrinsicFunction, Value } from '../intrinsics.js';
import { sub } from '../intrinsics.js';
import { physicalName } from '../naming.js';
import { ANY_RESOURCE_ACTIONS } from './any-resource.js';

export type Role = InstanceType<typeof Role>;
export type Condition = Readonly<Record<string, Readonly<Record<string, Value<string> | readonly Value<string>[]>>>>;

/** An IAM policy statement as CloudFormation takes it. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, Value<string> | readonly Value<string>[]>> | '*';
  readonly Action: readonly string[];
  readonly Resource: readonly Value<string>[] | '*';
  readonly Condition?: Condition;
}

/** A trust-policy statement: who may assume the role, on what condition. */
export interface TrustStatement {
  readonly Effect: 'Allow';
  readonly Principal: { readonly Service: string };
  readonly Action: readonly ['sts:AssumeRole'];
  readonly Condition: Condition;
}

/** A statement of a policy attached to one resource that names no Resource: the resource itself (an ECR repository policy). */
export type OwnResourceStatement = Omit<Statement, 'Resource'>;

export const policyDocument = <S extends Statement | OwnResourceStatement | TrustStatement | IntrinsicFunction>(
  statements: readonly S[],
) => ({
  Version: '2012-10-17',
  Statement: statements,
});

/** Allows `actions` on exactly `resources`. */
export function allow(
  sid: string,
  actions: readonly string[],
  resources: readonly Value<string>[],
  condition?: Condition,
): Statement {
  if (resources.length === 0) throw new Error(`statement ${sid}: name at least one resource`);
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: [...actions],
    Resource: [...resources],
    ...(condition && { Condition: condition }),
  };
}

/** Allows actions whose API takes no resource ARN; each must be in the documented list. */
export function allowAnyResource(sid: string, actions: readonly string[], condition?: Condition): Statement {
  const undocumented = actions.filter((a) => !(a in ANY_RESOURCE_ACTIONS));
  if (undocumented.length > 0) {
    throw new Error(`statement ${sid}: ${undocumented.join(', ')} not in ANY_RESOURCE_ACTIONS; scope it to an ARN`);
  }
  return { Sid: sid, Effect: 'Allow', Action: [...actions], Resource: '*', ...(condition && { Condition: condition }) };
}

/** iam:PassRole for exactly these roles, and only to one service. */
export function passRole(sid: string, roles: readonly Value<string>[], service: string): Statement {
  return allow(sid, ['iam:PassRole'], roles, { StringEquals: { 'iam:PassedToService': service } });
}

/** Denies every request to `resources` that does not arrive over TLS. */
export function denyInsecureTransport(
  sid: string,
  actions: readonly string[],
  resources: readonly Value<string>[],
): Statement {
  return {
    Sid: sid,
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: [...actions],
    Resource: [...resources],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** Who may assume a role: one service, acting for this account (and, when given, one resource). */
export interface TrustProps {
  /** Service principal that assumes the role, e.g. codebuild.amazonaws.com. */
  readonly service: string;
  /** Confused-deputy guard: the ARN (or ArnLike pattern) of the resource that may assume the role. @default - aws:SourceAccount only */
  readonly sourceArn?: Value<string>;
  /**
   * The service does not document sending aws:SourceAccount / aws:SourceArn when it assumes the
   * role: match them with the IfExists operators, so they bind when sent and never lock it out.
   * @default false - the keys are required
   */
  readonly confusedDeputyKeysOptional?: boolean;
}

/** A trust policy for one service principal with the confused-deputy conditions. */
export function trustPolicy(props: TrustProps) {
  const ifExists = props.confusedDeputyKeysOptional ? 'IfExists' : '';
  const condition: Record<string, Record<string, Value<string>>> = {
    [`StringEquals${ifExists}`]: { 'aws:SourceAccount': sub('${AWS::AccountId}') },
  };
  if (props.sourceArn !== undefined) condition[`ArnLike${ifExists}`] = { 'aws:SourceArn': props.sourceArn };
  return policyDocument<TrustStatement>([
    { Effect: 'Allow', Principal: { Service: props.service }, Action: ['sts:AssumeRole'], Condition: condition },
  ]);
}

/** Props of a role that one AWS service assumes. */
export interface ServiceRoleProps extends TrustProps {
  /** Logical ID. */
  readonly id: string;
  /** Physical name type: the role is `cicd-<nameType>-<suffix>`. */
  readonly nameType: string;
  /** What the role is for, shown in the console. */
  readonly description: string;
  /** Inline policy statements; an `!If` statement is kept or dropped by its condition. */
  readonly statements: readonly (Statement | IntrinsicFunction)[];
}

/** A role with one inline policy, assumable only by `service` acting for this account. */
export function serviceRole(props: ServiceRoleProps): Part<Role> {
  return part(
    props.id,
    new Role({
      RoleName: physicalName(props.nameType),
      Description: props.description.includes('${') ? sub(props.description) : props.description,
      AssumeRolePolicyDocument: trustPolicy(props),
      // IAM refuses an empty policy document, so a role with nothing to do has no policy at all.
      ...(props.statements.length > 0 && {
        Policies: [{ PolicyName: 'least-privilege', PolicyDocument: policyDocument(props.statements) }],
      }),
    }),
  );
}

/** A role in another account, named exactly: its account and the `!Sub` text of its ARN. */
export interface AccountRole {
  readonly account: string;
  readonly arnText: string;
}

/**
 * A resource-policy statement for exact roles of other accounts: the accounts as principals, each role
 * by `aws:PrincipalArn`. The roles are named in a condition, not as principals, because KMS, S3, ECR
 * and IAM refuse a policy whose principal is a role that does not exist yet (IAM User Guide, "AWS JSON
 * policy elements: Principal", role principals), and these roles are created in their accounts in
 * whatever order the accounts are set up; `aws:PrincipalArn` still admits those roles and no other.
 */
export function allowAccountRoles(
  sid: string,
  roles: readonly AccountRole[],
  actions: readonly string[],
): OwnResourceStatement;
export function allowAccountRoles(
  sid: string,
  roles: readonly AccountRole[],
  actions: readonly string[],
  resources: readonly Value<string>[] | '*',
): Statement;
export function allowAccountRoles(
  sid: string,
  roles: readonly AccountRole[],
  actions: readonly string[],
  /** @default - none: the policy's own resource (a repository policy) */
  resources?: readonly Value<string>[] | '*',
): Statement | OwnResourceStatement {
  const accounts = [...new Set(roles.map((r) => r.account))];
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: accounts.map((a) => sub(`arn:\${AWS::Partition}:iam::${a}:root`)) },
    Action: [...actions],
    ...(resources !== undefined && { Resource: resources === '*' ? '*' : [...resources] }),
    Condition: { ArnEquals: { 'aws:PrincipalArn': roles.map((r) => sub(r.arnText)) } },
  };
}
