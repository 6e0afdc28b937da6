import { expect } from 'chai';
import { ANY_RESOURCE_ACTIONS } from '../../src/iam/any-resource.js';
import type { Json, JsonObject } from '../../src/model/json.js';
import type { CfnTemplate } from '../helpers.js';
import { policyDocuments } from './iam-rules.js';
import { Resolver } from './resolve.js';
import { emittedTemplates } from '../helpers.js';
import { venvPython } from '../venv.js';
import { ACTIONS_NEWER_THAN_PARLIAMENT, NEWER_ACTIONS_LOWER } from './newer-actions.js';

/** One parliament finding, named by the policy it is about, with the actions it names (lower case). */
interface Finding {
  readonly policy: string;
  readonly issue: string;
  readonly severity: string;
  readonly detail: string;
  readonly actions: readonly string[];
  /** For RESOURCE_MISMATCH: the ARN formats parliament wanted. */
  readonly formats: readonly string[];
}

/** Findings parliament reports on correct policies: the issue, the actions (and ARN formats) it may name, and why it is fine. */
interface Allowed {
  readonly issue: string;
  /** Every action the finding names must match; a finding that names none matches only with `detail`. */
  readonly actions?: RegExp;
  /** For RESOURCE_MISMATCH: every ARN format parliament wanted must match. */
  readonly formats?: RegExp;
  /** The finding's text must match. */
  readonly detail?: RegExp;
  /** Only in policies of roles these service principals (and no other) assume. */
  readonly trustedBy?: readonly string[];
  readonly reason: string;
}

const FALSE_POSITIVES: readonly Allowed[] = [
  {
    issue: 'UNKNOWN_CONDITION_FOR_ACTION',
    detail: /^Unknown condition kms:ResourceAliases for action kms:(Decrypt|DescribeKey)$/,
    reason:
      'kms:ResourceAliases (KMS Developer Guide, "AWS KMS condition keys": kms:ResourceAliases) is newer than parliament 1.6.4’s condition table; a target account’s deploy role names the tools account’s artifact key by its alias, as key IDs are generated',
  },
  {
    issue: 'UNKNOWN_ACTION',
    detail: new RegExp(`^Unknown action (${[...NEWER_ACTIONS_LOWER].join('|')})$`, 'i'),
    reason:
      'the action is newer than parliament 1.6.4’s action table; test/security/newer-actions.ts names where AWS documents each',
  },
  {
    issue: 'CREDENTIALS_EXPOSURE',
    actions: /^(ecr:getauthorizationtoken|sts:assumerole)$/,
    reason:
      "ecr:GetAuthorizationToken is the registry login docker needs to push and pull (the token carries only the ECR actions the same role holds on its named repositories); sts:AssumeRole is the promoting pipeline reaching its targets' deploy roles, each by exact ARN, each trusting only this pipeline's two roles",
  },
  {
    issue: 'PERMISSIONS_MANAGEMENT_ACTIONS',
    actions: /^iam:passrole$/,
    reason:
      'handing the task roles to ECS is iam:PassRole; the IAM audit holds every PassRole to explicit role ARNs and one iam:PassedToService',
  },
  {
    issue: 'RESOURCE_MISMATCH',
    actions: /^(codestar-connections|codeconnections):(useconnection|getconnection|getconnectiontoken)$/,
    reason:
      'one connection ARN in either prefix (the service was renamed in 2024, the parameter accepts both); the actions are granted under both prefixes so either form works',
  },
  {
    issue: 'RESOURCE_MISMATCH',
    actions: /^elasticloadbalancing:/,
    formats: /^arn:\*:elasticloadbalancing:\*:\*:listener(-rule)?\/net\//,
    reason:
      'ELB lists an app/ and a net/ ARN format as alternatives; parliament 1.6.4 wants each ARN to match both, so a correct ALB listener ARN is reported against the net/ (NLB) format',
  },
];

