// What both compositions share: the stages that build and check the image once (Source, Build,
// Test, SecurityScan), what one environment runs (network, load balancer, alarms, the engine's
// routes, the service and its scaling), and the key policy's view of a stack's parts.
import type { Part } from './cfn/template.js';
import type { NetworkChoice } from './config.js';
import { resources } from './cfn/template.js';
import type { AccountRole } from './iam/policy.js';
import { nameText, propertiesOf } from './model/resource.js';
import { TemplateModel } from './model/template.js';
import { Ids, Params, physicalNameText } from './naming.js';
import type { PipelineStage } from './resources/actions.js';
import { ARTIFACTS, BUILD_VARIABLES, codeBuildAction, gitHubSource, inspectorScanAction } from './resources/actions.js';
import { deploymentAlarms } from './resources/alarms.js';
import type { ArtifactStore } from './resources/artifacts.js';
import { artifactStore } from './resources/artifacts.js';
import type { BuildProject, DeployFiles, ProjectSpec } from './resources/build.js';
import { buildAndPushSpec, codeBuildProject, scanGateSpec, testSpec } from './resources/build.js';
import { attachSbomSpec, secretsScanSpec, staticAnalysisSpec, verifySignatureSpec } from './resources/checks.js';
import type { KeyPolicyProps, KeyRef } from './resources/encryption.js';
import { STACK_KEY } from './resources/encryption.js';
import type { DeploymentEngine, Routing } from './resources/engines/engine.js';
import { logGroup } from './resources/logging.js';
import type { LoadBalancing, Network } from './resources/network.js';
import { loadBalancing, network, PRODUCTION_CLIENTS } from './resources/network.js';
import type { Named, Value } from './intrinsics.js';
import type { NotificationTopic } from './resources/notifications.js';
import {
  cloudWatchAlarmsPublisher,
  eventBridgePublisher,
  NOTIFICATION_TOPIC_ARN_TEXT,
  notificationTopic,
  pipelineEventsRule,
} from './resources/notifications.js';
import { chatChannels } from './resources/chat.js';
import type { ImageRegistry } from './resources/registry.js';
import { imageRegistry } from './resources/registry.js';
import type { ServiceScaling } from './resources/scaling.js';
import { serviceScaling } from './resources/scaling.js';
import type { FargateService } from './resources/service.js';
import { fargateService } from './resources/service.js';
import type { ImageSigning } from './resources/signing.js';
import { imageSigning } from './resources/signing.js';
import { pullRequestSpecs } from './resources/pull-requests.js';

/** The alarms among `parts`: each notifies the topic, whose policy admits exactly these, and the dashboard shows them. */
export const alarmsOf = (parts: readonly Part[]): Part[] =>
  parts.filter((p) => p.resource.Type === 'AWS::CloudWatch::Alarm');
export const alarmIdsOf = (parts: readonly Part[]): string[] => alarmsOf(parts).map((p) => p.id);

/** What the key policy must name among `parts`: each log group's `!Sub` name, functions, the topic alarms notify. */
export function keyUsersOf(parts: readonly Part[]): KeyPolicyProps {
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

/** Where images are built, kept and signed, and how the pipeline's build projects are made. */
export interface BuildOnce {
  readonly key: KeyRef;
  readonly artifacts: ArtifactStore;
  readonly registry: ImageRegistry;
  readonly signing: ImageSigning;
  /** The log group CodePipeline's managed-compute actions write to, under the name they use. */
  readonly actionLogs: Part;
  /** A CodeBuild project from its spec, with its own log group and role. */
  readonly project: (spec: ProjectSpec) => BuildProject;
  /** Source, Build, Test and SecurityScan: the image is built, tested and checked once, here. */
  readonly stages: readonly PipelineStage[];
  /** The stores, in the order the template lists them (the stages' projects come with their actions). */
  readonly parts: readonly Part[];
  /** Beside the pipeline, never in it: the pull-request checks, which reach neither SecurityScan nor a deploy. */
  readonly beside: readonly Part[];
}

/** The stores and the four stages every pipeline starts with; `deployFiles` are what its deployment reads. */
export function buildOnce(
  deployFiles: DeployFiles,
  /** Roles of other accounts: deploy roles read artifacts, task execution roles pull the image. @default - none */
  others: { readonly artifactReaders?: readonly AccountRole[]; readonly pullers?: readonly AccountRole[] } = {},
): BuildOnce {
  const key = STACK_KEY;
  const artifacts = artifactStore({ key, ...(others.artifactReaders && { readers: others.artifactReaders }) });
  const registry = imageRegistry({ key, ...(others.pullers && { pullers: others.pullers }) });
  const project = (spec: ProjectSpec) => codeBuildProject({ key, artifacts }, spec);
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
          project: project(buildAndPushSpec(registry.repository, signing.profileArn, deployFiles)),
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
  ];
  return {
    key,
    artifacts,
    registry,
    signing,
    actionLogs,
    project,
    stages,
    parts: [
      artifacts.bucket,
      artifacts.policy,
      registry.repository,
      signing.profile,
      signing.configuration,
      actionLogs,
    ],
    beside: pullRequestSpecs().flatMap((spec) => project(spec).parts),
  };
}

