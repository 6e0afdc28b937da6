// CodeDeploy blue/green: CodeDeploy owns the service's task definition and moves the production and
// test listeners between the blue and green target groups by the chosen strategy, rolling back on
// failure or when an alarm fires. The build writes taskdef.json and appspec.yaml for it.
import { Application, DeploymentGroup } from '../../cfn/resources.js';
import { part } from '../../cfn/template.js';
import {
  CLOUDWATCH_DESCRIBE_ALARMS,
  CODEDEPLOY_APPLICATION,
  CODEDEPLOY_CONFIG,
  CODEDEPLOY_DEPLOY,
  CODEDEPLOY_ECS_SERVICE,
  CODEDEPLOY_ELB_LISTENERS,
  ECS_CREATE_TASK_SET,
  ECS_DELETE_TASK_SET,
  ECS_DESCRIBE_TASK_DEFINITION,
  ECS_REGISTER_TASK_DEFINITION,
  ELB_DESCRIBE,
} from '../../iam/actions.js';
import { allow, allowAnyResource, passRole, serviceRole } from '../../iam/policy.js';
import type { SubJson } from '../../intrinsics.js';
import { arn, findInMap, getAtt, ifCondition, ref, subJson } from '../../intrinsics.js';
import { Conditions, Ids, Mappings, Params, physicalName, physicalNameText } from '../../naming.js';
import { normalize } from '../../render/yaml.js';
import type { PipelineAction } from '../actions.js';
import { ARTIFACTS } from '../actions.js';
import type { ClientPort } from '../network.js';
import { productionListeners, serviceUrl, testListeners } from '../listeners.js';
import type { FargateService } from '../service.js';
import { CONTAINER_MEMORY_VARIABLE, spotWeights, taskDefinitionProperties } from '../service.js';
import type { DeploymentEngine } from './engine.js';

/** Files the CodeDeployToECS action reads from the build's output artifact. */
export const CODEDEPLOY_FILES = { taskDefinition: 'taskdef.json', appSpec: 'appspec.yaml' } as const;
/** Placeholder CodePipeline replaces with the pushed image URI in taskdef.json. */
export const IMAGE_PLACEHOLDER_NAME = 'IMAGE1_NAME';

// Written unquoted: JSON numbers and booleans, as RegisterTaskDefinition takes them.
const UNQUOTED = new Set<string>([Params.ContainerPort, Params.ReadOnlyRootFilesystem, CONTAINER_MEMORY_VARIABLE]);

/** taskdef.json: the task definition resource's own properties, camelCased as the ECS API takes them. */
export function taskDefinitionJson(): SubJson {
  const camel = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(camel);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => {
        // Long-form intrinsics and log-driver option names keep their spelling.
        const keep = k === 'Ref' || k.startsWith('Fn::') || k.startsWith('awslogs-');
        return [keep ? k : k.charAt(0).toLowerCase() + k.slice(1), camel(v)];
      }),
    );
  };
  const properties = taskDefinitionProperties(`<${IMAGE_PLACEHOLDER_NAME}>`, 'file');
  const { text, vars } = subJson(camel(normalize({ p: properties })['p']), UNQUOTED);
  // The mapping's text form: a `!Sub` variable takes strings.
  const memory = findInMap(Mappings.TaskSizes, ref(Params.TaskSize), 'Memory');
  return { text, vars: { ...vars, [CONTAINER_MEMORY_VARIABLE]: memory } };
}

/**
 * The AppSpec CodeDeploy reads: which service, container and port receive the new task set, and on
 * which capacity providers. CodeDeploy starts the replacement task set with the AppSpec's strategy,
 * not the service's (CodeDeploy User Guide, "AppSpec 'resources' section (Amazon ECS ...)").
 */
export function appSpec(): SubJson {
  return {
    text: [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      '        TaskDefinition: <TASK_DEFINITION>',
      '        LoadBalancerInfo:',
      `          ContainerName: "\${${Params.ContainerName}}"`,
      `          ContainerPort: \${${Params.ContainerPort}}`,
      '        CapacityProviderStrategy:',
      '          - CapacityProvider: FARGATE',
      '            Base: 0',
      '            Weight: ${FargateWeight}',
      '          - CapacityProvider: FARGATE_SPOT',
      '            Base: 0',
      '            Weight: ${SpotWeight}',
    ].join('\n'),
    vars: { FargateWeight: spotWeights('Fargate'), SpotWeight: spotWeights('Spot') },
  };
}

