// The IAM rules every emitted template keeps, as functions from a template to its violations, so
// the audit test runs them on the real templates and on small bad examples alike.
import { isJsonObject } from '../../src/model/json.js';
import { ANY_RESOURCE_ACTIONS } from '../../src/iam/any-resource.js';
import type { Json, JsonObject } from '../../src/model/json.js';
import type { CfnTemplate } from '../helpers.js';

/**
 * Service principals our roles trust, and whether the service sends aws:SourceArn when it
 * assumes a role (then the trust policy must pin it). aws:SourceAccount is required of every
 * trust policy. A principal missing here fails the audit until someone adds it with its reference.
 */
export const TRUST_CONDITION_KEYS: Readonly<
  Record<string, { readonly sourceArn: boolean; readonly sourceArnValue: string; readonly reference: string }>
> = {
  'codebuild.amazonaws.com': {
    sourceArn: true,
    sourceArnValue: 'the build project ARN (arn:…:codebuild:region:account:project/name)',
    reference: 'https://docs.aws.amazon.com/codebuild/latest/userguide/cross-service-confused-deputy-prevention.html',
  },
  'codedeploy.amazonaws.com': {
    sourceArn: true,
    sourceArnValue: 'the deployment group ARN (arn:…:codedeploy:region:account:deploymentgroup:app/group)',
    reference: 'https://docs.aws.amazon.com/codedeploy/latest/userguide/security_confused_deputy.html',
  },
  'ecs-tasks.amazonaws.com': {
    sourceArn: true,
    sourceArnValue: 'ArnLike arn:…:ecs:region:account:* (tasks of this account and region)',
    reference: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html',
  },
  'ecs.amazonaws.com': {
    // The infrastructure and hook role pages show trust policies without confused-deputy keys:
    // matched with IfExists, so they bind when ECS sends them and never lock ECS out.
    sourceArn: true,
    sourceArnValue: 'ArnLikeIfExists arn:…:ecs:region:account:* (this account and region)',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html',
  },
  'lambda.amazonaws.com': {
    // The execution-role page shows no confused-deputy keys: matched with IfExists on the function's ARN.
    sourceArn: true,
    sourceArnValue: 'ArnLikeIfExists the function ARN (arn:…:lambda:region:account:function:name)',
    reference: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  },
  'chatbot.amazonaws.com': {
    // The channel-role trust policy in the Chatbot guide shows no confused-deputy keys: IfExists, both keys.
    sourceArn: false,
    sourceArnValue: 'not documented for channel roles',
    reference:
      'https://docs.aws.amazon.com/chatbot/latest/adminguide/security_iam_service-with-iam-id-based-policies.html',
  },
  'codepipeline.amazonaws.com': {
    // The service-role pages document no aws:SourceArn for AssumeRole; pinning one could lock the pipeline out.
    sourceArn: false,
    sourceArnValue: 'not documented for the service role',
    reference: 'https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html',
  },
  'cloudformation.amazonaws.com': {
    // The service-role page shows no confused-deputy keys: aws:SourceAccount with IfExists (a bootstrap's execution role).
    sourceArn: false,
    sourceArnValue: 'not documented for stack service roles',
    reference: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html',
  },
  'servicecatalog.amazonaws.com': {
    // The launch-constraint page shows a trust policy without confused-deputy keys.
    sourceArn: false,
    sourceArnValue: 'not documented for launch roles',
    reference: 'https://docs.aws.amazon.com/servicecatalog/latest/adminguide/constraints-launch.html',
  },
};

