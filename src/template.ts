// Composes the emitted templates from the resource families, in reading order. Nothing else.
import type { BuildConfig } from './config.js';
import { DEFAULT_CONFIG } from './config.js';
import type { Part, Template } from './cfn/template.js';
import { resources } from './cfn/template.js';
import { standardTags, tagsFor } from './naming.js';
import { Ids } from './naming.js';
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
import { serviceCatalogTemplate } from './service-catalog-template.js';

/** File name of the main template under templates/. */
export const PIPELINE_TEMPLATE_FILE = 'cicd-pipeline.yaml';

/** Adds the standard tags to every part whose type accepts tags. */
function tagged(parts: readonly Part[], config: BuildConfig): Part[] {
  const tags = standardTags(config.project, config.tags);
  for (const { resource } of parts) {
    const shaped = tagsFor(resource.Type, tags);
    if (shaped !== undefined) resource.Properties = { ...resource.Properties, Tags: shaped };
  }
  return [...parts];
}

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
    Resources: resources(tagged(parts, config)),
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

/** Every template the build writes, by file name. */
export const EMITTED_TEMPLATES: Readonly<Record<string, (config: BuildConfig) => Template>> = {
  [PIPELINE_TEMPLATE_FILE]: pipelineTemplate,
  // The product template derives its launch role from the pipeline template (an import cycle), so call late.
  'service-catalog-product.yaml': (config) => serviceCatalogTemplate(config),
};
