// Composes the emitted templates from the resource families, in reading order. Nothing else.
import type { BuildConfig, Engine } from './config.js';
import { DEFAULT_CONFIG } from './config.js';
import { withTags } from './cfn/tagging.js';
import type { Part, Template } from './cfn/template.js';
import { resources } from './cfn/template.js';
import { nameText, propertiesOf } from './model/resource.js';
import { TemplateModel } from './model/template.js';
import {
  Ids,
  PIPELINE_TEMPLATE_FILE,
  physicalNameText,
  SERVICE_CATALOG_TEMPLATE_FILE,
  standardTags,
} from './naming.js';
import { interfaceMetadata, parametersSection } from './parameters/spec.js';
import { pipelineConditions, pipelineMappings, pipelineParameterGroups, pipelineRules } from './parameters/pipeline.js';
import { SERVICE_CATALOG_CONDITIONS, SERVICE_CATALOG_PARAMETER_GROUPS } from './parameters/service-catalog.js';
import type { PipelineStage } from './resources/actions.js';
import {
  ARTIFACTS,
  BUILD_VARIABLES,
  codeBuildAction,
  gitHubSource,
  inspectorScanAction,
  SOURCE_ACTION_NAME,
} from './resources/actions.js';
import { deploymentAlarms } from './resources/alarms.js';
import { pipelineDashboard } from './resources/dashboard.js';
import { deliveryMetrics } from './resources/delivery-metrics.js';
import { artifactStore } from './resources/artifacts.js';
import type { ProjectSpec } from './resources/build.js';
import { buildAndPushSpec, codeBuildProject, scanGateSpec, testSpec } from './resources/build.js';
import type { KeyPolicyProps } from './resources/encryption.js';
import { attachSbomSpec, secretsScanSpec, staticAnalysisSpec, verifySignatureSpec } from './resources/checks.js';
import { encryption, STACK_KEY } from './resources/encryption.js';
import { codeDeployEngine } from './resources/engines/codedeploy.js';
import type { DeploymentEngine } from './resources/engines/engine.js';
import { ecsEngine } from './resources/engines/ecs.js';
import { loadBalancing, network, PRODUCTION_CLIENTS } from './resources/network.js';
import {
  cloudWatchAlarmsPublisher,
  eventBridgePublisher,
  NOTIFICATION_TOPIC,
  NOTIFICATION_TOPIC_ARN_TEXT,
  notificationTopic,
  pipelineEventsRule,
} from './resources/notifications.js';
import { chatChannels } from './resources/chat.js';
import { deliveryPipeline } from './resources/pipeline.js';
import { logGroup } from './resources/logging.js';
import { imageRegistry } from './resources/registry.js';
import { imageSigning } from './resources/signing.js';
import { serviceScaling } from './resources/scaling.js';
import { sourceTriggers } from './resources/triggers.js';
import { pullRequestSpecs } from './resources/pull-requests.js';
import { fargateService } from './resources/service.js';
import type { PipelineFacts } from './resources/service-catalog.js';
import { pipelineFacts, serviceCatalogProduct } from './resources/service-catalog.js';
import { Params } from './naming.js';

/** The deployment engines a build config chooses between. */
export const DEPLOYMENT_ENGINES: Readonly<Record<Engine, DeploymentEngine>> = {
  ecs: ecsEngine,
  codedeploy: codeDeployEngine,
};

/** The alarms among `parts`: each notifies the topic, whose policy admits exactly these, and the dashboard shows them. */
const alarmsOf = (parts: readonly Part[]): Part[] => parts.filter((p) => p.resource.Type === 'AWS::CloudWatch::Alarm');
const alarmIdsOf = (parts: readonly Part[]): string[] => alarmsOf(parts).map((p) => p.id);

/** What the key policy must name among `parts`: each log group's `!Sub` name, functions, the topic alarms notify. */
function keyUsersOf(parts: readonly Part[]): KeyPolicyProps {
  const model = TemplateModel.of({ Resources: resources(parts) });
  const logGroupNames = model.ofType('AWS::Logs::LogGroup').map(([id, r]) => {
    const name = nameText(propertiesOf(r)['LogGroupName']);
    if (name === undefined) throw new Error(`log group ${id} has no LogGroupName the key policy can name`);
    return name;
  });
  return {
    logGroupNames,
    functions: model.ofType('AWS::Lambda::Function').length > 0,
    ...(alarmIdsOf(parts).length > 0 && { alarmTopicArn: NOTIFICATION_TOPIC_ARN_TEXT }),
  };
}