/** Where a policy document sits and what kind it is. */
export interface PolicyDocument {
  readonly resource: string;
  readonly type: string;
  /** Property path inside the resource, e.g. Policies.0.PolicyDocument. */
  readonly path: string;
  /**
   * identity: a role's (or user's, group's) own policy; trust: who may assume the role; key: a KMS key
   * policy; endpoint: a VPC endpoint's policy, which narrows what passes the endpoint and grants
   * nothing; resource: any other resource policy.
   */
  readonly kind: 'identity' | 'trust' | 'key' | 'endpoint' | 'resource';
  readonly document: JsonObject;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: Json;
  readonly NotPrincipal?: Json;
  readonly Action?: Json;
  readonly NotAction?: Json;
  readonly Resource?: Json;
  readonly NotResource?: Json;
  readonly Condition?: Record<string, Record<string, Json>>;
}

const list = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const IDENTITY_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::User',
  'AWS::IAM::Group',
]);

/** A JSON policy document given as a string (ECR, some resource policies), parsed; else undefined. */
function parsedPolicyText(value: string): JsonObject | undefined {
  if (!value.trimStart().startsWith('{') || !value.includes('Statement')) return undefined;
  try {
    return JSON.parse(value) as JsonObject;
  } catch {
    return undefined;
  }
}

/** Every policy document in the template: any object with a Statement, wherever a resource holds it. */
export function policyDocuments(template: CfnTemplate): PolicyDocument[] {
  const found: PolicyDocument[] = [];
  for (const [resource, r] of Object.entries(template.Resources)) {
    const visit = (node: Json, path: string[]): void => {
      const document = typeof node === 'string' ? parsedPolicyText(node) : isJsonObject(node) ? node : undefined;
      if (document !== undefined && 'Statement' in document) {
        const at = path.join('.');
        const kind =
          r.Type === 'AWS::IAM::Role' && at === 'AssumeRolePolicyDocument'
            ? 'trust'
            : IDENTITY_TYPES.has(r.Type)
              ? 'identity'
              : r.Type === 'AWS::KMS::Key'
                ? 'key'
                : r.Type === 'AWS::EC2::VPCEndpoint'
                  ? 'endpoint'
                  : 'resource';
        found.push({ resource, type: r.Type, path: at, kind, document });
        return;
      }
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, [...path, String(i)]));
      else if (isJsonObject(node)) for (const [k, v] of Object.entries(node)) visit(v, [...path, k]);
    };
    visit((r.Properties ?? {}) as Json, []);
  }
  return found;
}

export const statementsOf = (document: JsonObject): Statement[] => list(document['Statement']) as Statement[];

/** The keys a statement's Condition tests, under any operator, lower-cased as IAM compares them. */
function conditionKeys(s: Statement): Map<string, Json> {
  const keys = new Map<string, Json>();
  for (const operands of Object.values(s.Condition ?? {})) {
    for (const [key, value] of Object.entries(operands)) keys.set(key.toLowerCase(), value);
  }
  return keys;
}

/** A value's text: a literal, or the template text of a `!Sub`. */
function text(value: Json): string | undefined {
  if (typeof value === 'string') return value;
  const sub = isJsonObject(value) ? value['Fn::Sub'] : undefined;
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  return undefined;
}

/** A Deny of every action of a service over plain HTTP: the TLS-only guard, the one place a wildcard action is allowed. */
function isTlsGuard(s: Statement): boolean {
  const secure = s.Condition?.['Bool']?.['aws:SecureTransport'];
  return s.Effect === 'Deny' && (secure === 'false' || secure === false);
}

