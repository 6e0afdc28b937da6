// The Service Catalog product template's parameters and conditions.
import { equals, not, ref } from '../intrinsics.js';
import { ServiceCatalogConditions, ServiceCatalogParams } from '../naming.js';
import { ENVIRONMENT } from './pipeline.js';
import type { ParameterGroup, ParameterSpec } from './spec.js';

/** Version names: no spaces (Service Catalog's rule), short enough to read in the console. */
export const PROVISIONING_ARTIFACT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';

/**
 * Virtual-hosted S3 URL of a template. The bucket name has no dots so the launch role can be
 * scoped to it by splitting the host (and because dotted names break TLS on that host form).
 */
export const TEMPLATE_URL_PATTERN =
  '^https://[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\\.s3(\\.[a-z0-9-]+)?\\.amazonaws\\.com(\\.cn)?/[A-Za-z0-9!_.*()/-]{1,900}\\.(yaml|yml|json|template)$';

/** IAM user, group or role ARN a portfolio may be shared with; empty for none. */
export const PRINCIPAL_ARN_PATTERN =
  '^$|^arn:aws(-cn|-us-gov)?:iam::\\d{12}:(role|user|group)/[A-Za-z0-9+=,.@_/-]{1,512}$';

const PIPELINE_TEMPLATE_URL: ParameterSpec = {
  name: ServiceCatalogParams.PipelineTemplateUrl,
  label: 'Pipeline template URL',
  definition: {
    Type: 'String',
    Description:
      'HTTPS URL of the pipeline template in S3 (cfn-cicd publish uploads it under a content-addressed key).',
    AllowedPattern: TEMPLATE_URL_PATTERN,
    ConstraintDescription:
      'https://<bucket without dots>.s3.<region>.amazonaws.com/<key>.yaml (or .yml, .json, .template)',
  },
};

const PROVISIONING_ARTIFACT_NAME: ParameterSpec = {
  name: ServiceCatalogParams.ProvisioningArtifactName,
  label: 'Version name',
  definition: {
    Type: 'String',
    Description:
      'Name of the product version users launch, e.g. v1.4.0. A new name or URL makes CloudFormation register a new provisioning artifact.',
    AllowedPattern: PROVISIONING_ARTIFACT_NAME_PATTERN,
    ConstraintDescription: '1-100 letters, digits, dots, underscores and hyphens, starting with a letter or digit',
  },
};

const PRINCIPAL_ARN: ParameterSpec = {
  name: ServiceCatalogParams.PrincipalArn,
  label: 'Principal that may launch the product (optional)',
  definition: {
    Type: 'String',
    Description: 'ARN of the IAM role, user or group given access to the portfolio; leave empty to grant none.',
    Default: '',
    AllowedPattern: PRINCIPAL_ARN_PATTERN,
    ConstraintDescription: 'empty, or arn:aws:iam::<12-digit account>:role/<name> (or user/<name>, group/<name>)',
  },
};

/** The Service Catalog product template's parameters, group by group. */
export const SERVICE_CATALOG_PARAMETER_GROUPS: readonly ParameterGroup[] = [
  ENVIRONMENT,
  { label: 'Product version', parameters: [PIPELINE_TEMPLATE_URL, PROVISIONING_ARTIFACT_NAME] },
  { label: 'Access', parameters: [PRINCIPAL_ARN] },
];

export const SERVICE_CATALOG_CONDITIONS = {
  [ServiceCatalogConditions.HasPrincipalArn]: not(equals(ref(ServiceCatalogParams.PrincipalArn), '')),
};
