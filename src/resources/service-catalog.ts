// The pipeline as a Service Catalog product: a portfolio, the product whose one provisioning
// artifact loads the pipeline template from S3, who may launch it, and the launch role that
// provisions it with only the permissions the pipeline's resource types need.
import {
  CloudFormationProduct,
  LaunchRoleConstraint,
  ManagedPolicy,
  Portfolio,
  PortfolioPrincipalAssociation,
  PortfolioProductAssociation,
  Role,
} from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import type { Condition, Statement } from '../iam/policy.js';
import { allow, allowAnyResource, policyDocument, trustPolicy } from '../iam/policy.js';
import {
  PROVISIONED_STACK_ACTIONS,
  provisioningPermissions,
  TEMPLATE_CHECK_ACTIONS,
} from '../iam/provisioning-actions.js';
import { arn, getAtt, ref, select, split, sub } from '../intrinsics.js';
import { physicalName, ServiceCatalogConditions, ServiceCatalogIds, ServiceCatalogParams } from '../naming.js';
import type { AssumedRole, TemplateModel } from '../model/template.js';

export type ManagedPolicy = InstanceType<typeof ManagedPolicy>;

export type Portfolio = InstanceType<typeof Portfolio>;
export type Product = InstanceType<typeof CloudFormationProduct>;
export type LaunchRole = InstanceType<typeof Role>;

/** What the launch role must be able to provision: read off the pipeline template through the model. */
export interface PipelineFacts {
  /** Resource types; the launch role may create, update and delete exactly these. */
  readonly types: readonly string[];
  /** Intrinsic functions used (`Fn::GetAZs` …); some call AWS with the caller's credentials. */
  readonly intrinsics: readonly string[];
  /** The template's roles: name pattern (suffix as `*`) and the service that assumes each. */
  readonly roles: readonly AssumedRole[];
  /** The Project tag its resources carry. @default - none tagged */
  readonly project?: string;
  /** What the pipeline does, for the product's description: the template's Description less its `cfn-cicd: ` prefix. */
  readonly summary: string;
}

/** The facts of a pipeline template. */
export const pipelineFacts = (template: TemplateModel): PipelineFacts => ({
  types: template.types(),
  intrinsics: template.intrinsics(),
  roles: template.assumedRoles(),
  summary: template.description().replace(/^cfn-cicd: /, ''),
  ...(template.tagValue('Project') !== undefined && { project: template.tagValue('Project') }),
});

/** Who offers the product, as the console shows it, and what it provisions. */
export interface ServiceCatalogProps {
  /** Provider and owner shown on the portfolio and product (1-50 characters). @default 'cfn-cicd' */
  readonly providerName?: string;
  /** The pipeline template's resource types and intrinsics. */
  readonly pipeline: PipelineFacts;
}

export interface ServiceCatalogProduct {
  readonly portfolio: Part<Portfolio>;
  readonly product: Part<Product>;
  readonly productAssociation: Part<InstanceType<typeof PortfolioProductAssociation>>;
  readonly principalAssociation: Part<InstanceType<typeof PortfolioPrincipalAssociation>>;
  readonly launchRole: Part<LaunchRole>;
  readonly launchPolicies: readonly Part<ManagedPolicy>[];
  readonly launchRoleConstraint: Part<InstanceType<typeof LaunchRoleConstraint>>;
  readonly outputs: Record<string, Output>;
}

/** The bucket of PipelineTemplateUrl: the first label of its host. */
const templateBucket = () =>
  select(0, split('.', select(2, split('/', ref(ServiceCatalogParams.PipelineTemplateUrl)))));

/**
 * The launch role's statements: the provisioned stack, reading the template, then what provisioning
 * the pipeline's resource types takes (provisioningStatements).
 */
