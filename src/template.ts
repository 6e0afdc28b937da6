// Composes the emitted templates from the resource families, in reading order. Nothing else.
import type { BuildConfig, Engine } from './config.js';
import { remoteRegions } from './accounts.js';
import { artifactStoreFile, artifactStoreTemplate } from './artifact-stores.js';
import { DEFAULT_CONFIG } from './config.js';
import { withTags } from './cfn/tagging.js';
import type { Part, Template } from './cfn/template.js';
import { resources } from './cfn/template.js';
import { getAtt } from './intrinsics.js';
import { remoteEnvironments } from './accounts.js';
import { bootstrapStackSetTemplate, targetBootstrapTemplate } from './bootstrap.js';
import { environmentTemplate, promotingPipelineTemplate } from './environments.js';
import {
  BOOTSTRAP_STACKSET_TEMPLATE_FILE,
  ENVIRONMENT_TEMPLATE_FILE,
  PIPELINE_TEMPLATE_FILE,
  SERVICE_CATALOG_TEMPLATE_FILE,
  standardTags,
  TARGET_BOOTSTRAP_TEMPLATE_FILE,
} from './naming.js';
import { interfaceMetadata, parametersSection } from './parameters/spec.js';
import { pipelineConditions, pipelineMappings, pipelineParameterGroups, pipelineRules } from './parameters/pipeline.js';
import { SERVICE_CATALOG_CONDITIONS, SERVICE_CATALOG_PARAMETER_GROUPS } from './parameters/service-catalog.js';
import type { PipelineStage } from './resources/actions.js';
import { SOURCE_ACTION_NAME } from './resources/actions.js';
import { pipelineDashboard } from './resources/dashboard.js';
import { deliveryMetrics } from './resources/delivery-metrics.js';
import { encryption } from './resources/encryption.js';
import { codeDeployEngine } from './resources/engines/codedeploy.js';
import type { DeploymentEngine } from './resources/engines/engine.js';
import { ecsEngine } from './resources/engines/ecs.js';
import { NOTIFICATION_TOPIC } from './resources/notifications.js';
import { deliveryPipeline } from './resources/pipeline.js';
import type { PipelineFacts } from './resources/service-catalog.js';
import { pipelineFacts, serviceCatalogProduct } from './resources/service-catalog.js';
import { sourceTriggers } from './resources/triggers.js';
import { alarmsOf, buildOnce, keyUsersOf, pipelineNotifications, serving } from './stages.js';
import { TemplateModel } from './model/template.js';

/** The deployment engines a build config chooses between. */
export const DEPLOYMENT_ENGINES: Readonly<Record<Engine, DeploymentEngine>> = {
  ecs: ecsEngine,
  codedeploy: codeDeployEngine,
};