function statementViolations(doc: PolicyDocument, s: Statement, index: number): string[] {
  const where = `${doc.resource} ${doc.path} statement ${s.Sid ?? index}`;
  const out: string[] = [];
  const actions = list(s.Action);
  const resources = list(s.Resource);
  const wildcardActions = actions.filter((a) => typeof a !== 'string' || a.includes('*'));

  if (s.Effect === 'Allow') {
    if (wildcardActions.length > 0) out.push(`${where}: wildcard action ${JSON.stringify(wildcardActions)}`);
    if (s.NotAction !== undefined) out.push(`${where}: Allow with NotAction`);
    if (s.NotResource !== undefined) out.push(`${where}: Allow with NotResource`);
    if (s.NotPrincipal !== undefined) out.push(`${where}: Allow with NotPrincipal`);
  } else if (wildcardActions.length > 0 && !isTlsGuard(s)) {
    // A wildcard Deny is fine only as the TLS-only guard (Deny s3:* / sns:* when aws:SecureTransport is false).
    out.push(`${where}: wildcard action in a Deny that is not the TLS-only guard`);
  }

  if ((doc.kind === 'identity' || doc.kind === 'endpoint') && s.Effect === 'Allow' && resources.includes('*')) {
    const undocumented = actions.filter((a) => !ANY_RESOURCE_ACTIONS[String(a)]?.trim());
    if (undocumented.length > 0) {
      out.push(`${where}: Resource "*" for ${undocumented.join(', ')}, not in ANY_RESOURCE_ACTIONS`);
    }
  }

  // A key policy's Resource "*" means the key itself; any other resource policy names its resource.
  if (doc.kind === 'resource' && s.Effect === 'Allow' && resources.includes('*')) {
    out.push(`${where}: resource policy allows Resource "*"`);
  }

  if ((doc.kind === 'resource' || doc.kind === 'key') && s.Effect === 'Allow') {
    const principal = s.Principal;
    const everyone = principal === '*' || (isJsonObject(principal) && list(principal['AWS']).includes('*'));
    if (everyone) out.push(`${where}: allows Principal "*"`);
  }

  // An endpoint policy grants nothing (IAM still decides), but anyone it admits is of this account,
  // except for the ECR layer bucket, where ECR hands the download to S3 (the ECR User Guide's policy).
  if (doc.kind === 'endpoint' && s.Effect === 'Allow') {
    const ownAccount =
      JSON.stringify(conditionKeys(s).get('aws:principalaccount')) === '{"Fn::Sub":"${AWS::AccountId}"}';
    const layers =
      resources.length > 0 &&
      resources.every((r) => /:s3:::prod-\$\{AWS::Region\}-starport-layer-bucket\/\*$/.test(text(r) ?? ''));
    if (!ownAccount && !layers) out.push(`${where}: endpoint policy admits principals of other accounts`);
  }

  if (s.Effect === 'Allow' && actions.includes('iam:PassRole')) {
    // A launch role provisions any suffix: `*` may stand only for the suffix of a fixed role name.
    const SUFFIX_WILDCARD = /:role\/cicd-[a-z0-9-]+-\*$/;
    const open = resources.filter((r) => {
      const arn = text(r) ?? '';
      return arn.includes('*') && !SUFFIX_WILDCARD.test(arn);
    });
    if (open.length > 0 || resources.length === 0) out.push(`${where}: iam:PassRole without explicit role ARNs`);
    const passedTo = conditionKeys(s).get('iam:passedtoservice');
    if (passedTo === undefined || list(passedTo).length === 0) {
      out.push(`${where}: iam:PassRole without an iam:PassedToService condition`);
    }
  }
  return out;
}

/** An account's root as a principal (`arn:${AWS::Partition}:iam::<12 digits>:root`), as `!Sub` text. */
const ACCOUNT_ROOT = /^arn:\$\{AWS::Partition\}:iam::[0-9]{12}:root$/;
/** A role ARN with no wildcard. */
const EXACT_ROLE_ARN = /^arn:\$\{AWS::Partition\}:iam::[0-9]{12}:role\/[^*?]+$/;

/**
 * A trust of another account: its root as the one principal, narrowed by ArnEquals aws:PrincipalArn
 * to exact role ARNs of that account (a bootstrap's deploy role; IAM refuses a role principal that
 * does not exist yet, so the roles are named in the condition).
 */
