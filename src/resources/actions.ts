// Pipeline actions as self-contained units: each carries its configuration, its artifacts, the
// resources it brings and the statements the pipeline role needs to run it (as CDK's actions do
// when bound to a stage). The pipeline role is a small baseline plus the union of these grants.
import type { ActionDeclaration } from 'cloudform-types/types/codePipeline/pipeline.js';
import { Webhook } from '../cfn/resources.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { retain } from '../cfn/extensions.js';
import {
  CODEBUILD_RUN,
  CODECONNECTIONS_USE,
  ECR_LOGIN,
  ECR_PULL_FOR_TASKS,
  INSPECTOR_SCAN,
  LOGS_CREATE_AND_WRITE,
} from '../iam/actions.js';
import type { Statement } from '../iam/policy.js';
import { allow, allowAnyResource } from '../iam/policy.js';
import type { IntrinsicFunction, Value } from '../intrinsics.js';
import { arn, getAtt, ifCondition, noValue, ref, sub } from '../intrinsics.js';
import { Conditions, Ids, Params, physicalName } from '../naming.js';
import type { BuildProject } from './build.js';
import type { KeyRef } from './encryption.js';
import type { Repository } from './registry.js';
import { generatedToken, TOKEN_KEY } from './secrets.js';

/** Artifact names passed between stages. */
export const ARTIFACTS = {
  source: 'SourceOutput',
  build: 'BuildOutput',
  /** Amazon Inspector's SBOM of the source's dependencies, with their vulnerabilities. */
  sourceSbom: 'SourceSbom',
  /** Amazon Inspector's SBOM of the pushed image, with its vulnerabilities. */
  imageSbom: 'ImageSbom',
} as const;
/** Namespace of the Build action's exported variables (IMAGE_TAG, IMAGE_DIGEST), read as `#{BuildVariables.IMAGE_TAG}`. */
export const BUILD_VARIABLES = 'BuildVariables';

/** A pipeline role statement: plain, or kept and dropped by a condition (`!If`). */
export type Grant = Statement | IntrinsicFunction;

/** One action of a stage, with everything it needs. */
export interface PipelineAction {
  readonly name: string;
  readonly actionTypeId: {
    readonly Category: 'Source' | 'Build' | 'Test' | 'Deploy' | 'Approval' | 'Invoke';
    readonly Owner: 'AWS' | 'ThirdParty' | 'Custom';
    readonly Provider: string;
    readonly Version: '1';
  };
  readonly configuration: Readonly<Record<string, unknown>>;
  /** Artifacts it reads. @default - none */
  readonly inputs?: readonly string[];
  /** Artifacts it writes. @default - none */
  readonly outputs?: readonly string[];
  /** Actions of a stage with the same run order run in parallel, lower first. @default 1 */
  readonly runOrder?: number;
  /** Namespace its output variables are read under. @default - none */
  readonly namespace?: string;
  /** The Region it runs in; the pipeline needs an artifact store there. @default - the pipeline's Region */
  readonly region?: string;
  /** A role in another account CodePipeline assumes to run it (`!Sub` text). @default - the pipeline role */
  readonly roleArn?: Value<string>;
  /** What the pipeline role needs to run it. @default - nothing beyond the baseline */
  readonly grants?: readonly Grant[];
  /** Resources it brings into the template (a build project, a webhook). @default - none */
  readonly parts?: readonly Part[];
  /** Stack outputs about those resources. @default - none */
  readonly stackOutputs?: Readonly<Record<string, Output>>;
}

/** Actions chosen at deploy time by a template condition: `!If [condition, whenTrue, whenFalse]`. */
export interface ActionChoice {
  readonly condition: string;
  readonly whenTrue: readonly PipelineAction[];
  readonly whenFalse: readonly PipelineAction[];
}

