// The promises every emitted template keeps, written as AWS CloudFormation Guard rules
// (templates/cfn-cicd.guard) so a platform team can hold a modified copy to them in CI or a Guard
// Hook. Generated from what the builders know: the store types and their key property (RESOURCE_TYPES),
// the TLS-only statement (denyInsecureTransport), the `*` list (ANY_RESOURCE_ACTIONS), the standard
// tags (standardTags), the physical-name pattern (physicalNameText) and the retained types.
import type { BuildConfig } from '../config.js';
import { DEFAULT_CONFIG } from '../config.js';
import type { ResourceTypeInfo } from '../cfn/types.js';
import { RESOURCE_TYPES, resourceType } from '../cfn/types.js';
import { S3_ALL, SNS_PUBLISH } from '../iam/actions.js';
import { ANY_RESOURCE_ACTIONS } from '../iam/any-resource.js';
import { denyInsecureTransport } from '../iam/policy.js';
import { GUARD_RULES_FILE, physicalNameText, standardTags, STORE_METADATA_KEY } from '../naming.js';
import { LOG_RETENTION_DAYS } from '../resources/logging.js';

/** One promise of the product, as one named guard rule. */
export interface GuardPromise {
  /** The ID every message of the rule carries in brackets, e.g. CICD.KMS. */
  readonly id: string;
  /** The guard rule's name. */
  readonly rule: string;
  /** The promise in a few words, at the head of every message of the rule. */
  readonly title: string;
  /** What the rule holds every template to, in one sentence. */
  readonly promise: string;
}

export const PROMISES = {
  kms: {
    id: 'CICD.KMS',
    rule: 'cicd_kms_on_every_store',
    title: 'every store is encrypted with KMS',
    promise: 'Every store names the KMS key that encrypts it, and every KMS key rotates.',
  },
  tls: {
    id: 'CICD.TLS',
    rule: 'cicd_tls_only_policies',
    title: 'TLS-only resource policies',
    promise:
      'Every bucket and topic has a resource policy, and every such policy denies any request that does not use TLS.',
  },
  anyResource: {
    id: 'CICD.STAR',
    rule: 'cicd_star_only_as_documented',
    title: '`*` only for the documented actions',
    promise:
      'IAM policies allow `Resource: "*"` only for the documented actions, and allow no wildcard action, NotAction or NotResource.',
  },
  logRetention: {
    id: 'CICD.LOGS',
    rule: 'cicd_log_retention',
    title: 'logs expire',
    promise: `Every log group expires its events (RetentionInDays is set; the product keeps ${LOG_RETENTION_DAYS} days).`,
  },
  retained: {
    id: 'CICD.RETAIN',
    rule: 'cicd_stateful_retained',
    title: 'stored data is retained',
    promise: 'Every resource that holds data the stack cannot rebuild is retained on delete and on replacement.',
  },
  tags: {
    id: 'CICD.TAGS',
    rule: 'cicd_standard_tags',
    title: 'standard tags on every taggable resource',
    promise: 'Every resource whose type takes tags carries the standard tag keys.',
  },
  names: {
    id: 'CICD.NAMES',
    rule: 'cicd_physical_names',
    title: 'cicd- names',
    promise: `Every resource with a name property is named ${physicalNameText('<type>')}.`,
  },
} as const satisfies Record<string, GuardPromise>;