/**
 * The roles that provision a template's resources: the Service Catalog launch role (the pipeline's)
 * and a target account's CloudFormation execution role (an environment's), both derived by
 * provisioningStatements and kept outside the cicd-* names they manage (/servicecatalog/, /bootstrap/).
 */
const PROVISIONING_ROLES = ['servicecatalog.amazonaws.com', 'cloudformation.amazonaws.com'] as const;

/** What parliament reports about the provisioning roles because creating a template's roles, key and policies is their job. */
const LAUNCH_ROLE_BY_DESIGN: readonly Allowed[] = [
  {
    issue: 'PRIVILEGE_ESCALATION',
    actions: /^lambda:updatefunctioncode$/,
    trustedBy: PROVISIONING_ROLES,
    reason:
      'the launch role creates the smoke-test function and applies a new template’s inline code to it (cicd-* functions only), and passes it only cicd-* roles assumed by Lambda',
  },
  {
    issue: 'PERMISSIONS_MANAGEMENT_ACTIONS',
    actions: /^(iam|kms|s3|sns|ecr|cloudformation|lambda):/,
    trustedBy: PROVISIONING_ROLES,
    reason:
      "the launch role creates the pipeline stack's roles, key policy, bucket and topic policies, and the delivery-metrics function's invoke permission; its rights stop at cicd-* names and it sits outside that path",
  },
  {
    issue: 'RESOURCE_MISMATCH',
    actions: /^kms:(create|delete|update)alias$/,
    trustedBy: PROVISIONING_ROLES,
    reason:
      'an alias call is authorised on the alias and on the key separately (KMS Developer Guide, "Controlling access to aliases"); the key half carries the Project-tag condition, which an alias (it takes no tags) cannot meet, so the two halves are two statements and parliament reports each as missing the other’s ARN format',
  },
  {
    issue: 'PRIVILEGE_ESCALATION',
    actions: /^iam:createpolicyversion$/,
    trustedBy: PROVISIONING_ROLES,
    reason:
      'the launch role updates the chat guardrail, a cicd-* customer-managed policy, by a new version; its own policies sit under /servicecatalog/, outside policy/cicd-*, and it already writes the cicd-* roles’ inline policies',
  },
  {
    issue: 'RESOURCE_POLICY_PRIVILEGE_ESCALATION',
    detail: /on arn:aws:s3:::cicd-\* due to s3:(Put|Get|Delete)Object not being allowed/,
    trustedBy: PROVISIONING_ROLES,
    reason:
      'the launch role writes the artifact bucket’s TLS-only policy and lifecycle but never touches objects, which is exactly the pattern parliament flags',
  },
];

// parliament, the community auditors included (privilege escalation, credentials exposure,
// permissions management …), on each policy: every finding with its severity and actions.
const PARLIAMENT = `
import json, os, sys
import parliament, parliament.community_auditors as community
from parliament import analyze_policy_string, enhance_finding, override_config
override_config(os.path.join(os.path.dirname(community.__file__), 'config_override.yaml'))
out = []
for item in json.load(sys.stdin):
    policy = analyze_policy_string(json.dumps(item['document']), item['name'], include_community_auditors=True)
    for f in policy.findings:
        f = enhance_finding(f)
        actions, formats = [], []
        for d in (f.detail if isinstance(f.detail, list) else []):
            actions.append(d if isinstance(d, str) else d.get('action', '') if isinstance(d, dict) else '')
            if isinstance(d, dict) and 'required_format' in d:
                formats.append(d['required_format'])
        if isinstance(f.location, dict):
            actions.extend(f.location.get('actions', []))
        detail = f.detail if isinstance(f.detail, str) else json.dumps(f.detail, default=str)
        out.append({'policy': item['name'], 'issue': f.issue, 'severity': f.severity, 'detail': detail,
                    'actions': sorted({a.lower() for a in actions if a}), 'formats': sorted(set(formats))})
print(json.dumps(out))
`;

