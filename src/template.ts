// Composes the emitted templates from the resource families, in reading order. Nothing else.
import type { BuildConfig } from './config.js';
import { DEFAULT_CONFIG } from './config.js';
import type { Part, Template } from './cfn/template.js';
import { resources } from './cfn/template.js';
import { Ids, Params, PIPELINE_TEMPLATE_FILE, SERVICE_CATALOG_TEMPLATE_FILE, withStandardTags } from './naming.js';
import type { ParameterSpec } from './parameters.js';
import {
  interfaceMetadata,
  parametersSection,
  PIPELINE_CONDITIONS,
  PIPELINE_MAPPINGS,
  PIPELINE_PARAMETERS,
} from './parameters.js';
import { artifactStore } from './resources/artifacts.js';
import { buildProjects } from './resources/build.js';
import { blueGreenDeployment } from './resources/deployment.js';
import { encryption } from './resources/encryption.js';
import { loadBalancing, network } from './resources/network.js';
import { eventBridgePublisher, notificationTopic, pipelineEventsRule } from './resources/notifications.js';
import { deliveryPipeline } from './resources/pipeline.js';
import { imageRegistry } from './resources/registry.js';
import { fargateService } from './resources/service.js';
import type { PipelineFacts } from './resources/service-catalog.js';
import {
  pipelineFacts,
  SERVICE_CATALOG_CONDITIONS,
  SERVICE_CATALOG_PARAMETERS,
  serviceCatalogProduct,
} from './resources/service-catalog.js';

/** The CI/CD pipeline template. */
export function pipelineTemplate(config: BuildConfig = DEFAULT_CONFIG): Template {
  const security = encryption();
  const artifacts = artifactStore({ key: security.key });
  const registry = imageRegistry({ key: security.key });
  const notifications = notificationTopic({
    key: security.key,
    publishers: [eventBridgePublisher(Ids.PipelineEventsRule)],
  });
  const net = network();
  const balancing = loadBalancing(net);
  const service = fargateService({
    key: security.key,
    repository: registry.repository,
    network: net,
    loadBalancing: balancing,
  });
  const deployment = blueGreenDeployment({ loadBalancing: balancing, service });
  const builds = buildProjects({ key: security.key, artifacts, repository: registry.repository });
  const pipeline = deliveryPipeline({ key: security.key, artifacts, builds, service, deployment });
  const eventsRule = pipelineEventsRule(notifications.topic, pipeline.pipeline.id);

  const parts: Part[] = [
    security.key,
    security.alias,
    artifacts.bucket,
    artifacts.policy,
    registry.repository,
    ...builds.parts,
    ...pipeline.parts,
    notifications.topic,
    notifications.policy,
    notifications.emailSubscription,
    eventsRule,
    ...net.parts,
    ...balancing.parts,
    ...service.parts,
    ...deployment.parts,
  ];
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'cfn-cicd: CI/CD pipeline for a containerised service. GitHub -> CodeBuild (docker build, push to ECR) -> unit and integration tests -> image scan gate -> ECS blue/green through CodeDeploy.',
    Metadata: interfaceMetadata(PIPELINE_PARAMETERS),
    Parameters: parametersSection(PIPELINE_PARAMETERS),
    Mappings: PIPELINE_MAPPINGS,
    Conditions: PIPELINE_CONDITIONS,
    Resources: resources(withStandardTags(parts, config.project, config.tags)),
    Outputs: {
      ...pipeline.outputs,
      ...balancing.outputs,
      ...service.outputs,
      ...deployment.outputs,
      ...registry.outputs,
      ...artifacts.outputs,
      ...notifications.outputs,
      ...security.outputs,
    },
  };
}

/** The resource types, roles and intrinsic functions of the pipeline template. */
export function builtPipelineFacts(config: BuildConfig = DEFAULT_CONFIG): PipelineFacts {
  return pipelineFacts(pipelineTemplate(config));
}

function environmentSuffix(): ParameterSpec {
  const spec = PIPELINE_PARAMETERS.find((p) => p.name === Params.EnvironmentSuffix);
  if (spec === undefined) throw new Error(`${Params.EnvironmentSuffix} is missing from PIPELINE_PARAMETERS`);
  return spec;
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
    Resources: resources(withStandardTags(parts, config.project, config.tags)),
    Outputs: catalog.outputs,
  };
}

/** Every template the build writes, by file name. */
export const EMITTED_TEMPLATES: Readonly<Record<string, (config: BuildConfig) => Template>> = {
  [PIPELINE_TEMPLATE_FILE]: pipelineTemplate,
  [SERVICE_CATALOG_TEMPLATE_FILE]: (config) => serviceCatalogTemplate(config),
};