/** The CI/CD pipeline template, deploying with the config's engine; with environments, the promoting pipeline. */
export function pipelineTemplate(config: BuildConfig = DEFAULT_CONFIG): Template {
  if (config.environments !== undefined) return promotingPipelineTemplate(config, config.environments);
  const engineName = config.deployment.engine;
  const engine = DEPLOYMENT_ENGINES[engineName];
  const base = buildOnce(engine.deployFiles);
  const { key, artifacts, registry, signing, project } = base;
  const serve = serving({
    engine,
    key,
    repositoryArn: getAtt(registry.repository, 'Arn'),
    topic: NOTIFICATION_TOPIC,
    network: config.network,
  });
  const { loadBalancing: balancing, alarms, routing, service } = serve;
  const deployment = engine.deployment({ key, artifacts, loadBalancing: balancing, service, alarms, project });

  const stages: PipelineStage[] = [...base.stages, deployment.stage];
  const pipeline = deliveryPipeline({ key, artifacts, stages, triggers: sourceTriggers(SOURCE_ACTION_NAME) });
  const servingParts: Part[] = [...serve.parts, ...deployment.parts];
  const delivery = deliveryMetrics({
    key,
    pipelineId: pipeline.pipeline.id,
    // Today's one environment: its Deploy stage is production.
    productionStage: deployment.stage.name,
    topic: NOTIFICATION_TOPIC,
  });
  const dashboard = pipelineDashboard({
    pipelineId: pipeline.pipeline.id,
    stages: stages.map((s) => s.name),
    loadBalancing: balancing,
    alarms: alarmsOf([...servingParts, ...delivery.parts]),
  });
  const measuring: Part[] = [...delivery.parts, dashboard];
  const notifications = pipelineNotifications({
    key,
    pipelineId: pipeline.pipeline.id,
    alarms: [...servingParts, ...measuring],
  });

  const rest: Part[] = [
    ...base.parts,
    ...pipeline.parts,
    ...base.beside,
    ...notifications.parts,
    ...servingParts,
    ...measuring,
  ];
  // The key comes first in the template and last here: its policy names every log group exactly.
  const security = encryption(keyUsersOf(rest));
  const parts: Part[] = [security.key, security.alias, ...rest];
  const groups = pipelineParameterGroups(engineName, config.network);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cfn-cicd: CI/CD pipeline for a containerised service. GitHub -> CodeBuild (docker build, push to ECR) -> unit and integration tests -> image scan gate -> ${engine.summary}.`,
    Metadata: interfaceMetadata(groups),
    Parameters: parametersSection(groups),
    Rules: pipelineRules(engineName),
    Mappings: pipelineMappings(engineName),
    Conditions: pipelineConditions(engineName, config.network),
    Resources: resources(withTags(parts, standardTags(config.project, config.tags))),
    Outputs: {
      ...pipeline.outputs,
      ...balancing.outputs,
      ...routing.outputs,
      ...service.outputs,
      ...deployment.outputs,
      ...registry.outputs,
      ...signing.outputs,
      ...artifacts.outputs,
      ...notifications.topic.outputs,
      ...security.outputs,
    },
  };
}

/** The resource types, roles and intrinsic functions of the pipeline template. */
export function builtPipelineFacts(config: BuildConfig = DEFAULT_CONFIG): PipelineFacts {
  return pipelineFacts(TemplateModel.of(pipelineTemplate(config)));
}

/** The Service Catalog product template; its launch role covers what `pipeline` declares. */
export function serviceCatalogTemplate(
  config: BuildConfig = DEFAULT_CONFIG,
  pipeline: PipelineFacts = builtPipelineFacts(config),
): Template {
  const catalog = serviceCatalogProduct({ pipeline });
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
    Metadata: interfaceMetadata(SERVICE_CATALOG_PARAMETER_GROUPS),
    Parameters: parametersSection(SERVICE_CATALOG_PARAMETER_GROUPS),
    Conditions: SERVICE_CATALOG_CONDITIONS,
    Resources: resources(withTags(parts, standardTags(config.project, config.tags))),
    Outputs: catalog.outputs,
  };
}

/**
 * Every template the build writes for `config`, by file name: with environments, also the environment
 * template; with environments in other accounts, also their bootstrap and its StackSets.
 */
export function templatesFor(config: BuildConfig): Record<string, () => Template> {
  const environments = config.environments;
  return {
    [PIPELINE_TEMPLATE_FILE]: () => pipelineTemplate(config),
    ...(environments !== undefined && {
      [ENVIRONMENT_TEMPLATE_FILE]: () => environmentTemplate(config),
    }),
    ...Object.fromEntries(
      remoteRegions(config).map((region) => [artifactStoreFile(region), () => artifactStoreTemplate(config, region)]),
    ),
    [SERVICE_CATALOG_TEMPLATE_FILE]: () => serviceCatalogTemplate(config),
    // Environments in other accounts: the bootstrap each of those accounts deploys, and its StackSets.
    ...(remoteEnvironments(config).length > 0 && {
      [TARGET_BOOTSTRAP_TEMPLATE_FILE]: () => targetBootstrapTemplate(config),
      [BOOTSTRAP_STACKSET_TEMPLATE_FILE]: () => bootstrapStackSetTemplate(config),
    }),
  };
}

/** The files of the default build, in the order it writes them. */
export const EMITTED_TEMPLATE_FILES: readonly string[] = Object.keys(templatesFor(DEFAULT_CONFIG));