/** One stage: its actions, in order, and what CodePipeline V2 does when it fails or succeeds. */
export interface PipelineStage {
  readonly name: string;
  readonly actions: readonly PipelineAction[] | ActionChoice;
  /** `ROLLBACK`: a failed stage is run again with the last successful execution's artifacts. @default - it stays failed */
  readonly onFailure?: { readonly Result: 'ROLLBACK' };
  /** Conditions checked once the actions succeeded, e.g. alarms that must stay quiet. @default - none */
  readonly onSuccess?: { readonly Conditions: readonly StageCondition[] };
}

/** A stage condition: rules (CloudWatchAlarm, …) and what a rule that does not pass does. */
export interface StageCondition {
  readonly Result: 'FAIL' | 'ROLLBACK';
  readonly Rules: readonly {
    readonly Name: string;
    readonly RuleTypeId: {
      readonly Category: 'Rule';
      readonly Owner: 'AWS';
      readonly Provider: string;
      readonly Version: '1';
    };
    readonly Configuration: Readonly<Record<string, unknown>>;
    /** The Region whose alarms it reads. @default - the pipeline's Region */
    readonly Region?: string;
    /** The role it reads them with, in another account. @default - the pipeline role */
    readonly RoleArn?: Value<string>;
  }[];
}

export const isChoice = (actions: PipelineStage['actions']): actions is ActionChoice => 'condition' in actions;