/** The CI/CD pipeline template, deploying with the config's engine. */
export function pipelineTemplate(config: BuildConfig = DEFAULT_CONFIG): Template {
  const engineName = config.deployment.engine;
  const engine = DEPLOYMENT_ENGINES[engineName];
  const key = STACK_KEY;
  const artifacts = artifactStore({ key });
  const registry = imageRegistry({ key });
  const net = network({ clientPorts: [PRODUCTION_CLIENTS, ...engine.clientPorts] });
  const balancing = loadBalancing(net);
  const alarms = deploymentAlarms(balancing, NOTIFICATION_TOPIC);
  const routing = engine.routing({ key, loadBalancing: balancing, alarms });
  const service = fargateService({
    key,
    repository: registry.repository,
    network: net,
    loadBalancing: balancing,
    deployment: routing.service,
  });
  const project = (spec: ProjectSpec) => codeBuildProject({ key, artifacts }, spec);
  const scaling = serviceScaling({ service, loadBalancing: balancing });
  const deployment = engine.deployment({ key, artifacts, loadBalancing: balancing, service, alarms, project });
  const signing = imageSigning(registry.repository);
  // CodePipeline's managed-compute actions (InspectorScan) log to this name; created here, it is KMS-encrypted and expires.
  const actionLogName = `/aws/codepipeline/${physicalNameText('pipeline')}`;
  const actionLogs = logGroup({
    id: Ids.PipelineActionLogGroup,
    nameType: 'pipeline-actions',
    logGroupName: actionLogName,
    key,
  });

  const stages: PipelineStage[] = [
    { name: 'Source', actions: gitHubSource(key) },
    {
      name: 'Build',
      actions: [
        codeBuildAction({
          name: 'Build',
          category: 'Build',
          project: project(buildAndPushSpec(registry.repository, signing.profileArn, engine.deployFiles)),
          input: ARTIFACTS.source,
          output: ARTIFACTS.build,
          namespace: BUILD_VARIABLES,
        }),
        // The source checks run beside the image build: a finding fails the stage as early as the build would.
        codeBuildAction({
          name: 'SecretsScan',
          category: 'Test',
          project: project(secretsScanSpec()),
          input: ARTIFACTS.source,
        }),
        codeBuildAction({
          name: 'StaticAnalysis',
          category: 'Test',
          project: project(staticAnalysisSpec()),
          input: ARTIFACTS.source,
        }),
        inspectorScanAction({
          name: 'SourceDependencyScan',
          target: { source: ARTIFACTS.source },
          output: ARTIFACTS.sourceSbom,
          logGroupName: actionLogName,
        }),
      ],
    },
    {
      name: 'Test',
      actions: [
        codeBuildAction({
          name: 'UnitTests',
          category: 'Test',
          project: project(testSpec('unit', Params.UnitTestBuildspec)),
          input: ARTIFACTS.source,
        }),
        codeBuildAction({
          name: 'IntegrationTests',
          category: 'Test',
          project: project(testSpec('integration', Params.IntegrationTestBuildspec)),
          input: ARTIFACTS.source,
        }),
      ],
    },
    {
      name: 'SecurityScan',
      actions: [
        codeBuildAction({
          name: 'ImageScanGate',
          category: 'Test',
          project: project(scanGateSpec(registry.repository)),
          input: ARTIFACTS.build,
        }),
        inspectorScanAction({
          name: 'ImageDependencyScan',
          target: { repository: registry.repository, imageTag: `#{${BUILD_VARIABLES}.IMAGE_TAG}` },
          output: ARTIFACTS.imageSbom,
          logGroupName: actionLogName,
        }),
        // After the scans: the SBOM they wrote goes onto the image, and the signature is checked last before Deploy.
        codeBuildAction({
          name: 'AttachSbom',
          category: 'Build',
          project: project(attachSbomSpec(registry.repository)),
          input: ARTIFACTS.build,
          secondaryInputs: [ARTIFACTS.imageSbom],
          runOrder: 2,
        }),
        codeBuildAction({
          name: 'VerifySignature',
          category: 'Test',
          project: project(verifySignatureSpec(registry.repository, signing.profileArn)),
          input: ARTIFACTS.build,
          runOrder: 2,
        }),
      ],
    },
    deployment.stage,
  ];
  const pipeline = deliveryPipeline({ key, artifacts, stages, triggers: sourceTriggers(SOURCE_ACTION_NAME) });
  // Beside the pipeline, never in it: a pull request reaches neither SecurityScan nor Deploy.
  const pullRequestChecks = pullRequestSpecs().flatMap((spec) => project(spec).parts);
  const serving: Part[] = [
    ...net.parts,
    ...balancing.parts,
    ...routing.parts,
    ...service.parts,
    ...scaling.parts,
    ...deployment.parts,
  ];
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
    alarms: alarmsOf([...serving, ...delivery.parts]),
  });
  const measuring: Part[] = [...delivery.parts, dashboard];
  // The topic comes after its publishers: its policy admits exactly the template's alarms.
  const notifications = notificationTopic({
    key,
    publishers: [
      eventBridgePublisher(Ids.PipelineEventsRule),
      cloudWatchAlarmsPublisher(alarmIdsOf([...serving, ...measuring])),
    ],
  });
  const eventsRule = pipelineEventsRule(notifications.topic, pipeline.pipeline.id);
  const chat = chatChannels({
    topic: notifications.topic,
    pipelineId: pipeline.pipeline.id,
    alarmIds: alarmIdsOf([...serving, ...measuring]),
  });

  const rest: Part[] = [
    artifacts.bucket,
    artifacts.policy,
    registry.repository,
    signing.profile,
    signing.configuration,
    actionLogs,
    ...pipeline.parts,
    ...pullRequestChecks,
    notifications.topic,
    notifications.policy,
    notifications.emailSubscription,
    eventsRule,
    ...chat.parts,
    ...serving,
    ...measuring,
  ];
  // The key comes first in the template and last here: its policy names every log group exactly.
  const security = encryption(keyUsersOf(rest));
  const parts: Part[] = [security.key, security.alias, ...rest];
  const groups = pipelineParameterGroups(engineName);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `cfn-cicd: CI/CD pipeline for a containerised service. GitHub -> CodeBuild (docker build, push to ECR) -> unit and integration tests -> image scan gate -> ${engine.summary}.`,
    Metadata: interfaceMetadata(groups),
    Parameters: parametersSection(groups),
    Rules: pipelineRules(engineName),
    Mappings: pipelineMappings(engineName),
    Conditions: pipelineConditions(engineName),
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
      ...notifications.outputs,
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

/** Every template the build writes, by file name. */
export const EMITTED_TEMPLATES: Readonly<Record<string, (config: BuildConfig) => Template>> = {
  [PIPELINE_TEMPLATE_FILE]: pipelineTemplate,
  [SERVICE_CATALOG_TEMPLATE_FILE]: (config) => serviceCatalogTemplate(config),
};
