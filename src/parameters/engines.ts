// What each deployment engine adds to the pipeline template's inputs: its image parameter, its
// listeners, its traffic-shifting settings and which parameters cannot change once the stack exists.
import type { Engine } from '../config.js';
import { equals, not, or, ref } from '../intrinsics.js';
import { Conditions, Mappings, Params } from '../naming.js';
import type { ParameterSpec } from './spec.js';
import { IPV4_CIDR, PORT } from './spec.js';
import { STARTER_IMAGE } from './containers.js';

/** The ways production traffic moves to a new version; each engine maps them onto its own settings. */
export const DEPLOYMENT_STRATEGIES = [
  'AllAtOnce',
  'Canary10Percent5Minutes',
  'Canary10Percent15Minutes',
  'Linear10PercentEvery1Minutes',
  'Linear10PercentEvery3Minutes',
] as const;
export type DeploymentStrategy = (typeof DEPLOYMENT_STRATEGIES)[number];

/** The CodeDeploy predefined ECS configuration each strategy selects. */
export const CODEDEPLOY_CONFIGS: Readonly<Record<DeploymentStrategy, string>> = {
  AllAtOnce: 'CodeDeployDefault.ECSAllAtOnce',
  Canary10Percent5Minutes: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
  Canary10Percent15Minutes: 'CodeDeployDefault.ECSCanary10Percent15Minutes',
  Linear10PercentEvery1Minutes: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  Linear10PercentEvery3Minutes: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
};

/** The Amazon ECS deployment strategy each selects: its kind, the share per step and the minutes between steps. */
export const ECS_STRATEGIES: Readonly<
  Record<DeploymentStrategy, { Strategy: 'BLUE_GREEN' | 'CANARY' | 'LINEAR'; Percent: number; StepMinutes: number }>
> = {
  AllAtOnce: { Strategy: 'BLUE_GREEN', Percent: 100, StepMinutes: 0 },
  Canary10Percent5Minutes: { Strategy: 'CANARY', Percent: 10, StepMinutes: 5 },
  Canary10Percent15Minutes: { Strategy: 'CANARY', Percent: 10, StepMinutes: 15 },
  Linear10PercentEvery1Minutes: { Strategy: 'LINEAR', Percent: 10, StepMinutes: 1 },
  Linear10PercentEvery3Minutes: { Strategy: 'LINEAR', Percent: 10, StepMinutes: 3 },
};

/** The longest ECS bake time that keeps a paused linear deployment within CloudFormation's 33 hours. */
export const ECS_MAX_BAKE_MINUTES = 1200;

/** The same parameter, fixed after creation for this reason. */
const fixed = (spec: ParameterSpec, why: string): ParameterSpec => ({ ...spec, fixedAfterCreate: why });
const fixedIn = (specs: readonly ParameterSpec[], name: string, why: string): ParameterSpec[] =>
  specs.map((s) => (s.name === name ? fixed(s, why) : s));

const IMAGE_PATTERN = '^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$';
const IMAGE_CONSTRAINT = 'an image reference registry/repository:tag or registry/repository@sha256:digest';

const strategy = (description: string): ParameterSpec => ({
  name: Params.DeploymentStrategy,
  label: 'Traffic-shifting strategy',
  definition: {
    Type: 'String',
    Description: description,
    Default: 'Canary10Percent5Minutes',
    AllowedValues: DEPLOYMENT_STRATEGIES,
    ConstraintDescription: `one of ${DEPLOYMENT_STRATEGIES.join(', ')}`,
  },
});

const bakeMinutes = (max: number, description: string): ParameterSpec => ({
  name: Params.BlueTerminationWaitMinutes,
  label: 'Minutes to keep the old tasks',
  definition: {
    Type: 'Number',
    Description: description,
    Default: 5,
    MinValue: 0,
    MaxValue: max,
    ConstraintDescription: `a whole number of minutes from 0 to ${max} (${max / 60} hours)`,
  },
});

const HTTP_5XX_THRESHOLD: ParameterSpec = {
  name: Params.Http5xxAlarmThreshold,
  label: '5xx alarm threshold',
  definition: {
    Type: 'Number',
    Description: 'Target 5xx responses per minute that raise the rollback alarm during a deployment.',
    Default: 5,
    MinValue: 1,
    MaxValue: 10000,
    ConstraintDescription: 'a whole number from 1 to 10000',
  },
};