function analyze(policies: readonly { name: string; document: Json }[]): Finding[] {
  return venvPython<Finding[]>(PARLIAMENT, JSON.stringify(policies.map(({ name, document }) => ({ name, document }))));
}

/** Whether an allow-list entry covers the finding, given the services that assume the policy's roles. */
const covers = (a: Allowed, f: Finding, trustedBy: readonly string[]): boolean =>
  a.issue === f.issue &&
  (a.actions === undefined
    ? a.detail !== undefined
    : f.actions.length > 0 && f.actions.every((x) => a.actions?.test(x))) &&
  (a.formats === undefined || f.formats.every((format) => a.formats?.test(format))) &&
  (a.detail === undefined || a.detail.test(f.detail)) &&
  (a.trustedBy === undefined || (trustedBy.length > 0 && trustedBy.every((t) => a.trustedBy?.includes(t))));

const isAllowed = (f: Finding, trustedBy: readonly string[] = []): boolean =>
  [...FALSE_POSITIVES, ...LAUNCH_ROLE_BY_DESIGN].some((a) => covers(a, f, trustedBy));

interface IdentityPolicy {
  readonly name: string;
  readonly document: Json;
  /** Service principals that assume the roles this policy applies to. */
  readonly trustedBy: string[];
}

/** Every identity policy (inline, AWS::IAM::Policy, customer-managed) with intrinsics resolved, and who assumes it. */
function identityPolicies(template: CfnTemplate): IdentityPolicy[] {
  const resolver = new Resolver(template);
  const documents = policyDocuments(template);
  const trustOf = (role: string): string[] =>
    documents
      .filter((d) => d.kind === 'trust' && d.resource === role)
      .flatMap(
        // A service, or an account's root (a target account's deploy role, trusted by the tools account).
        (d) =>
          JSON.stringify(resolver.resolve(d.document as Json)).match(
            /[a-z0-9.-]+\.amazonaws\.com|arn:aws:iam::[0-9]{12}:root/g,
          ) ?? [],
      );
  const refs = (value: unknown): string[] =>
    (Array.isArray(value) ? value : []).flatMap((v: { Ref?: unknown }) => (typeof v?.Ref === 'string' ? [v.Ref] : []));
  const rolesOf = (id: string): string[] => {
    const resource = template.Resources[id];
    if (resource?.Type === 'AWS::IAM::Role') return [id];
    const attachedBy = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role' && refs(r.Properties?.ManagedPolicyArns).includes(id))
      .map(([roleId]) => roleId);
    // A Chatbot guardrail bounds the channel role of each configuration that names it.
    const guardedBy = Object.values(template.Resources)
      .filter((r) => refs(r.Properties?.GuardrailPolicies).includes(id))
      .flatMap((r) => {
        const role = (r.Properties?.IamRoleArn as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt']?.[0];
        return typeof role === 'string' ? [role] : [];
      });
    return [...new Set([...attachedBy, ...guardedBy, ...refs(resource?.Properties?.Roles)])];
  };
  return documents
    .filter((d) => d.kind === 'identity')
    .map((d) => ({
      name: `${d.resource} ${d.path}`,
      document: resolver.resolve(d.document as Json),
      trustedBy: [...new Set(rolesOf(d.resource).flatMap(trustOf))],
    }));
}

describe('security/parliament (the pinned parliament, on every identity policy)', () => {
  it('reports what it should on bad policies, so a clean result means something', () => {
    const policy = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements }) as unknown as Json;
    const findings = analyze([
      { name: 'star', document: policy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }) },
      { name: 'typo', document: policy({ Effect: 'Allow', Action: ['s3:GetObjekt'], Resource: 'arn:aws:s3:::b/*' }) },
      {
        name: 'escalation',
        document: policy({
          Effect: 'Allow',
          Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
          Resource: '*',
        }),
      },
    ]);
    const issues = (policy: string) => findings.filter((f) => f.policy === policy).map((f) => f.issue);
    expect(issues('star')).to.include('RESOURCE_STAR');
    expect(issues('typo')).to.include('UNKNOWN_ACTION');
    expect(issues('escalation')).to.include('PRIVILEGE_ESCALATION');
    expect(findings.filter((f) => f.policy === 'star').every((f) => !isAllowed(f))).to.equal(true);
  });

  it('agrees that every ANY_RESOURCE_ACTIONS entry requires no resource type (its IAM definitions)', () => {
    const required = venvPython<Record<string, string[] | null>>(
      `
import json, os, sys, parliament
index = {}
for service in json.load(open(os.path.join(os.path.dirname(parliament.__file__), 'iam_definition.json'))):
    for p in service['privileges']:
        index[(service['prefix'], p['privilege'].lower())] = [r['resource_type'] for r in p['resource_types']]
out = {}
for action in json.load(sys.stdin):
    prefix, name = action.split(':')
    types = index.get((prefix, name.lower()))
    out[action] = None if types is None else [t for t in types if t.endswith('*')]
print(json.dumps(out))
`,
      JSON.stringify(Object.keys(ANY_RESOURCE_ACTIONS)),
    );
    // Actions parliament does not know yet carry their documented reason instead.
    const wrong = Object.entries(required).filter(
      ([a, types]) => (types === null && !(a in ACTIONS_NEWER_THAN_PARLIAMENT)) || (types !== null && types.length > 0),
    );
    expect(
      wrong.map(([a, types]) => `${a}: ${types === null ? 'unknown action' : `requires ${types.join(', ')}`}`),
    ).to.deep.equal([]);
  });

  it('allows launch-role findings only in policies of roles Service Catalog or CloudFormation assumes', () => {
    const finding: Finding = {
      policy: 'p',
      issue: 'PERMISSIONS_MANAGEMENT_ACTIONS',
      severity: 'MEDIUM',
      detail: '',
      actions: ['iam:createrole'],
      formats: [],
    };
    expect(isAllowed(finding, ['servicecatalog.amazonaws.com'])).to.equal(true);
    expect(isAllowed(finding, ['cloudformation.amazonaws.com'])).to.equal(true);
    expect(isAllowed(finding, ['codebuild.amazonaws.com'])).to.equal(false);
    expect(isAllowed(finding, ['cloudformation.amazonaws.com', 'codebuild.amazonaws.com'])).to.equal(false);
    expect(isAllowed(finding, ['arn:aws:iam::111111111111:root'])).to.equal(false);
    expect(isAllowed(finding, [])).to.equal(false);
  });

  it('documents every allowed false positive with a reason', () => {
    for (const fp of [...FALSE_POSITIVES, ...LAUNCH_ROLE_BY_DESIGN]) {
      expect(fp.reason.trim(), fp.issue).to.not.equal('');
    }
  });

  for (const { file, template } of emittedTemplates()) {
    describe(file, () => {
      const policies = identityPolicies(template);

      it('knows the service that assumes each identity policy (no policy without a role but those for people)', () => {
        // A managed policy the stack outputs is for people to hold (an environment's approvers).
        const forPeople = new Set(
          (Object.values(template.Outputs ?? {}) as { Value?: { Ref?: unknown } }[]).flatMap((o) =>
            typeof o.Value?.Ref === 'string' && template.Resources[o.Value.Ref]?.Type === 'AWS::IAM::ManagedPolicy'
              ? [o.Value.Ref]
              : [],
          ),
        );
        expect(
          policies
            .filter((p) => p.trustedBy.length === 0 && !forPeople.has(p.name.split(' ')[0] as string))
            .map((p) => p.name),
        ).to.deep.equal([]);
      });

      it('resolves every intrinsic in the identity policies to plain values', () => {
        const text = JSON.stringify(policies);
        expect(text).to.not.match(/"(Ref|Fn::[A-Za-z]+)"/);
        expect(text).to.not.include('${');
      });

      it('has no parliament finding but the documented false positives', () => {
        const findings = policies.length === 0 ? [] : analyze(policies);
        const trustedBy = new Map(policies.map((p) => [p.name, p.trustedBy]));
        const unexpected = findings.filter((f) => !isAllowed(f, trustedBy.get(f.policy)));
        expect(
          unexpected.map((f) => `${f.policy}: ${f.issue} (${f.severity}) ${f.detail || f.actions.join(', ')}`),
        ).to.deep.equal([]);
      });
    });
  }

  describe('the resolver', () => {
    const resolved = emittedTemplates().map(({ file, template }) => ({
      file,
      template,
      resolver: new Resolver(template),
    }));

    for (const { file, template, resolver } of resolved) {
      it(`${file}: example parameter values satisfy each parameter's AllowedPattern and AllowedValues`, () => {
        const parameters = (template['Parameters'] ?? {}) as Record<string, JsonObject>;
        expect(Object.keys(parameters).length).to.be.greaterThan(0);
        for (const [name, p] of Object.entries(parameters)) {
          const value = resolver.parameter(name);
          if (typeof p['AllowedPattern'] === 'string') expect(value, name).to.match(new RegExp(p['AllowedPattern']));
          if (Array.isArray(p['AllowedValues'])) expect(p['AllowedValues'].map(String), name).to.include(value);
        }
      });
    }

    it('resolves !Sub, !Ref and !GetAtt as CloudFormation does, per resource type', () => {
      const t = {
        Parameters: { EnvironmentSuffix: { Type: 'String' }, Port: { Type: 'Number', Default: 8080 } },
        Resources: {
          Bucket: {
            Type: 'AWS::S3::Bucket',
            Properties: { BucketName: { 'Fn::Sub': 'cicd-artifacts-${EnvironmentSuffix}' } },
          },
          Key: { Type: 'AWS::KMS::Key', Properties: {} },
          Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
          Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'cicd-build-dev' } },
        },
      } as unknown as CfnTemplate;
      const r = new Resolver(t);
      expect(
        r.resolve([
          { Ref: 'Bucket' },
          { 'Fn::GetAtt': ['Bucket', 'Arn'] },
          { 'Fn::Sub': '${Bucket.Arn}/*' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
          { Ref: 'Key' },
          { 'Fn::GetAtt': ['Key', 'Arn'] },
          { Ref: 'Topic' },
          { 'Fn::GetAtt': ['Logs', 'Arn'] },
          { 'Fn::Sub': ['${Host}:${Port}', { Host: 'h' }] },
          { 'Fn::Sub': '${!Literal}' },
        ]),
      ).to.deep.equal([
        'cicd-artifacts-dev',
        'arn:aws:s3:::cicd-artifacts-dev',
        'arn:aws:s3:::cicd-artifacts-dev/*',
        'arn:aws:iam::123456789012:root',
        '1234abcd-12ab-34cd-56ef-1234567890ab',
        'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        'arn:aws:sns:us-east-1:123456789012:alerts',
        'arn:aws:logs:us-east-1:123456789012:log-group:cicd-build-dev:*',
        'h:8080',
        '${Literal}',
      ]);
    });

    it('follows !If by the condition and drops AWS::NoValue', () => {
      const t = {
        Parameters: { NotificationEmail: { Type: 'String', Default: '' } },
        Conditions: { HasEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'NotificationEmail' }, ''] }] } },
        Resources: {},
      } as unknown as CfnTemplate;
      expect(
        new Resolver(t).resolve({
          a: { 'Fn::If': ['HasEmail', 'yes', 'no'] },
          b: { 'Fn::If': ['HasEmail', { Ref: 'AWS::NoValue' }, 1] },
        }),
      ).to.deep.equal({ a: 'yes' });
    });
  });
});
