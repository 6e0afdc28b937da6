// Composes the emitted templates from the resource families, in reading order. Nothing else.
import type { BuildConfig } from './config.js';
import { DEFAULT_CONFIG } from './config.js';
import type { Part, Template } from './cfn/template.js';
import { resources } from './cfn/template.js';
import { standardTags, tagsFor } from './naming.js';
import { interfaceMetadata, parametersSection, PIPELINE_CONDITIONS, PIPELINE_PARAMETERS } from './parameters.js';
import { artifactStore } from './resources/artifacts.js';
import { encryption } from './resources/encryption.js';
import { notificationTopic } from './resources/notifications.js';
import { imageRegistry } from './resources/registry.js';

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
  const notifications = notificationTopic({ key: security.key });

  const parts: Part[] = [
    security.key,
    security.alias,
    artifacts.bucket,
    artifacts.policy,
    registry.repository,
    notifications.topic,
    notifications.policy,
    notifications.emailSubscription,
  ];
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'cfn-cicd: CI/CD pipeline for a containerised service. GitHub -> CodeBuild (docker build, push to ECR) -> unit and integration tests -> image scan gate -> ECS blue/green through CodeDeploy.',
    Metadata: interfaceMetadata(PIPELINE_PARAMETERS),
    Parameters: parametersSection(PIPELINE_PARAMETERS),
    Conditions: PIPELINE_CONDITIONS,
    Resources: resources(tagged(parts, config)),
    Outputs: { ...security.outputs, ...artifacts.outputs, ...registry.outputs, ...notifications.outputs },
  };
}

/** Every template the build writes, by file name. */
export const EMITTED_TEMPLATES: Readonly<Record<string, (config: BuildConfig) => Template>> = {
  [PIPELINE_TEMPLATE_FILE]: pipelineTemplate,
};