/** A CodeBuild project run as a Build or Test action; the pipeline may start and follow exactly it. */
export function codeBuildAction(props: {
  readonly name: string;
  readonly category: 'Build' | 'Test';
  readonly project: BuildProject;
  /** The primary source, in CODEBUILD_SRC_DIR. */
  readonly input: string;
  /** More inputs, each in CODEBUILD_SRC_DIR_<name>. @default - none */
  readonly secondaryInputs?: readonly string[];
  readonly output?: string;
  /** Variables this run passes to the build, such as `#{codepipeline.PipelineExecutionId}`. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 1 */
  readonly runOrder?: number;
  /** @default - none */
  readonly namespace?: string;
}): PipelineAction {
  const secondary = props.secondaryInputs ?? [];
  const variables = Object.entries(props.environment ?? {}).map(([name, value]) => ({
    name,
    value,
    type: 'PLAINTEXT',
  }));
  return {
    name: props.name,
    actionTypeId: { Category: props.category, Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
    configuration: {
      ProjectName: ref(props.project.project),
      ...(secondary.length > 0 && { PrimarySource: props.input }),
      // A value naming a template value (`${…}`) makes the whole list a !Sub.
      ...(variables.length > 0 && {
        EnvironmentVariables: variables.some((v) => v.value.includes('${'))
          ? sub(JSON.stringify(variables))
          : JSON.stringify(variables),
      }),
    },
    inputs: [props.input, ...secondary],
    ...(props.output !== undefined && { outputs: [props.output] }),
    ...(props.runOrder !== undefined && { runOrder: props.runOrder }),
    ...(props.namespace !== undefined && { namespace: props.namespace }),
    grants: [allow('RunTheseBuildProjects', CODEBUILD_RUN, [getAtt(props.project.project, 'Arn')])],
    parts: props.project.parts,
  };
}

/** What an InspectorScan action scans: the source's dependency manifests, or an image pushed to a repository. */
export type InspectorTarget =
  | { readonly source: string }
  | { readonly repository: Part<Repository>; readonly imageTag: string };

/**
 * Amazon Inspector's software composition analysis as a CodePipeline managed-compute action: it
 * writes an SBOM with the vulnerabilities found as its output artifact and fails on any finding at
 * or above ScanSeverityThreshold (a threshold is the count a severity may reach; none = no limit).
 * It runs as the pipeline role and logs to /aws/codepipeline/<pipeline name>.
 */
export function inspectorScanAction(props: {
  readonly name: string;
  readonly target: InspectorTarget;
  readonly output: string;
  /** `!Sub` text of the log group the action writes to, /aws/codepipeline/<pipeline name>. */
  readonly logGroupName: string;
}): PipelineAction {
  const image = 'repository' in props.target ? props.target : undefined;
  const atOrAbove = (condition: string) => ifCondition(condition, '0', noValue());
  const logs = props.logGroupName;
  return {
    name: props.name,
    actionTypeId: { Category: 'Invoke', Owner: 'AWS', Provider: 'InspectorScan', Version: '1' },
    configuration: {
      InspectorRunMode: image === undefined ? 'SourceCodeScan' : 'ECRImageScan',
      ...(image !== undefined && { ECRRepositoryName: ref(image.repository), ImageTag: image.imageTag }),
      CriticalThreshold: '0',
      HighThreshold: atOrAbove(Conditions.ScanBlocksHigh),
      MediumThreshold: atOrAbove(Conditions.ScanBlocksMedium),
      LowThreshold: atOrAbove(Conditions.ScanBlocksLow),
    },
    ...('source' in props.target && { inputs: [props.target.source] }),
    outputs: [props.output],
    grants: [
      allowAnyResource('ScanSbomsWithInspector', INSPECTOR_SCAN),
      allow('WriteManagedActionLogs', LOGS_CREATE_AND_WRITE, [
        arn('logs', `log-group:${logs}`),
        arn('logs', `log-group:${logs}:*`),
      ]),
      ...(image === undefined
        ? []
        : [
            allow('PullTheImageToScan', ECR_PULL_FOR_TASKS, [getAtt(image.repository, 'Arn')]),
            // The scan pulls the image through the registry's login, as the pipeline role.
            allowAnyResource('RegistryLoginToScan', ECR_LOGIN),
          ]),
    ],
  };
}

/** The HMAC secret GitHub signs webhook deliveries with, and the webhook that starts the pipeline. */
function gitHubWebhook(key: KeyRef): Part[] {
  const secret = part(
    Ids.WebhookSecret,
    retain(
      generatedToken({
        nameType: 'webhook-secret',
        description: 'HMAC secret GitHub signs webhook deliveries with',
        key,
        length: 40,
      }),
    ).condition(Conditions.UseGitHubWebhook),
  );
  const webhook = part(
    Ids.PipelineWebhook,
    new Webhook({
      Name: physicalName('webhook'),
      Authentication: 'GITHUB_HMAC',
      AuthenticationConfiguration: {
        SecretToken: sub(`{{resolve:secretsmanager:\${${Ids.WebhookSecret}}:SecretString:${TOKEN_KEY}}}`),
      },
      Filters: [{ JsonPath: '$.ref', MatchEquals: 'refs/heads/{Branch}' }],
      TargetPipeline: ref(Ids.Pipeline),
      TargetAction: 'GitHub',
      TargetPipelineVersion: getAtt(Ids.Pipeline, 'Version'),
      RegisterWithThirdParty: true,
    }).condition(Conditions.UseGitHubWebhook),
  );
  return [secret, webhook];
}

/**
 * The Source stage's one action: a CodeConnections connection when CodeConnectionArn is set, else
 * GitHub (version 1) with the token by dynamic reference and an HMAC webhook.
 */
/** Name of the Source stage's action, which the pipeline's trigger names. */
export const SOURCE_ACTION_NAME = 'GitHub';

export function gitHubSource(key: KeyRef): ActionChoice {
  const outputs = [ARTIFACTS.source];
  const connection: PipelineAction = {
    name: SOURCE_ACTION_NAME,
    actionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'CodeStarSourceConnection', Version: '1' },
    configuration: {
      ConnectionArn: ref(Params.CodeConnectionArn),
      FullRepositoryId: sub(`\${${Params.GitHubOwner}}/\${${Params.GitHubRepo}}`),
      BranchName: ref(Params.GitHubBranch),
      OutputArtifactFormat: 'CODE_ZIP',
      // The pipeline's trigger (src/resources/triggers.ts) starts it; with filters CodePipeline wants this off.
      DetectChanges: false,
    },
    outputs,
    grants: [allow('UseThisConnection', CODECONNECTIONS_USE, [ref(Params.CodeConnectionArn)])],
  };
  const github: PipelineAction = {
    name: SOURCE_ACTION_NAME,
    actionTypeId: { Category: 'Source', Owner: 'ThirdParty', Provider: 'GitHub', Version: '1' },
    configuration: {
      Owner: ref(Params.GitHubOwner),
      Repo: ref(Params.GitHubRepo),
      Branch: ref(Params.GitHubBranch),
      OAuthToken: sub(
        `{{resolve:secretsmanager:\${${Params.GitHubTokenSecretArn}}:SecretString:\${${Params.GitHubTokenSecretKey}}}}`,
      ),
      // The webhook starts the pipeline; polling would cost API calls and delay.
      PollForSourceChanges: false,
    },
    outputs,
    parts: gitHubWebhook(key),
    stackOutputs: {
      WebhookUrl: {
        Description: 'GitHub webhook URL registered for the pipeline (GitHub token source only).',
        Value: getAtt(Ids.PipelineWebhook, 'Url'),
        Condition: Conditions.UseGitHubWebhook,
      },
    },
  };
  return { condition: Conditions.UseCodeConnection, whenTrue: [connection], whenFalse: [github] };
}

