import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildConfig } from '../../src/config.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { ANY_RESOURCE_ACTIONS } from '../../src/iam/any-resource.js';
import type { Statement } from '../../src/iam/policy.js';
import { RESOURCE_TYPES } from '../../src/cfn/types.js';
import {
  INTRINSIC_ACTIONS,
  PROVISIONED_STACK_ACTIONS,
  provisioningPermissions,
  TEMPLATE_CHECK_ACTIONS,
} from '../../src/iam/provisioning-actions.js';
import type { ProvisioningGrant } from '../../src/iam/provisioning-scopes.js';
import { ANY_RESOURCE } from '../../src/iam/provisioning-scopes.js';
import { TemplateModel } from '../../src/model/template.js';
import { NAME_PREFIX, ServiceCatalogIds, ServiceCatalogParams } from '../../src/naming.js';
import { renderYaml } from '../../src/render/yaml.js';
import {
  launchRoleStatements,
  MANAGED_POLICY_MAX_CHARS,
  packStatements,
  pipelineFacts,
  policyChars,
} from '../../src/resources/service-catalog.js';
import { builtPipelineFacts, serviceCatalogTemplate } from '../../src/template.js';
import { cfnLint } from '../../src/tools/cfn-lint.js';
import type { CfnResource, CfnTemplate } from '../helpers.js';
import { loadTemplate, onlyResource, renderedPipeline, resource, resourcesOfType, subText } from '../helpers.js';
import { VENV_BIN, venvPython } from '../venv.js';
import { ACTIONS_NEWER_THAN_PARLIAMENT } from '../security/newer-actions.js';

const rendered = (config: BuildConfig = DEFAULT_CONFIG): CfnTemplate =>
  loadTemplate(renderYaml(serviceCatalogTemplate(config)));

/** The launch-role rows of the types table: type → grants. */
const PROVISIONING_ACTIONS: Record<string, readonly ProvisioningGrant[]> = Object.fromEntries(
  Object.entries(RESOURCE_TYPES).flatMap(([type, row]) => (row.provisioning ? [[type, row.provisioning]] : [])),
);