// An update that re-sends a listener re-sends its default action too: forwarding to the blue group,
// which after an odd number of CodeDeploy deployments is the idle one.
const LISTENER_FIXED =
  'updating a listener points it back at the blue target group, which CodeDeploy may have left idle; deploy a new stack';
const TASK_NETWORK_FIXED =
  'ECS takes a new network configuration for a CODE_DEPLOY service only through a CodeDeploy deployment, never a stack update (UpdateService); deploy a new stack';
const CONTAINER_PORT_FIXED =
  'the target groups (named, so never replaced) and the service are created on this port; deploy a new stack';

// Image and ReleaseId change with each release; an update that gives them must give the running ones.
const RELEASED =
  'leave it out so the stack keeps the running release (an update with another value would redeploy that image); new images come through the pipeline';

/** What an engine adds to the common groups. */
export interface EngineParameters {
  /** The Service group: the common parameters, some fixed, and the engine's image parameter. */
  readonly service: (common: readonly ParameterSpec[]) => ParameterSpec[];
  /** The Network group: the common parameters, some fixed, and the engine's test listener. */
  readonly network: (common: readonly ParameterSpec[]) => ParameterSpec[];
  /** The Blue/green deployment group. */
  readonly deployment: readonly ParameterSpec[];
}

export const ENGINE_PARAMETERS: Readonly<Record<Engine, EngineParameters>> = {
  codedeploy: {
    service: (common) => [
      ...fixedIn(
        fixedIn(
          common,
          Params.ContainerName,
          'the service names its load-balanced container at creation, and ECS refuses new load balancers for a CODE_DEPLOY service; deploy a new stack',
        ),
        Params.ContainerPort,
        CONTAINER_PORT_FIXED,
      ),
      {
        name: Params.InitialImage,
        label: 'Initial image',
        definition: {
          Type: 'String',
          Description:
            'Image the service starts with before the first pipeline run; the pipeline deploys its own images afterwards.',
          Default: STARTER_IMAGE,
          AllowedPattern: IMAGE_PATTERN,
          ConstraintDescription: IMAGE_CONSTRAINT,
        },
      },
    ],
    network: (common) => [
      ...[Params.TaskSubnets, Params.PrivateSubnetIds].reduce(
        (specs, name) => fixedIn(specs, name, TASK_NETWORK_FIXED),
        fixedIn(common, Params.ProductionPort, LISTENER_FIXED),
      ),
      {
        name: Params.TestTrafficCidr,
        label: 'Test listener CIDR',
        definition: {
          Type: 'String',
          Description:
            'IPv4 CIDR admitted to the test listener, which serves the new version before production traffic; the VPC by default.',
          Default: VPC_CIDR,
          AllowedPattern: IPV4_CIDR,
          ConstraintDescription: 'an IPv4 CIDR block such as 10.40.0.0/16 or 203.0.113.0/24',
        },
      },
      fixed(
        {
          name: Params.TestPort,
          label: 'Test listener port',
          definition: {
            ...PORT,
            Description: 'Load balancer port that serves the new (green) tasks during a deployment.',
            Default: 8080,
          },
        },
        LISTENER_FIXED,
      ),
    ],
    deployment: [
      strategy('How CodeDeploy moves production traffic to the new tasks.'),
      bakeMinutes(
        2880,
        'Minutes the old (blue) tasks keep running after traffic has moved, for a fast manual rollback.',
      ),
      HTTP_5XX_THRESHOLD,
    ],
  },
  ecs: {
    service: (common) => [
      ...fixedIn(common, Params.ContainerPort, CONTAINER_PORT_FIXED),
      {
        name: Params.Image,
        label: 'Image',
        definition: {
          Type: 'String',
          Description:
            'Image the service runs. The pipeline sets it to each image it builds and scans; a stack update that leaves it out keeps the running one.',
          Default: STARTER_IMAGE,
          AllowedPattern: IMAGE_PATTERN,
          ConstraintDescription: IMAGE_CONSTRAINT,
        },
        setByPipeline: RELEASED,
      },
      {
        name: Params.ReleaseId,
        label: 'Release (set by the pipeline)',
        definition: {
          Type: 'String',
          Description:
            'Pipeline execution that released the running image, written on the service as its Release tag; the pipeline sets it.',
          Default: 'initial',
          AllowedPattern: '^[A-Za-z0-9-]{1,64}$',
          ConstraintDescription: '1-64 letters, digits and hyphens (a pipeline execution ID)',
        },
        setByPipeline: RELEASED,
      },
    ],
    network: (common) => [...common],
    deployment: [
      strategy('How Amazon ECS moves production traffic to the new tasks: all at once, or canary or linear steps.'),
      // CloudFormation refuses an ECS deployment whose bake time, steps and hook timeouts exceed 33 hours
      // (AWS::ECS::Service DeploymentConfiguration): 1200 + 27 linear-step minutes + 5 smoke + 720 pause = 1952.
      bakeMinutes(
        ECS_MAX_BAKE_MINUTES,
        'Minutes both versions keep running after production traffic has moved (ECS bake time), for a fast rollback.',
      ),
      HTTP_5XX_THRESHOLD,
      {
        name: Params.SmokeTest,
        label: 'Smoke test before production traffic',
        definition: {
          Type: 'String',
          Description:
            'Whether a Lambda function requests the new tasks through the test route before production traffic moves; it reaches the load balancer from the internet, so disable it when AllowedIngressCidr shuts that out.',
          Default: 'enabled',
          AllowedValues: ['enabled', 'disabled'],
          ConstraintDescription: 'enabled or disabled',
        },
      },
      {
        name: Params.SmokeTestPath,
        label: 'Smoke test path (optional)',
        definition: {
          Type: 'String',
          Description:
            'A second path the smoke test requests after HealthCheckPath; a non-2xx answer rolls the deployment back. Empty for none.',
          Default: '',
          AllowedPattern: '^$|^/[A-Za-z0-9._~/?=&%-]{0,1023}$',
          ConstraintDescription: 'empty, or a path starting with / of letters, digits and . _ ~ / ? = & % -',
        },
      },
      {
        name: Params.PauseBeforeProduction,
        label: 'Wait for a person before production traffic',
        definition: {
          Type: 'String',
          Description:
            'Whether each deployment pauses before production traffic moves until someone continues it (aws ecs continue-service-deployment); it rolls back after 12 hours.',
          Default: 'false',
          AllowedValues: ['true', 'false'],
          ConstraintDescription: 'true or false',
        },
      },
    ],
  },
};