/** The test listener's clients: TestTrafficCidr (the VPC by default) on TestPort. */
const TEST_CLIENTS: ClientPort = {
  port: Params.TestPort,
  cidr: Params.TestTrafficCidr,
  description: 'test listener (green tasks before production traffic)',
};

/** CodeDeployToECS: a blue/green deployment of the build's task definition and AppSpec in one group. */
function codeDeployToEcsAction(application: string, group: string, service: FargateService): PipelineAction {
  return {
    name: 'BlueGreen',
    actionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'CodeDeployToECS', Version: '1' },
    configuration: {
      ApplicationName: ref(application),
      DeploymentGroupName: ref(group),
      TaskDefinitionTemplateArtifact: ARTIFACTS.build,
      TaskDefinitionTemplatePath: CODEDEPLOY_FILES.taskDefinition,
      AppSpecTemplateArtifact: ARTIFACTS.build,
      AppSpecTemplatePath: CODEDEPLOY_FILES.appSpec,
      Image1ArtifactName: ARTIFACTS.build,
      Image1ContainerName: IMAGE_PLACEHOLDER_NAME,
    },
    inputs: [ARTIFACTS.build],
    grants: [
      allow('DeployToThisGroup', CODEDEPLOY_DEPLOY, [
        arn('codedeploy', `deploymentgroup:\${${application}}/\${${group}}`),
      ]),
      allow('RegisterRevisionsOfThisApplication', CODEDEPLOY_APPLICATION, [
        arn('codedeploy', `application:\${${application}}`),
      ]),
      allow('ReadTheChosenDeploymentConfig', CODEDEPLOY_CONFIG, [
        arn('codedeploy', 'deploymentconfig:CodeDeployDefault.ECS*'),
      ]),
      allow('RegisterRevisionsOfTheTaskFamily', ECS_REGISTER_TASK_DEFINITION, [
        arn('ecs', `task-definition/${physicalNameText('app')}:*`),
      ]),
      allowAnyResource('DescribeTaskDefinitions', ECS_DESCRIBE_TASK_DEFINITION),
      passRole(
        'PassOnlyTheTaskRoles',
        [getAtt(service.executionRole, 'Arn'), getAtt(service.taskRole, 'Arn')],
        'ecs-tasks.amazonaws.com',
      ),
    ],
  };
}