function accountTrustViolations(where: string, account: string, statements: readonly Statement[]): string[] {
  if (!ACCOUNT_ROOT.test(account)) return [`${where}: an AWS principal must be an account root, not ${account}`];
  const accountOf = (arn: string) => /:iam::([0-9]{12}):/.exec(arn)?.[1];
  const accountId = accountOf(account) as string;
  const out: string[] = [];
  for (const s of statements) {
    if (s.Effect !== 'Allow' || JSON.stringify(list(s.Action)) !== '["sts:AssumeRole"]') {
      out.push(`${where}: statement must be Allow sts:AssumeRole only`);
    }
    const operators = Object.keys(s.Condition ?? {});
    const roles = list(s.Condition?.['ArnEquals']?.['aws:PrincipalArn']).map((r) => text(r) ?? JSON.stringify(r));
    if (roles.length === 0) out.push(`${where}: an account principal without ArnEquals aws:PrincipalArn`);
    if (operators.some((o) => o !== 'ArnEquals')) out.push(`${where}: conditions other than ArnEquals: ${operators}`);
    for (const role of roles) {
      if (!EXACT_ROLE_ARN.test(role) || accountOf(role) !== accountId) {
        out.push(`${where}: aws:PrincipalArn ${role} is not an exact role of account ${accountId}`);
      }
    }
  }
  return out;
}

function trustViolations(doc: PolicyDocument): string[] {
  const where = `${doc.resource} trust policy`;
  const statements = statementsOf(doc.document);
  const principals = statements.flatMap((s) =>
    isJsonObject(s.Principal)
      ? Object.entries(s.Principal).flatMap(([k, v]) => list(v).map((p) => [k, p] as const))
      : [['*', s.Principal ?? null] as const],
  );
  const accounts = principals.filter(([k]) => k === 'AWS').map(([, p]) => text(p) ?? JSON.stringify(p));
  if (principals.length === 1 && accounts.length === 1) {
    return accountTrustViolations(where, accounts[0] as string, statements);
  }
  const services = principals.filter(([k]) => k === 'Service').map(([, p]) => text(p) ?? JSON.stringify(p));
  if (principals.length !== 1 || services.length !== 1) {
    return [`${where}: must name exactly one service principal or one account, names ${JSON.stringify(principals)}`];
  }
  const service = services[0] as string;
  const row = TRUST_CONDITION_KEYS[service];
  if (row === undefined) return [`${where}: ${service} is not in TRUST_CONDITION_KEYS; add it with its documentation`];
  const out: string[] = [];
  for (const s of statements) {
    if (s.Effect !== 'Allow' || JSON.stringify(list(s.Action)) !== '["sts:AssumeRole"]') {
      out.push(`${where}: statement must be Allow sts:AssumeRole only`);
    }
    const keys = conditionKeys(s);
    if (!keys.has('aws:sourceaccount')) out.push(`${where}: no aws:SourceAccount condition (${service})`);
    if (row.sourceArn && !keys.has('aws:sourcearn')) {
      out.push(`${where}: no aws:SourceArn condition; ${service} supports it: ${row.sourceArnValue}`);
    }
  }
  return out;
}

/** Every IAM rule broken anywhere in the template, one line each naming the resource. */
export function iamViolations(template: CfnTemplate): string[] {
  const out: string[] = [];
  // No AWS managed policy: ManagedPolicyArns may name only customer-managed policies this template
  // declares (a role's inline policies stop at 10,240 characters), and those are audited like inline ones.
  for (const [id, r] of Object.entries(template.Resources)) {
    for (const arn of list(r.Properties?.ManagedPolicyArns as Json | undefined)) {
      const target = isJsonObject(arn) && typeof arn['Ref'] === 'string' ? template.Resources[arn['Ref']] : undefined;
      if (target?.Type !== 'AWS::IAM::ManagedPolicy') {
        out.push(`${id}: ManagedPolicyArns names ${JSON.stringify(arn)}, not a policy this template declares`);
      }
    }
  }
  for (const doc of policyDocuments(template)) {
    if (doc.kind === 'trust') out.push(...trustViolations(doc));
    else statementsOf(doc.document).forEach((s, i) => out.push(...statementViolations(doc, s, i)));
  }
  return out;
}
