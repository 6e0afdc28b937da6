// What a deployment engine gives the template: how clients reach the target groups, what it
// decides about the service, the files its build needs, and the resources and pipeline stage that
// deploy each new image. Two engines implement it: ecs.ts (the default) and codedeploy.ts.
import type { Output, Part } from '../../cfn/template.js';
import type { PipelineStage } from '../actions.js';
import type { ArtifactStore } from '../artifacts.js';
import type { BuildProject, DeployFiles, ProjectSpec } from '../build.js';
import type { KeyRef } from '../encryption.js';
import type { ClientPort, LoadBalancing } from '../network.js';
import type { FargateService, ServiceDeployment } from '../service.js';

/** Listeners and rules in front of the target groups, and what the engine asks of the service. */
export interface Routing {
  readonly parts: readonly Part[];
  readonly outputs: Record<string, Output>;
  readonly service: ServiceDeployment;
}

/** What the engine's routing may use. */
export interface RoutingContext {
  readonly key: KeyRef;
  readonly loadBalancing: LoadBalancing;
  /** The 5xx and unhealthy-host alarms a deployment rolls back on (the deployment phase emits them). */
  readonly alarms: readonly Part[];
}

/** What the engine's deployment phase may use. */
export interface DeploymentContext {
  readonly key: KeyRef;
  readonly artifacts: ArtifactStore;
  readonly loadBalancing: LoadBalancing;
  readonly service: FargateService;
  /** The 5xx and unhealthy-host alarms a deployment rolls back on; the deployment emits them. */
  readonly alarms: readonly Part[];
  /** A CodeBuild project from its spec, with its own log group and role. */
  readonly project: (spec: ProjectSpec) => BuildProject;
}

/** The resources that deploy new images and the pipeline's Deploy stage. */
export interface Deployment {
  readonly parts: readonly Part[];
  readonly outputs: Record<string, Output>;
  readonly stage: PipelineStage;
}

export interface DeploymentEngine {
  /** What the pipeline deploys with, for the template's description. */
  readonly summary: string;
  /** Load balancer ports beyond production, and who may reach them. */
  readonly clientPorts: readonly ClientPort[];
  /** Files the build writes for the Deploy stage, beyond imageDetail.json. */
  readonly deployFiles: DeployFiles;
  routing(context: RoutingContext): Routing;
  deployment(context: DeploymentContext): Deployment;
}