export const codeDeployEngine: DeploymentEngine = {
  summary: 'ECS blue/green through CodeDeploy',
  clientPorts: [TEST_CLIENTS],
  deployFiles: { [CODEDEPLOY_FILES.taskDefinition]: taskDefinitionJson(), [CODEDEPLOY_FILES.appSpec]: appSpec() },

  routing({ loadBalancing: lb }) {
    // Both routes start on blue; CodeDeploy moves them between the groups afterwards. They depend
    // on green too, so a stack delete removes them before a group they may forward to by then.
    const toBlue = [{ Type: 'forward', TargetGroupArn: ref(lb.blueTargetGroup) }];
    const production = productionListeners(lb, toBlue, [lb.greenTargetGroup.id]);
    const test = testListeners(lb, toBlue, [lb.greenTargetGroup.id]);
    return {
      parts: [...production.parts, ...test.parts],
      outputs: {
        ProductionUrl: {
          Description: 'URL of the service (production listener).',
          Value: serviceUrl(Params.ProductionPort),
        },
        TestUrl: {
          Description: 'URL of the new tasks during a blue/green deployment (test listener).',
          Value: serviceUrl(Params.TestPort, 'same-port'),
        },
      },
      service: {
        controller: 'CODE_DEPLOY',
        image: ref(Params.InitialImage),
        // The family, not a revision: CodeDeploy owns the revision after creation, and ECS refuses a new
        // task definition through UpdateService for a CODE_DEPLOY service (ECS API Reference, UpdateService).
        // A changed TaskSize or image registers a new revision that the next pipeline deployment uses.
        taskDefinition: 'family',
        // The service starts only behind its listeners, and DependsOn cannot name the one a condition
        // chooses: tags that reference them order it after whichever exists.
        dependsOn: [],
        tags: [
          { Key: 'cicd:production-listener', Value: production.arn },
          { Key: 'cicd:test-listener', Value: test.arn },
        ],
      },
    };
  },

  deployment({ loadBalancing: lb, service, alarms }) {
    const application = part(
      Ids.CodeDeployApplication,
      new Application({ ApplicationName: physicalName('deploy-app'), ComputePlatform: 'ECS' }),
    );
    const serviceArn = ref(service.service);
    const role = serviceRole({
      id: Ids.CodeDeployRole,
      nameType: 'codedeploy-role',
      service: 'codedeploy.amazonaws.com',
      description: 'CodeDeploy: shifts traffic between the blue and green task sets of this one service',
      sourceArn: arn('codedeploy', `deploymentgroup:${physicalNameText('deploy-app')}/*`),
      statements: [
        allow('ManageThisService', CODEDEPLOY_ECS_SERVICE, [serviceArn]),
        allowAnyResource('CreateTaskSetsOfThisService', ECS_CREATE_TASK_SET, {
          ArnEquals: { 'ecs:service': serviceArn },
        }),
        allow('DeleteTaskSetsOfThisService', ECS_DELETE_TASK_SET, [
          arn('ecs', `task-set/${physicalNameText('cluster')}/${physicalNameText('service')}/*`),
        ]),
        allow('ShiftListenerTraffic', CODEDEPLOY_ELB_LISTENERS, [
          ifCondition(Conditions.ServesHttps, ref(Ids.ProductionHttpsListener), ref(Ids.ProductionListener)),
          ifCondition(Conditions.ServesHttps, ref(Ids.TestHttpsListener), ref(Ids.TestListener)),
          arn('elasticloadbalancing', `listener-rule/app/${physicalNameText('alb')}/*`),
        ]),
        allowAnyResource('DescribeLoadBalancing', ELB_DESCRIBE),
        // Each alarm by ARN: a `cicd-*-<suffix>` pattern would also match another environment ending in -<suffix>.
        allow(
          'ReadRollbackAlarms',
          CLOUDWATCH_DESCRIBE_ALARMS,
          alarms.map((a) => getAtt(a, 'Arn')),
        ),
        passRole(
          'PassTaskRoles',
          [getAtt(service.executionRole, 'Arn'), getAtt(service.taskRole, 'Arn')],
          'ecs-tasks.amazonaws.com',
        ),
      ],
    });
    const deploymentGroup = part(
      Ids.DeploymentGroup,
      new DeploymentGroup({
        ApplicationName: ref(application),
        DeploymentGroupName: physicalName('deploy-group'),
        ServiceRoleArn: getAtt(role, 'Arn'),
        DeploymentConfigName: findInMap(Mappings.DeploymentConfigs, ref(Params.DeploymentStrategy), 'Name'),
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        BlueGreenDeploymentConfiguration: {
          DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT', WaitTimeInMinutes: 0 },
          TerminateBlueInstancesOnDeploymentSuccess: {
            Action: 'TERMINATE',
            TerminationWaitTimeInMinutes: ref(Params.BlueTerminationWaitMinutes),
          },
        },
        AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
        AlarmConfiguration: { Enabled: true, Alarms: alarms.map((a) => ({ Name: ref(a) })) },
        ECSServices: [{ ClusterName: ref(service.cluster), ServiceName: getAtt(service.service, 'Name') }],
        LoadBalancerInfo: {
          TargetGroupPairInfoList: [
            {
              TargetGroups: [
                { Name: getAtt(lb.blueTargetGroup, 'TargetGroupName') },
                { Name: getAtt(lb.greenTargetGroup, 'TargetGroupName') },
              ],
              ProdTrafficRoute: {
                ListenerArns: [
                  ifCondition(Conditions.ServesHttps, ref(Ids.ProductionHttpsListener), ref(Ids.ProductionListener)),
                ],
              },
              TestTrafficRoute: {
                ListenerArns: [ifCondition(Conditions.ServesHttps, ref(Ids.TestHttpsListener), ref(Ids.TestListener))],
              },
            },
          ],
        },
      }),
    );
    return {
      parts: [application, role, ...alarms, deploymentGroup],
      outputs: {
        CodeDeployApplicationName: { Description: 'CodeDeploy application.', Value: ref(application) },
        DeploymentGroupName: { Description: 'CodeDeploy deployment group.', Value: ref(deploymentGroup) },
      },
      stage: { name: 'Deploy', actions: [codeDeployToEcsAction(application.id, deploymentGroup.id, service)] },
    };
  },
};