/** An action as CloudFormation's Stages[].Actions[] takes it. */
export function actionProperties(action: PipelineAction): ActionDeclaration {
  return {
    Name: action.name,
    ActionTypeId: { ...action.actionTypeId },
    Configuration: { ...action.configuration },
    ...(action.inputs !== undefined && { InputArtifacts: action.inputs.map((Name) => ({ Name })) }),
    ...(action.outputs !== undefined && { OutputArtifacts: action.outputs.map((Name) => ({ Name })) }),
    RunOrder: action.runOrder ?? 1,
    ...(action.namespace !== undefined && { Namespace: action.namespace }),
    ...(action.region !== undefined && { Region: action.region }),
    ...(action.roleArn !== undefined && { RoleArn: action.roleArn }),
  };
}

/** The pipeline role's statements for these stages: each action's grants, a statement ID once (its resources merged). */
export function stageGrants(stages: readonly PipelineStage[]): Grant[] {
  const merged = new Map<string, Statement>();
  const grants: Grant[] = [];
  const add = (grant: Grant, when?: { condition: string; holds: boolean }) => {
    if (when !== undefined) {
      grants.push(ifCondition(when.condition, when.holds ? grant : noValue(), when.holds ? noValue() : grant));
      return;
    }
    if (!('Effect' in grant) || grant.Sid === undefined) return void grants.push(grant);
    const earlier = merged.get(grant.Sid);
    if (earlier === undefined) {
      const copy = { ...grant, Resource: grant.Resource === '*' ? '*' : [...grant.Resource] } as Statement;
      merged.set(grant.Sid, copy);
      grants.push(copy);
      return;
    }
    if (JSON.stringify({ ...earlier, Resource: 0 }) !== JSON.stringify({ ...grant, Resource: 0 })) {
      throw new Error(
        `pipeline role statement ${grant.Sid}: two actions grant it with different actions or conditions`,
      );
    }
    if (earlier.Resource === '*' || grant.Resource === '*') return;
    // Two actions may grant the same resource (both InspectorScan actions write the one log group): once.
    const known = new Set(earlier.Resource.map((r) => JSON.stringify(r)));
    for (const r of grant.Resource) if (!known.has(JSON.stringify(r))) (earlier.Resource as unknown[]).push(r);
  };
  for (const stage of stages) {
    if (isChoice(stage.actions)) {
      const { condition } = stage.actions;
      for (const a of stage.actions.whenTrue) for (const g of a.grants ?? []) add(g, { condition, holds: true });
      for (const a of stage.actions.whenFalse) for (const g of a.grants ?? []) add(g, { condition, holds: false });
    } else {
      for (const a of stage.actions) for (const g of a.grants ?? []) add(g);
    }
  }
  return grants;
}

/** Every action of the stages, both branches of a choice included. */
export const allActions = (stages: readonly PipelineStage[]): PipelineAction[] =>
  stages.flatMap((s) => (isChoice(s.actions) ? [...s.actions.whenTrue, ...s.actions.whenFalse] : [...s.actions]));