/** The VPC the template creates; the CodeDeploy engine's TestTrafficCidr defaults to it. */
export const VPC_CIDR = '10.40.0.0/16';

/** Template Rules of an engine. */
export function engineRules(engine: Engine): Record<string, unknown> {
  if (engine === 'ecs') return {};
  return {
    // Two listeners on one port: the second fails at create (ELB DuplicateListener).
    DistinctListenerPorts: {
      Assertions: [
        {
          Assert: not(equals(ref(Params.ProductionPort), ref(Params.TestPort))),
          AssertDescription: 'ProductionPort and TestPort must differ: each is its own listener on the load balancer',
        },
      ],
    },
  };
}

const strategiesOf = (kind: 'CANARY' | 'LINEAR') =>
  DEPLOYMENT_STRATEGIES.filter((s) => ECS_STRATEGIES[s].Strategy === kind).map((s) =>
    equals(ref(Params.DeploymentStrategy), s),
  );

/** Template Conditions of an engine. */
export function engineConditions(engine: Engine): Record<string, unknown> {
  if (engine === 'codedeploy') return {};
  return {
    [Conditions.IsCanaryDeployment]: or(...strategiesOf('CANARY')),
    [Conditions.IsLinearDeployment]: or(...strategiesOf('LINEAR')),
    [Conditions.HasSmokeTest]: equals(ref(Params.SmokeTest), 'enabled'),
    [Conditions.PauseBeforeProduction]: equals(ref(Params.PauseBeforeProduction), 'true'),
  };
}

/** Template Mappings of an engine: strategy → its settings. */
export function engineMappings(engine: Engine): Record<string, Record<string, Record<string, string | number>>> {
  if (engine === 'codedeploy') {
    return {
      [Mappings.DeploymentConfigs]: Object.fromEntries(
        Object.entries(CODEDEPLOY_CONFIGS).map(([name, config]) => [name, { Name: config }]),
      ),
    };
  }
  return { [Mappings.EcsStrategies]: { ...ECS_STRATEGIES } };
}