export function launchRoleStatements(pipeline: PipelineFacts): Statement[] {
  return [
    allow('ManageProvisionedPipelineStacks', PROVISIONED_STACK_ACTIONS, [arn('cloudformation', 'stack/SC-*/*')]),
    allow(
      'ReadPipelineTemplate',
      ['s3:GetObject'],
      [arn('s3', '${TemplateBucket}/*', { TemplateBucket: templateBucket() })],
    ),
    // The admin guide asks for read access to the copy Service Catalog keeps in its own bucket.
    allow('ReadServiceCatalogTemplateCopy', ['s3:GetObject'], [arn('s3', '*/*')], {
      StringEquals: { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' },
    }),
    ...provisioningStatements(pipeline, TEMPLATE_CHECK_ACTIONS),
  ];
}

/**
 * What creating, updating and deleting a template's resources takes: one statement per resource
 * scope of its types, then the actions whose APIs take no ARN (with `noArnActions`, the caller's own).
 * The Service Catalog launch role and a target account's CloudFormation execution role both hold it.
 */
export function provisioningStatements(facts: PipelineFacts, noArnActions: readonly string[] = []): Statement[] {
  const permissions = provisioningPermissions(facts.types, facts.intrinsics);
  return [
    ...permissions.scoped.flatMap(({ scope, actions }) => {
      const resources = passedRoleArns(scope, facts) ?? scope.arns.map((arn) => sub(arn));
      const condition = scope.projectTagged ? { ...scope.condition, ...projectTagCondition(facts) } : scope.condition;
      return resources.length === 0 ? [] : [allow(scope.sid, actions, resources, condition)];
    }),
    allowAnyResource('ActionsThatTakeNoResourceArn', [...noArnActions, ...permissions.anyResource].sort()),
  ];
}

/** The resource must carry the pipeline template's Project tag. */
function projectTagCondition(pipeline: PipelineFacts): Condition {
  if (pipeline.project === undefined) throw new Error('the pipeline template tags no resource with Project');
  return { StringEquals: { 'aws:ResourceTag/Project': pipeline.project } };
}

/**
 * For a PassRole scope: exactly the pipeline's roles that its service assumes, suffix as `*` (none
 * when a type may pass a role to a service that this template's engine does not use).
 */
function passedRoleArns(scope: { readonly condition?: Condition }, pipeline: PipelineFacts) {
  const service = scope.condition?.['StringEquals']?.['iam:PassedToService'];
  if (typeof service !== 'string') return undefined;
  return pipeline.roles.filter((r) => r.service === service).map((r) => arn('iam', `role/${r.namePattern}`));
}

/** IAM's limit on one managed policy, in characters without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** Longest values CloudFormation may substitute, so a policy that fits here fits in every region. */
const WORST_CASE_SUBSTITUTIONS: Readonly<Record<string, string>> = {
  '${AWS::Partition}': 'aws-us-gov',
  '${AWS::Region}': 'ap-southeast-14',
  '${AWS::AccountId}': '123456789012',
  '${TemplateBucket}': 'b'.repeat(63),
};

/** Characters IAM counts for a policy document once CloudFormation has resolved its `!Sub`s. */
export function policyChars(statements: readonly Statement[]): number {
  const resolved = JSON.stringify(policyDocument(statements), (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && 'Fn::Sub' in value) {
      const body = (value as { 'Fn::Sub': string | [string, unknown] })['Fn::Sub'];
      return Object.entries(WORST_CASE_SUBSTITUTIONS).reduce(
        (text, [variable, longest]) => text.split(variable).join(longest),
        Array.isArray(body) ? body[0] : body,
      );
    }
    return value;
  });
  return resolved.replace(/\s/g, '').length;
}

/** Statements in order, packed into as few policies as fit IAM's size limit. */
export function packStatements(statements: readonly Statement[], maxChars = MANAGED_POLICY_MAX_CHARS): Statement[][] {
  const packs: Statement[][] = [];
  for (const statement of statements) {
    const last = packs.at(-1);
    if (last !== undefined && policyChars([...last, statement]) <= maxChars) last.push(statement);
    else if (policyChars([statement]) <= maxChars) packs.push([statement]);
    else
      throw new Error(
        `launch-role statement ${String(statement.Sid)} alone exceeds ${maxChars} characters; split its scope`,
      );
  }
  return packs;
}

