// The pipeline: a list of stages, each a list of self-contained actions (src/resources/actions.ts).
// Its role is a small baseline (the artifact store and the key) plus the union of the actions' grants;
// its parts are the resources the actions bring, then the role and the pipeline.
import type { StageDeclaration } from 'cloudform-types/types/codePipeline/pipeline.js';
import type { Output, Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import { PipelineV2 } from '../cfn/extensions.js';
import { ARTIFACT_BUCKET_INFO, ARTIFACT_READ, ARTIFACT_WRITE, KMS_ARTIFACTS } from '../iam/actions.js';
import type { Role, Statement } from '../iam/policy.js';
import { allow, serviceRole } from '../iam/policy.js';
import type { Value } from '../intrinsics.js';
import { arn, getAtt, ifCondition, ref, sub } from '../intrinsics.js';
import { Ids, physicalName, physicalNameText } from '../naming.js';
import type { PipelineStage } from './actions.js';
import { actionProperties, allActions, isChoice, stageGrants } from './actions.js';
import type { ArtifactStore } from './artifacts.js';
import type { KeyRef } from './encryption.js';

export interface PipelineProps {
  readonly key: KeyRef;
  readonly artifacts: ArtifactStore;
  /** The stages, in order. */
  readonly stages: readonly PipelineStage[];
  /** The V2 triggers of the source actions. @default - none: each source action starts the pipeline itself */
  readonly triggers?: Value<unknown>;
  /**
   * Artifact stores in other Regions where actions run, and the pipeline's own Region they join in
   * ArtifactStores. @default - every action runs in the pipeline's Region: one ArtifactStore
   */
  readonly elsewhere?: { readonly home: string; readonly stores: readonly RegionalStore[] };
}

/** An artifact store in another Region, as the pipeline names it. */
export interface RegionalStore {
  readonly region: string;
  /** `!Sub` text of its bucket's name: the regional stack's bucket, named as the pipeline's own is. */
  readonly bucketNameText: string;
  /** Its key, from the pipeline's parameter (CodePipeline takes only a key ID or ARN for cross-account actions). */
  readonly keyArn: Value<string>;
}

/** The pipeline role's use of the regional stores: it writes the artifacts CodePipeline copies there. */
export function regionalStoreGrants(stores: readonly RegionalStore[]): Statement[] {
  if (stores.length === 0) return [];
  const bucketArns = stores.map((s) => sub(`arn:\${AWS::Partition}:s3:::${s.bucketNameText}`));
  return [
    allow('ReadRegionalArtifactBuckets', ARTIFACT_BUCKET_INFO, bucketArns),
    allow(
      'ReadWriteRegionalArtifacts',
      [...ARTIFACT_READ, ...ARTIFACT_WRITE],
      stores.map((s) => sub(`arn:\${AWS::Partition}:s3:::${s.bucketNameText}/*`)),
    ),
    allow(
      'UseRegionalArtifactKeys',
      KMS_ARTIFACTS,
      stores.map((s) => s.keyArn),
    ),
  ];
}

export interface DeliveryPipeline {
  readonly pipeline: Part;
  readonly role: Part<Role>;
  readonly parts: readonly Part[];
  readonly outputs: Record<string, Output>;
}

/** A stage as CloudFormation's Stages[] takes it; a choice of actions becomes one `!If`. */
function stageProperties(stage: PipelineStage): StageDeclaration {
  const actions = stage.actions;
  return {
    Name: stage.name,
    Actions: isChoice(actions)
      ? ifCondition(actions.condition, actions.whenTrue.map(actionProperties), actions.whenFalse.map(actionProperties))
      : actions.map(actionProperties),
    ...(stage.onFailure !== undefined && { OnFailure: stage.onFailure }),
    ...(stage.onSuccess !== undefined && { OnSuccess: stage.onSuccess }),
  } as StageDeclaration;
}

export function deliveryPipeline(props: PipelineProps): DeliveryPipeline {
  const pipelineName = physicalNameText('pipeline');
  const role = serviceRole({
    id: Ids.PipelineRole,
    nameType: 'pipeline-role',
    service: 'codepipeline.amazonaws.com',
    description: `CodePipeline ${pipelineName}`,
    sourceArn: arn('codepipeline', pipelineName),
    // CodePipeline's service-role pages show no confused-deputy keys on AssumeRole.
    confusedDeputyKeysOptional: true,
    statements: [
      allow('ReadArtifactBucket', ARTIFACT_BUCKET_INFO, [getAtt(props.artifacts.bucket, 'Arn')]),
      allow(
        'ReadWriteArtifacts',
        [...ARTIFACT_READ, ...ARTIFACT_WRITE],
        [sub(`\${${props.artifacts.bucket.id}.Arn}/*`)],
      ),
      allow('UseStackKey', KMS_ARTIFACTS, [getAtt(props.key, 'Arn')]),
      ...regionalStoreGrants(props.elsewhere?.stores ?? []),
      ...stageGrants(props.stages),
    ],
  });
  const homeStore = {
    Type: 'S3',
    Location: ref(props.artifacts.bucket),
    EncryptionKey: { Type: 'KMS', Id: getAtt(props.key, 'Arn') },
  };
  const pipeline = part(
    Ids.Pipeline,
    new PipelineV2({
      Name: physicalName('pipeline'),
      RoleArn: getAtt(role, 'Arn'),
      PipelineType: 'V2',
      // The newest commit wins: a waiting execution is superseded, a running stage finishes.
      ExecutionMode: 'SUPERSEDED',
      RestartExecutionOnUpdate: false,
      ...(props.elsewhere === undefined
        ? { ArtifactStore: homeStore }
        : {
            ArtifactStores: [
              { Region: props.elsewhere.home, ArtifactStore: homeStore },
              ...props.elsewhere.stores.map((s) => ({
                Region: s.region,
                ArtifactStore: {
                  Type: 'S3',
                  Location: sub(s.bucketNameText),
                  EncryptionKey: { Type: 'KMS', Id: s.keyArn },
                },
              })),
            ],
          }),
      Stages: props.stages.map(stageProperties),
      ...(props.triggers !== undefined && { Triggers: props.triggers }),
    }),
  );
  return {
    pipeline,
    role,
    // A project several actions run (one release project for every environment) is listed once.
    parts: [...new Set(allActions(props.stages).flatMap((a) => a.parts ?? [])), role, pipeline],
    outputs: {
      PipelineName: { Description: 'CodePipeline name.', Value: ref(pipeline) },
      PipelineConsoleUrl: {
        Description: 'The pipeline in the AWS console.',
        Value: sub(
          `https://\${AWS::Region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/\${${Ids.Pipeline}}/view?region=\${AWS::Region}`,
        ),
      },
      ...Object.assign({}, ...allActions(props.stages).map((a) => a.stackOutputs ?? {})),
    },
  };
}