/** A guard string literal; config validation keeps quotes and backslashes out of tag keys, so one here is a bug. */
function str(value: string): string {
  if (/['\\\n]/.test(value)) throw new Error(`cannot write ${JSON.stringify(value)} as a guard string`);
  return `'${value}'`;
}

const list = (values: readonly string[]): string => `[${values.map(str).join(', ')}]`;
const literal = (value: string | boolean): string => (typeof value === 'boolean' ? String(value) : str(value));
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Regex source for `text` with `<placeholder>` standing for `[a-z0-9-]+`. */
const placeholderPattern = (text: string, placeholder: string): string =>
  text.split(placeholder).map(escapeRegex).join('[a-z0-9-]+');

/** A clause with the promise's message: which promise it keeps and what it checks (no `>` in any of it). */
const clause = (promise: GuardPromise, check: string, what: string): string =>
  `${check} <<[${promise.id}]: ${promise.title}: ${what}>>`;

const indent = (lines: readonly string[], by = 4): string[] => lines.map((l) => (l === '' ? l : ' '.repeat(by) + l));
const rule = (name: string, body: readonly string[]): string[] => [`rule ${name} {`, ...indent(body), '}'];
/** A block over the resources of `types`; guard skips it when there are none. */
const ofTypes = (types: readonly string[], body: readonly string[]): string[] => [
  `Resources.*[ Type ${types.length === 1 ? `== ${str(types[0] as string)}` : `in ${list(types)}`} ] {`,
  ...indent(body),
  '}',
];
const typesWhere = (test: (row: ResourceTypeInfo) => boolean): string[] =>
  Object.keys(RESOURCE_TYPES)
    .filter((type) => test(resourceType(type)))
    .sort();

function kmsRule(): string[] {
  const p = PROMISES.kms;
  const stores = typesWhere((row) => row.kmsKey !== undefined).flatMap((type) => {
    const {
      property,
      requires = {},
      unlessStated,
      otherwise,
    } = resourceType(type).kmsKey as NonNullable<ResourceTypeInfo['kmsKey']>;
    const keyedBy = (at: string, needs: Readonly<Record<string, string | boolean>>) => [
      clause(p, `Properties.${at} exists`, `every ${type} names its key in ${at}`),
      ...Object.entries(needs).map(([path, value]) =>
        clause(p, `Properties.${path} == ${literal(value)}`, `every ${type} sets ${path} to ${String(value)}`),
      ),
    ];
    const keyed = keyedBy(property, requires);
    if (otherwise !== undefined) {
      return [
        `Resources.*[ Type == ${str(type)}`,
        `             Properties.${otherwise.unless} exists ] {`,
        ...indent(keyed),
        '}',
        `Resources.*[ Type == ${str(type)}`,
        `             Properties.${otherwise.unless} not exists ] {`,
        ...indent(keyedBy(otherwise.property, otherwise.requires)),
        '}',
      ];
    }
    if (unlessStated === undefined) return ofTypes([type], keyed);
    // A store whose Metadata states why it cannot take a KMS key (the ALB access log bucket) takes the named alternative.
    const stated = `Metadata.${str(STORE_METADATA_KEY)}.${unlessStated.metadata}`;
    const [path, value] = unlessStated.instead;
    return [
      `Resources.*[ Type == ${str(type)}`,
      `             ${stated} not exists ] {`,
      ...indent(keyed),
      '}',
      `Resources.*[ Type == ${str(type)}`,
      `             ${stated} exists ] {`,
      ...indent([
        clause(
          p,
          `Properties.${path} == ${literal(value)}`,
          `every ${type} that states ${unlessStated.metadata} sets ${path} to ${value}`,
        ),
      ]),
      '}',
    ];
  });
  const rotation = ofTypes(
    ['AWS::KMS::Key'],
    [clause(p, 'Properties.EnableKeyRotation == true', 'every AWS::KMS::Key sets EnableKeyRotation to true')],
  );
  return rule(p.rule, [...stores, ...rotation]);
}

// The stores whose policy denies insecure transport, and the actions that statement denies.
const TLS_ONLY_STORES = [
  { store: 'AWS::S3::Bucket', policy: 'AWS::S3::BucketPolicy', actions: S3_ALL },
  { store: 'AWS::SNS::Topic', policy: 'AWS::SNS::TopicPolicy', actions: SNS_PUBLISH },
] as const;

const DENIES_INSECURE_TRANSPORT = 'cicd_denies_insecure_transport';
/** A guard variable name for the resources of `type`: AWS::S3::BucketPolicy → cicd_s3_bucketpolicy. */
const variableFor = (type: string): string =>
  `cicd_${type
    .replace(/^AWS::/, '')
    .replace(/::/g, '_')
    .toLowerCase()}`;
const policiesVariable = (policyType: string): string => `${variableFor(policyType)}_policies`;

function tlsRules(): string[] {
  const p = PROMISES.tls;
  // The statement the builders write, so the rule checks what they emit.
  const denial = denyInsecureTransport('Sid', [], []);
  const [operator, keys] = Object.entries(denial.Condition as object)[0] as [string, Record<string, string>];
  const [key, value] = Object.entries(keys)[0] as [string, string];
  const helper = [
    `rule ${DENIES_INSECURE_TRANSPORT}(document, actions) {`,
    ...indent([
      'some %document.Statement[*] {',
      ...indent([
        `Effect == ${str(denial.Effect)}`,
        "Principal == '*' or Principal.AWS == '*'",
        'some Action[*] in %actions',
        // IAM reads the boolean and its string alike.
        `Condition.${operator}.${str(key)} in [${str(value)}, ${String(value === 'true')}]`,
      ]),
      '}',
    ]),
    '}',
  ];
  const body = TLS_ONLY_STORES.flatMap(({ store, policy, actions }) => {
    const policies = `%${policiesVariable(policy)}`;
    const link = resourceType(policy).drawnInside as string;
    const service = (actions[0] as string).split(':')[0] as string;
    const covering = [...new Set([...actions, `${service}:*`, '*'])];
    // Each block binds its own name: guard keeps a key variable's values across blocks of one rule.
    const id = `${variableFor(store)}_id`;
    const linked = `every ${store} has an ${policy} naming it in ${link}`;
    return [
      `Resources[ ${id} | Type == ${str(store)} ] {`,
      ...indent([clause(p, `some ${policies}.Properties.${link}[*].Ref == %${id}`, linked)]),
      '}',
      `when ${policies} empty {`,
      ...indent([
        `# No ${policy} at all: fail on each ${store} itself, so the failure names it.`,
        clause(p, `Resources.*[ Type == ${str(store)} ].Type != ${str(store)}`, linked),
      ]),
      '}',
      `when ${policies} not empty {`,
      ...indent([
        `${policies} {`,
        ...indent([
          clause(
            p,
            `${DENIES_INSECURE_TRANSPORT}(Properties.PolicyDocument, ${list(covering)})`,
            `every ${policy} denies ${actions.join(', ')} to anyone when aws:SecureTransport is false`,
          ),
        ]),
        '}',
      ]),
      '}',
    ];
  });
  return [...helper, '', ...rule(p.rule, body)];
}

const ANY_RESOURCE_ACTIONS_VARIABLE = 'cicd_any_resource_actions';
const GRANTS_AS_DOCUMENTED = 'cicd_grants_any_resource_only_as_documented';
// Where identity policies live: a role's inline policies, and the policy types' documents.
const IDENTITY_POLICY_DOCUMENTS = [
  { variable: 'cicd_role_inline_policies', types: ['AWS::IAM::Role'], path: 'Policies[*].PolicyDocument' },
  ...typesWhere((row) => row.policy?.kind === 'identity').map((type) => ({
    variable: policiesVariable(type),
    types: [type],
    path: resourceType(type).policy?.property as string,
  })),
];

function anyResourceRules(): string[] {
  const p = PROMISES.anyResource;
  const actions = Object.keys(ANY_RESOURCE_ACTIONS).sort();
  const declarations = IDENTITY_POLICY_DOCUMENTS.flatMap(({ variable, types, path }) => [
    `let ${variable} = Resources.*[`,
    ...indent([`Type == ${str(types[0] as string)}`, `Properties.${path.split('[')[0] as string} exists`]),
    `].Properties.${path}`,
  ]);
  const helper = [
    `rule ${GRANTS_AS_DOCUMENTED}(documents) {`,
    ...indent([
      // A single statement written as a map would slip past the list filters below.
      '%documents.Statement is_list',
      '%documents.Statement[',
      ...indent(["Effect == 'Allow'", "some Resource[*] == '*'"]),
      `].Action[*] in %${ANY_RESOURCE_ACTIONS_VARIABLE}`,
      "%documents.Statement[ Effect == 'Allow' ] {",
      ...indent(['Action[*] != /\\*/', 'NotAction not exists', 'NotResource not exists']),
      '}',
    ]),
    '}',
  ];
  const body = IDENTITY_POLICY_DOCUMENTS.flatMap(({ variable, types, path }) => [
    `when %${variable} not empty {`,
    ...indent([
      clause(
        p,
        `${GRANTS_AS_DOCUMENTED}(%${variable})`,
        `the ${path} of every ${types.join(', ')} lists its statements, allows "*" only for the documented actions, and no wildcard action, NotAction or NotResource`,
      ),
    ]),
    '}',
  ]);
  return [
    `let ${ANY_RESOURCE_ACTIONS_VARIABLE} = [`,
    ...indent(actions.map((a, i) => `${str(a)}${i < actions.length - 1 ? ',' : ''}`)),
    ']',
    ...declarations,
    '',
    ...helper,
    '',
    ...rule(p.rule, body),
  ];
}

function logRetentionRule(): string[] {
  const p = PROMISES.logRetention;
  return rule(
    p.rule,
    ofTypes(
      ['AWS::Logs::LogGroup'],
      [
        clause(p, 'Properties.RetentionInDays exists', 'every AWS::Logs::LogGroup sets RetentionInDays'),
        clause(p, 'Properties.RetentionInDays >= 1', 'every AWS::Logs::LogGroup keeps events at least a day'),
      ],
    ),
  );
}

function retainedRule(): string[] {
  const p = PROMISES.retained;
  const types = typesWhere((row) => row.retained === true);
  return rule(
    p.rule,
    ofTypes(
      types,
      ['DeletionPolicy', 'UpdateReplacePolicy'].map((attribute) =>
        clause(p, `${attribute} == 'Retain'`, `every ${types.join(', ')} sets ${attribute} to Retain`),
      ),
    ),
  );
}

function tagsRule(config: BuildConfig): string[] {
  const p = PROMISES.tags;
  const keys = standardTags(config.project, config.tags).map((t) => t.Key);
  return rule(
    p.rule,
    ofTypes(
      typesWhere((row) => row.tags === 'list'),
      [
        clause(p, 'Properties.Tags exists', 'every taggable resource has Tags'),
        ...keys.map((key) =>
          clause(p, `some Properties.Tags[*].Key == ${str(key)}`, `every taggable resource carries the tag ${key}`),
        ),
      ],
    ),
  );
}

// Names AWS fixes the start of: KMS requires every alias name to start with alias/, and CodePipeline's
// managed-compute actions log to /aws/codepipeline/<pipeline name>, so that log group takes the prefix too.
const NAME_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  'AWS::KMS::Alias': ['alias/'],
  'AWS::Logs::LogGroup': ['', '/aws/codepipeline/'],
};
function namesRule(): string[] {
  const p = PROMISES.names;
  const TYPE = '<type>';
  const groups = new Map<string, string[]>();
  for (const type of typesWhere((row) => row.nameProperty !== undefined)) {
    const key = `${(NAME_PREFIXES[type] ?? ['']).join('|')}\n${resourceType(type).nameProperty as string}`;
    groups.set(key, [...(groups.get(key) ?? []), type]);
  }
  const body = [...groups].flatMap(([key, types]) => {
    const [prefixes, property] = key.split('\n') as [string, string];
    const starts = prefixes.split('|');
    const name = placeholderPattern(physicalNameText(TYPE), TYPE);
    const fixed = starts.filter((s) => s !== '').map(escapeRegex);
    const optional = starts.includes('') ? '?' : '';
    const start = fixed.length === 0 ? '' : `(${fixed.join('|')})${optional}`;
    const described = starts.map((s) => `${s}${physicalNameText(TYPE)}`).join(' or ');
    return ofTypes(types, [
      clause(
        p,
        `Properties.${property}.'Fn::Sub' == /^${start}${name}/`,
        `the ${property} of every ${types.join(', ')} is a !Sub starting ${described}`,
      ),
    ]);
  });
  return rule(p.rule, body);
}

/** templates/cfn-cicd.guard for `config`: every promise as one rule. */
export function productGuardRules(config: BuildConfig = DEFAULT_CONFIG): string {
  const header = [
    '# cfn-cicd: the promises every emitted template keeps, as AWS CloudFormation Guard rules.',
    '# Generated by `cfn-cicd build` from the builders (src/guard/product-rules.ts); do not edit.',
    `# Run: cfn-guard validate --rules templates/${GUARD_RULES_FILE} --data templates/cicd-pipeline.yaml`,
    '# Each failure names its promise: [CICD.<ID>] at the start of its message.',
    ...Object.values(PROMISES).map((p) => `#   ${p.id} (${p.rule}): ${p.promise}`),
  ];
  const sections = [
    kmsRule(),
    tlsRules(),
    anyResourceRules(),
    logRetentionRule(),
    retainedRule(),
    tagsRule(config),
    namesRule(),
  ];
  const policyVariables = TLS_ONLY_STORES.map(
    ({ policy }) => `let ${policiesVariable(policy)} = Resources.*[ Type == ${str(policy)} ]`,
  );
  return `${[header, policyVariables, ...sections].map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** Every guard rules file the build writes, by file name. */
export const EMITTED_RULES: Readonly<Record<string, (config: BuildConfig) => string>> = {
  [GUARD_RULES_FILE]: productGuardRules,
};