/** Portfolio, product, associations, launch role and its constraint. */
export function serviceCatalogProduct(props: ServiceCatalogProps): ServiceCatalogProduct {
  const providerName = props.providerName ?? 'cfn-cicd';
  const portfolio = part(
    ServiceCatalogIds.Portfolio,
    new Portfolio({
      DisplayName: physicalName('portfolio'),
      ProviderName: providerName,
      Description: 'Vetted CI/CD pipelines for containerised services, built by cfn-cicd.',
    }),
  );
  const product = part(
    ServiceCatalogIds.Product,
    new CloudFormationProduct({
      Name: physicalName('pipeline'),
      Owner: providerName,
      Description: props.pipeline.summary,
      ProductType: 'CLOUD_FORMATION_TEMPLATE',
      // Artifacts are matched by name and URL: a new pair is a new artifact, the old one is removed.
      ReplaceProvisioningArtifacts: false,
      ProvisioningArtifactParameters: [
        {
          Name: ref(ServiceCatalogParams.ProvisioningArtifactName),
          Description: 'The pipeline template published by cfn-cicd publish.',
          Info: { LoadTemplateFromURL: ref(ServiceCatalogParams.PipelineTemplateUrl) },
          Type: 'CLOUD_FORMATION_TEMPLATE',
          DisableTemplateValidation: false,
        },
      ],
    }),
  );
  const productAssociation = part(
    ServiceCatalogIds.ProductAssociation,
    new PortfolioProductAssociation({ PortfolioId: ref(portfolio), ProductId: ref(product) }),
  );
  const principalAssociation = part(
    ServiceCatalogIds.PrincipalAssociation,
    new PortfolioPrincipalAssociation({
      PortfolioId: ref(portfolio),
      PrincipalARN: ref(ServiceCatalogParams.PrincipalArn),
      PrincipalType: 'IAM',
    }).condition(ServiceCatalogConditions.HasPrincipalArn),
  );
  // One role's inline policies share 10,240 characters; managed policies hold 6,144 each.
  const launchPolicies = packStatements(launchRoleStatements(props.pipeline)).map((statements, i) =>
    part(
      `${ServiceCatalogIds.LaunchPolicyPrefix}${i + 1}`,
      new ManagedPolicy({
        ManagedPolicyName: physicalName(`launch-${i + 1}`),
        Path: '/servicecatalog/',
        Description: `Part ${i + 1} of what the cicd launch role may do to provision the pipeline stack.`,
        PolicyDocument: policyDocument(statements),
      }),
    ),
  );
  const launchRole = part(
    ServiceCatalogIds.LaunchRole,
    new Role({
      RoleName: physicalName('launch'),
      // Outside role/cicd-*, so the IAM rights it holds over the pipeline's roles never reach itself.
      Path: '/servicecatalog/',
      Description: 'Assumed by Service Catalog to create, update and delete the cicd pipeline stack.',
      // Service Catalog does not document these keys on AssumeRole: IfExists guards without breaking launches.
      AssumeRolePolicyDocument: trustPolicy({
        service: 'servicecatalog.amazonaws.com',
        sourceArn: arn('servicecatalog', '*'),
        confusedDeputyKeysOptional: true,
      }),
      ManagedPolicyArns: launchPolicies.map((policy) => ref(policy)),
    }),
  );
  const launchRoleConstraint = part(
    ServiceCatalogIds.LaunchRoleConstraint,
    new LaunchRoleConstraint({
      PortfolioId: ref(portfolio),
      ProductId: ref(product),
      RoleArn: getAtt(launchRole, 'Arn'),
      Description: 'Service Catalog launches the pipeline with the cicd launch role, not with the rights of the user.',
    }).dependsOn(ServiceCatalogIds.ProductAssociation),
  );
  return {
    portfolio,
    product,
    productAssociation,
    principalAssociation,
    launchRole,
    launchPolicies,
    launchRoleConstraint,
    outputs: {
      PortfolioId: { Description: 'Service Catalog portfolio ID.', Value: ref(portfolio) },
      ProductId: { Description: 'Service Catalog product ID of the pipeline.', Value: ref(product) },
      ProvisioningArtifactId: {
        Description: 'ID of the product version (provisioning artifact) this stack registered.',
        Value: getAtt(product, 'ProvisioningArtifactIds'),
      },
      LaunchRoleArn: {
        Description: 'ARN of the role Service Catalog assumes to launch the pipeline.',
        Value: getAtt(launchRole, 'Arn'),
      },
    },
  };
}