/** Every statement of the launch role's managed policies, in order. */
function launchStatements(template: CfnTemplate): Statement[] {
  return resourcesOfType(template, 'AWS::IAM::ManagedPolicy').flatMap(
    ([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

describe('service catalog product template', () => {
  const template = rendered();

  it('declares a portfolio, a product, both associations, the launch role and its constraint', () => {
    const types = Object.values(template.Resources).map((r) => r.Type);
    for (const type of [
      'AWS::ServiceCatalog::Portfolio',
      'AWS::ServiceCatalog::CloudFormationProduct',
      'AWS::ServiceCatalog::PortfolioProductAssociation',
      'AWS::ServiceCatalog::PortfolioPrincipalAssociation',
      'AWS::ServiceCatalog::LaunchRoleConstraint',
      'AWS::IAM::Role',
    ]) {
      expect(
        types.filter((t) => t === type),
        type,
      ).to.have.length(1);
    }
    expect(onlyResource(template, 'AWS::ServiceCatalog::Portfolio').Properties.DisplayName).to.deep.equal({
      'Fn::Sub': 'cicd-portfolio-${EnvironmentSuffix}',
    });
    expect(onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct').Properties.Name).to.deep.equal({
      'Fn::Sub': 'cicd-pipeline-${EnvironmentSuffix}',
    });
    expect(onlyResource(template, 'AWS::IAM::Role').Properties).to.deep.include({
      RoleName: { 'Fn::Sub': 'cicd-launch-${EnvironmentSuffix}' },
      Path: '/servicecatalog/',
    });
  });

  it('loads its one provisioning artifact from PipelineTemplateUrl, named by ProvisioningArtifactName', () => {
    const product = onlyResource(template, 'AWS::ServiceCatalog::CloudFormationProduct');
    expect(product.Properties.ProvisioningArtifactParameters).to.deep.equal([
      {
        Name: { Ref: ServiceCatalogParams.ProvisioningArtifactName },
        Description: 'The pipeline template published by cfn-cicd publish.',
        Info: { LoadTemplateFromURL: { Ref: ServiceCatalogParams.PipelineTemplateUrl } },
        Type: 'CLOUD_FORMATION_TEMPLATE',
        DisableTemplateValidation: false,
      },
    ]);
    expect(product.Properties.ReplaceProvisioningArtifacts).to.equal(false);
  });

  it('associates the product with the portfolio, and the principal only when one is given', () => {
    expect(onlyResource(template, 'AWS::ServiceCatalog::PortfolioProductAssociation').Properties).to.deep.equal({
      PortfolioId: { Ref: ServiceCatalogIds.Portfolio },
      ProductId: { Ref: ServiceCatalogIds.Product },
    });
    const principal = onlyResource(template, 'AWS::ServiceCatalog::PortfolioPrincipalAssociation');
    expect(principal.Condition).to.equal('HasPrincipalArn');
    expect(principal.Properties).to.deep.equal({
      PortfolioId: { Ref: ServiceCatalogIds.Portfolio },
      PrincipalARN: { Ref: ServiceCatalogParams.PrincipalArn },
      PrincipalType: 'IAM',
    });
    expect(template['Conditions']).to.deep.equal({
      HasPrincipalArn: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: ServiceCatalogParams.PrincipalArn }, ''] }] },
    });
  });

  it('creates the launch role constraint only after the product is in the portfolio', () => {
    const constraint = onlyResource(template, 'AWS::ServiceCatalog::LaunchRoleConstraint');
    expect([constraint.DependsOn].flat()).to.deep.equal([ServiceCatalogIds.ProductAssociation]);
    expect(constraint.Properties).to.deep.include({
      PortfolioId: { Ref: ServiceCatalogIds.Portfolio },
      ProductId: { Ref: ServiceCatalogIds.Product },
      RoleArn: { 'Fn::GetAtt': [ServiceCatalogIds.LaunchRole, 'Arn'] },
    });
  });

  it('gives every parameter a pattern, a constraint description, a label and a group', () => {
    const parameters = template['Parameters'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(parameters)).to.have.members([
      'EnvironmentSuffix',
      ServiceCatalogParams.PipelineTemplateUrl,
      ServiceCatalogParams.ProvisioningArtifactName,
      ServiceCatalogParams.PrincipalArn,
    ]);
    const form = (template['Metadata'] as Record<string, Record<string, unknown>>)[
      'AWS::CloudFormation::Interface'
    ] as {
      ParameterGroups: { Parameters: string[] }[];
      ParameterLabels: Record<string, { default: string }>;
    };
    for (const [name, definition] of Object.entries(parameters)) {
      expect(definition['AllowedPattern'], name).to.be.a('string');
      expect(definition['ConstraintDescription'], name).to.be.a('string').and.not.equal('');
      expect(definition['Description'], name).to.be.a('string').and.not.equal('');
      expect(form.ParameterLabels[name]?.default, name).to.be.a('string');
      expect(
        form.ParameterGroups.filter((g) => g.Parameters.includes(name)),
        name,
      ).to.have.length(1);
    }
  });

  describe('parameter patterns', () => {
    const parameters = template['Parameters'] as Record<string, { AllowedPattern: string }>;
    const rows: [string, string, boolean][] = [
      [
        ServiceCatalogParams.PipelineTemplateUrl,
        'https://team-templates.s3.eu-west-1.amazonaws.com/cfn-cicd/cicd-pipeline/ab12.yaml',
        true,
      ],
      [ServiceCatalogParams.PipelineTemplateUrl, 'https://team-templates.s3.amazonaws.com/a.yaml', true],
      [ServiceCatalogParams.PipelineTemplateUrl, 'http://team-templates.s3.eu-west-1.amazonaws.com/a.yaml', false],
      [ServiceCatalogParams.PipelineTemplateUrl, 'https://team.templates.s3.eu-west-1.amazonaws.com/a.yaml', false],
      [ServiceCatalogParams.PipelineTemplateUrl, 'https://example.com/a.yaml', false],
      [ServiceCatalogParams.PipelineTemplateUrl, 'https://team-templates.s3.eu-west-1.amazonaws.com/a.txt', false],
      [ServiceCatalogParams.ProvisioningArtifactName, 'v1.4.0', true],
      [ServiceCatalogParams.ProvisioningArtifactName, 'v-0123456789ab', true],
      [ServiceCatalogParams.ProvisioningArtifactName, 'v 1', false],
      [ServiceCatalogParams.ProvisioningArtifactName, '-v1', false],
      [ServiceCatalogParams.ProvisioningArtifactName, 'v'.repeat(101), false],
      [ServiceCatalogParams.PrincipalArn, '', true],
      [ServiceCatalogParams.PrincipalArn, 'arn:aws:iam::123456789012:role/platform/app-team', true],
      [ServiceCatalogParams.PrincipalArn, 'arn:aws:iam::123456789012:group/developers', true],
      [ServiceCatalogParams.PrincipalArn, 'arn:aws:iam::123456789012:policy/x', false],
      [ServiceCatalogParams.PrincipalArn, 'arn:aws:iam::12345:role/x', false],
    ];
    for (const [name, value, ok] of rows) {
      it(`${name} ${ok ? 'accepts' : 'refuses'} ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`, () => {
        expect(new RegExp(parameters[name]?.AllowedPattern ?? '(missing)').test(value)).to.equal(ok);
      });
    }
  });

  it('lets only Service Catalog assume the launch role, for this account where it says so', () => {
    const trust = onlyResource(template, 'AWS::IAM::Role').Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).to.have.length(1);
    expect(trust[0]).to.deep.include({
      Effect: 'Allow',
      Principal: { Service: 'servicecatalog.amazonaws.com' },
      Action: ['sts:AssumeRole'],
    });
    expect(trust[0].Condition.StringEqualsIfExists).to.deep.equal({
      'aws:SourceAccount': { 'Fn::Sub': '${AWS::AccountId}' },
    });
    expect(trust[0].Condition.ArnLikeIfExists['aws:SourceArn']).to.deep.equal({
      'Fn::Sub': 'arn:${AWS::Partition}:servicecatalog:${AWS::Region}:${AWS::AccountId}:*',
    });
  });

  it('attaches every launch policy to the role and no inline policy', () => {
    const role = onlyResource(template, 'AWS::IAM::Role');
    const policies = resourcesOfType(template, 'AWS::IAM::ManagedPolicy').map(([id]) => id);
    expect(policies.length).to.be.greaterThan(0);
    expect(role.Properties.ManagedPolicyArns).to.deep.equal(policies.map((id) => ({ Ref: id })));
    expect(role.Properties.Policies).to.equal(undefined);
  });

  describe('launch role permissions', () => {
    const statements = launchStatements(template);
    const { types, intrinsics } = builtPipelineFacts();

    it('has a row for every resource type of the pipeline template', () => {
      const missing = types.filter((t) => !(t in PROVISIONING_ACTIONS));
      expect(missing, 'add provisioning grants to RESOURCE_TYPES').to.deep.equal([]);
    });

    it('refuses, naming it, a resource type without a row', () => {
      expect(() => provisioningPermissions(['AWS::Example::Unlisted'])).to.throw(
        /no launch-role row for AWS::Example::Unlisted: add its provisioning grants to RESOURCE_TYPES/,
      );
    });

    it('grants exactly the actions that map from the table for the pipeline’s types, the stack and the template', () => {
      const fromTable = types.flatMap((t) => (PROVISIONING_ACTIONS[t] ?? []).flatMap((g) => g.actions));
      const fromIntrinsics = intrinsics.flatMap((fn) => INTRINSIC_ACTIONS[fn] ?? []);
      const expected = new Set([
        ...fromTable,
        ...fromIntrinsics,
        ...PROVISIONED_STACK_ACTIONS,
        ...TEMPLATE_CHECK_ACTIONS,
        's3:GetObject',
      ]);
      const granted = new Set(statements.flatMap((s) => s.Action));
      expect([...granted].sort()).to.deep.equal([...expected].sort());
    });

    it('derives from the template: a type absent from it grants nothing', () => {
      const onlyBucket = provisioningPermissions(['AWS::S3::Bucket']);
      expect(onlyBucket.anyResource).to.deep.equal([]);
      expect(onlyBucket.scoped.flatMap((s) => s.actions).every((a) => a.startsWith('s3:'))).to.equal(true);
    });

    it('lets the role list availability zones only when the template uses !GetAZs', () => {
      expect(provisioningPermissions(['AWS::S3::Bucket'], ['Fn::GetAZs']).anyResource).to.deep.equal([
        'ec2:DescribeAvailabilityZones',
      ]);
      expect(provisioningPermissions(['AWS::S3::Bucket'], ['Fn::Sub']).anyResource).to.deep.equal([]);
      const facts = pipelineFacts(
        new TemplateModel({
          Resources: {
            A: {
              Type: 'AWS::EC2::Subnet',
              Properties: { AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
            },
            B: { Type: 'AWS::EC2::Subnet' },
          },
        }),
      );
      expect(facts).to.deep.equal({
        types: ['AWS::EC2::Subnet'],
        intrinsics: ['Fn::GetAZs', 'Fn::Select'],
        roles: [],
        summary: '',
      });
    });

    it('puts `*` only on actions whose API takes no ARN, each documented', () => {
      const anywhere = statements.filter((s) => s.Resource === '*' || (s.Resource as unknown[]).includes('*'));
      expect(anywhere.map((s) => s.Sid)).to.deep.equal(['ActionsThatTakeNoResourceArn']);
      for (const action of anywhere.flatMap((s) => s.Action)) {
        expect(ANY_RESOURCE_ACTIONS[action], action).to.be.a('string').and.not.equal('');
      }
    });

    it('scopes named services to cicd-* and the rest to this account and region', () => {
      for (const statement of statements.filter((s) => s.Resource !== '*')) {
        for (const arn of (statement.Resource as unknown[]).map(subText)) {
          const named = arn.includes(`${NAME_PREFIX}-*`);
          const accountScoped = arn.includes(':${AWS::AccountId}:');
          const readsTemplate =
            arn.startsWith('arn:${AWS::Partition}:s3:::') && statement.Action.includes('s3:GetObject');
          // Route 53 ARNs carry no account or region (Service Authorization Reference, Amazon Route 53:
          // hostedzone and change); the calls reach only the caller's own account.
          const ownRoute53 = /^arn:\$\{AWS::Partition\}:route53:::(hostedzone|change)\/\*$/.test(arn);
          expect(named || accountScoped || readsTemplate || ownRoute53, `${statement.Sid}: ${arn}`).to.equal(true);
        }
      }
      const stacks = statements.find((s) => s.Sid === 'ManageProvisionedPipelineStacks');
      expect((stacks?.Resource as unknown[]).map(subText)).to.deep.equal([
        'arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/SC-*/*',
      ]);
    });

    it('reads the template only from the bucket named in PipelineTemplateUrl, and Service Catalog’s tagged copy', () => {
      const read = statements.find((s) => s.Sid === 'ReadPipelineTemplate');
      expect(read?.Action).to.deep.equal(['s3:GetObject']);
      expect(read?.Resource).to.deep.equal([
        {
          'Fn::Sub': [
            'arn:${AWS::Partition}:s3:::${TemplateBucket}/*',
            {
              TemplateBucket: {
                'Fn::Select': [
                  0,
                  {
                    'Fn::Split': [
                      '.',
                      { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: ServiceCatalogParams.PipelineTemplateUrl }] }] },
                    ],
                  },
                ],
              },
            },
          ],
        },
      ]);
      const copy = statements.find((s) => s.Sid === 'ReadServiceCatalogTemplateCopy');
      expect(copy?.Condition).to.deep.equal({
        StringEquals: { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' },
      });
    });

    it('passes the pipeline’s roles only to the service that runs them', () => {
      const passes = statements.filter((s) => s.Action.includes('iam:PassRole'));
      expect(passes.length).to.be.greaterThan(0);
      for (const s of passes) {
        expect(s.Action, s.Sid).to.deep.equal(['iam:PassRole']);
        expect(s.Condition?.['StringEquals']?.['iam:PassedToService'], s.Sid).to.match(/^[a-z-]+\.amazonaws\.com$/);
        const service = s.Condition?.['StringEquals']?.['iam:PassedToService'];
        const expected = resourcesOfType(renderedPipeline(), 'AWS::IAM::Role')
          .filter(([, r]) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === service)
          .map(
            ([, r]) =>
              `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${subText(r.Properties.RoleName).replace('${EnvironmentSuffix}', '*')}`,
          );
        expect(expected.length, s.Sid).to.be.greaterThan(0);
        expect((s.Resource as unknown[]).map(subText), s.Sid).to.deep.equal(expected);
      }
    });

    it('keeps every launch policy within IAM’s 6,144-character limit', () => {
      for (const [id, policy] of resourcesOfType(template, 'AWS::IAM::ManagedPolicy')) {
        expect(policyChars(policy.Properties.PolicyDocument.Statement), id).to.be.at.most(MANAGED_POLICY_MAX_CHARS);
      }
      const all = launchStatements(template);
      expect(packStatements(all, 2000).flat()).to.deep.equal(all);
      expect(packStatements(all, 2000).length).to.be.greaterThan(packStatements(all).length);
    });

    it('refuses a statement too large for one policy, naming it', () => {
      const wide = launchStatements(template).reduce((a, b) => (policyChars([a]) >= policyChars([b]) ? a : b));
      expect(() => packStatements([wide], policyChars([wide]) - 1)).to.throw(
        new RegExp(
          `^launch-role statement ${wide.Sid} alone exceeds ${policyChars([wide]) - 1} characters; split its scope$`,
        ),
      );
    });

    it('passes roles to a service only when a role of the pipeline template is assumed by it', () => {
      const passes = (facts: ReturnType<typeof builtPipelineFacts>) =>
        launchRoleStatements(facts)
          .filter((s) => s.Action.includes('iam:PassRole'))
          .map((s) => s.Condition?.['StringEquals']?.['iam:PassedToService']);
      const facts = builtPipelineFacts();
      expect(passes(facts)).to.include('ecs.amazonaws.com');
      const roles = facts.roles.filter((r) => r.service !== 'ecs.amazonaws.com');
      expect(passes({ ...facts, roles })).to.not.include('ecs.amazonaws.com');
    });

    it('names only actions IAM knows (parliament’s action table)', () => {
      const actions = [
        ...new Set([
          ...Object.values(PROVISIONING_ACTIONS).flatMap((r) => r.flatMap((g) => g.actions)),
          ...Object.values(INTRINSIC_ACTIONS).flat(),
        ]),
      ];
      const unknown = venvPython<string[]>(
        `
import json, sys, parliament, os
known = {(s['prefix'] + ':' + p['privilege']).lower()
         for s in json.load(open(os.path.join(os.path.dirname(parliament.__file__), 'iam_definition.json')))
         for p in s['privileges']}
print(json.dumps([a for a in json.load(sys.stdin) if a.lower() not in known]))`,
        JSON.stringify([...actions, ...PROVISIONED_STACK_ACTIONS, ...TEMPLATE_CHECK_ACTIONS]),
      );
      expect(unknown.filter((a) => !(a in ACTIONS_NEWER_THAN_PARLIAMENT))).to.deep.equal([]);
      // Each newer action is an operation of the pinned aws CLI (botocore's service model).
      for (const action of unknown) {
        const [service, name] = action.split(':') as [string, string];
        const operation = name.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);
        const help = spawnSync(join(VENV_BIN, 'aws'), [service, operation, 'help'], {
          encoding: 'utf8',
          env: { ...process.env, PAGER: 'cat', MANPAGER: 'cat' },
        });
        expect(help.status, `aws ${service} ${operation}`).to.equal(0);
      }
    });

    it('keeps each row within the type’s handler permissions in cfn-lint’s schema, or says why not', () => {
      const handlers = venvPython<Record<string, string[] | null>>(
        `
import json, sys, os, cfnlint
base = os.path.join(os.path.dirname(cfnlint.__file__), 'data', 'schemas')
providers = json.load(open(os.path.join(base, 'providers', 'us-east-1.json')))
out = {}
for t in json.load(sys.stdin):
    schema = json.load(open(os.path.join(base, 'resources', providers[t] + '.json')))
    hs = schema.get('handlers')
    out[t] = None if not hs else sorted({a.lower() for k in ('create', 'read', 'update', 'delete') for a in hs.get(k, {}).get('permissions', [])})
print(json.dumps(out))`,
        JSON.stringify(Object.keys(PROVISIONING_ACTIONS)),
      );
      const unexplained: string[] = [];
      for (const [type, row] of Object.entries(PROVISIONING_ACTIONS)) {
        const allowed = new Set(handlers[type] ?? []);
        for (const grant of row.filter((g) => g.beyondHandlers === undefined)) {
          for (const action of grant.actions)
            if (!allowed.has(action.toLowerCase())) unexplained.push(`${type} ${action}`);
        }
      }
      expect(unexplained).to.deep.equal([]);
    });

    it('lists no-ARN actions in rows only through ANY_RESOURCE, all documented', () => {
      for (const row of Object.values(PROVISIONING_ACTIONS)) {
        for (const grant of row.filter((g) => g.scope === ANY_RESOURCE)) {
          for (const action of grant.actions) expect(ANY_RESOURCE_ACTIONS[action], action).to.be.a('string');
        }
      }
    });
  });

  it('outputs the portfolio, product, provisioning artifact and launch role', () => {
    expect(template['Outputs']).to.deep.include({
      PortfolioId: { Description: 'Service Catalog portfolio ID.', Value: { Ref: ServiceCatalogIds.Portfolio } },
      ProductId: {
        Description: 'Service Catalog product ID of the pipeline.',
        Value: { Ref: ServiceCatalogIds.Product },
      },
    });
    const outputs = template['Outputs'] as Record<string, { Description: string; Value: unknown }>;
    expect(outputs['ProvisioningArtifactId']?.Value).to.deep.equal({
      'Fn::GetAtt': [ServiceCatalogIds.Product, 'ProvisioningArtifactIds'],
    });
    expect(outputs['LaunchRoleArn']?.Value).to.deep.equal({ 'Fn::GetAtt': [ServiceCatalogIds.LaunchRole, 'Arn'] });
    for (const [name, output] of Object.entries(outputs)) expect(output.Description, name).to.not.equal('');
  });

  it('tags the portfolio, product and role with the standard tags and the config’s own', () => {
    const custom = rendered({ ...DEFAULT_CONFIG, project: 'payments', tags: { CostCenter: 'cc-42' } });
    for (const id of [ServiceCatalogIds.Portfolio, ServiceCatalogIds.Product, ServiceCatalogIds.LaunchRole]) {
      const tags = (resource(custom, id) as CfnResource).Properties.Tags as { Key: string; Value: unknown }[];
      expect(tags, id).to.deep.equal([
        { Key: 'CostCenter', Value: 'cc-42' },
        { Key: 'Environment', Value: { Ref: 'EnvironmentSuffix' } },
        { Key: 'ManagedBy', Value: 'cloudformation' },
        { Key: 'Project', Value: 'payments' },
      ]);
    }
  });

  it('passes the pinned cfn-lint with no finding, informational included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfn-cicd-sc-'));
    const file = join(dir, 'service-catalog-product.yaml');
    await writeFile(file, renderYaml(serviceCatalogTemplate(DEFAULT_CONFIG)));
    expect(await cfnLint([file])).to.deep.equal([]);
  });
});