/** What one environment runs: the service behind its load balancer, the alarms, the engine's routes. */
export interface Serving {
  readonly network: Network;
  readonly loadBalancing: LoadBalancing;
  /** The 5xx and unhealthy-host alarms a deployment rolls back on. */
  readonly alarms: readonly Part[];
  readonly routing: Routing;
  readonly service: FargateService;
  readonly scaling: ServiceScaling;
  /** Network, load balancing, routes, service and scaling, in template order (the alarms come with the deployment). */
  readonly parts: readonly Part[];
}

export function serving(props: {
  readonly engine: DeploymentEngine;
  readonly key: KeyRef;
  /** The repository the tasks pull from. */
  readonly repositoryArn: Value<string>;
  /** The topic the alarms notify. */
  readonly topic: Named;
  /** The network the template creates, or the team's own VPC. @default 'create' */
  readonly network?: NetworkChoice;
}): Serving {
  const { engine, key } = props;
  const net = network({
    clientPorts: [PRODUCTION_CLIENTS, ...engine.clientPorts],
    choice: props.network ?? 'create',
    key,
    repositoryArn: props.repositoryArn,
  });
  const balancing = loadBalancing(net);
  const alarms = deploymentAlarms(balancing, props.topic);
  const routing = engine.routing({ key, loadBalancing: balancing, alarms });
  const service = fargateService({
    key,
    repositoryArn: props.repositoryArn,
    network: net,
    loadBalancing: balancing,
    deployment: routing.service,
  });
  const scaling = serviceScaling({ service, loadBalancing: balancing });
  return {
    network: net,
    loadBalancing: balancing,
    alarms,
    routing,
    service,
    scaling,
    parts: [...net.parts, ...balancing.parts, ...routing.parts, ...service.parts, ...scaling.parts],
  };
}

/** A pipeline's topic, the events rule that feeds it and the chat channels that read it. */
export interface PipelineNotifications {
  readonly topic: NotificationTopic;
  /** Topic, policy, subscription, events rule and chat channels, in template order. */
  readonly parts: readonly Part[];
}

/** The topic comes after its publishers: its policy admits the pipeline's events rule and exactly `alarms`. */
export function pipelineNotifications(props: {
  readonly key: KeyRef;
  readonly pipelineId: string;
  /** Every alarm of the template: each notifies the topic, and the chat guardrail may read them. */
  readonly alarms: readonly Part[];
}): PipelineNotifications {
  const alarmIds = alarmIdsOf(props.alarms);
  const topic = notificationTopic({
    key: props.key,
    publishers: [eventBridgePublisher(Ids.PipelineEventsRule), cloudWatchAlarmsPublisher(alarmIds)],
  });
  const eventsRule = pipelineEventsRule(topic.topic, props.pipelineId);
  const chat = chatChannels({ topic: topic.topic, pipelineId: props.pipelineId, alarmIds });
  return { topic, parts: [topic.topic, topic.policy, topic.emailSubscription, eventsRule, ...chat.parts] };
}
