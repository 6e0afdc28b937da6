// Composes the Service Catalog product template: the pipeline template offered as a product
// whose launch role may create exactly the resource types the pipeline template holds.
import type { Part, Template } from './cfn/template.js';
import { resources } from './cfn/template.js';
import type { BuildConfig } from './config.js';
import { DEFAULT_CONFIG } from './config.js';
import { Params, standardTags, tagsFor } from './naming.js';
import type { ParameterSpec } from './parameters.js';
import { interfaceMetadata, parametersSection, PIPELINE_PARAMETERS } from './parameters.js';
import type { PipelineFacts } from './resources/service-catalog.js';
import {
  pipelineFacts,
  SERVICE_CATALOG_CONDITIONS,
  SERVICE_CATALOG_PARAMETERS,
  serviceCatalogProduct,
} from './resources/service-catalog.js';
// template.ts may import this module for EMITTED_TEMPLATES: only function declarations cross the cycle.
import { pipelineTemplate } from './template.js';

/** File name of the product template under templates/. */
export const SERVICE_CATALOG_TEMPLATE_FILE = 'service-catalog-product.yaml';

/** The resource types (in the order declared) and intrinsic functions of the pipeline template. */
export function builtPipelineFacts(config: BuildConfig = DEFAULT_CONFIG): PipelineFacts {
  return pipelineFacts(pipelineTemplate(config));
}

function environmentSuffix(): ParameterSpec {
  const spec = PIPELINE_PARAMETERS.find((p) => p.name === Params.EnvironmentSuffix);
  if (spec === undefined) throw new Error(`${Params.EnvironmentSuffix} is missing from PIPELINE_PARAMETERS`);
  return spec;
}

/** Adds the standard tags to every part whose type accepts tags. */
function tagged(parts: readonly Part[], config: BuildConfig): Part[] {
  const tags = standardTags(config.project, config.tags);
  for (const { resource } of parts) {
    const shaped = tagsFor(resource.Type, tags);
    if (shaped !== undefined) resource.Properties = { ...resource.Properties, Tags: shaped };
  }
  return [...parts];
}

/** The Service Catalog product template; its launch role covers what `pipeline` declares. */
export function serviceCatalogTemplate(
  config: BuildConfig = DEFAULT_CONFIG,
  pipeline: PipelineFacts = builtPipelineFacts(config),
): Template {
  const catalog = serviceCatalogProduct({ pipeline });
  const specs = [environmentSuffix(), ...SERVICE_CATALOG_PARAMETERS];
  const parts: Part[] = [
    catalog.portfolio,
    catalog.product,
    catalog.productAssociation,
    catalog.principalAssociation,
    ...catalog.launchPolicies,
    catalog.launchRole,
    catalog.launchRoleConstraint,
  ];
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'cfn-cicd: the CI/CD pipeline as an AWS Service Catalog product - portfolio, product version, access and a least-privilege launch role.',
    Metadata: interfaceMetadata(specs),
    Parameters: parametersSection(specs),
    Conditions: SERVICE_CATALOG_CONDITIONS,
    Resources: resources(tagged(parts, config)),
    Outputs: catalog.outputs,
  };
}
