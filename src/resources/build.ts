// CodeBuild projects: one builder that gives each project its own KMS log group and role, and the
// specs of the platform's projects (build-and-push, the application's tests, the image scan gate).
// Buildspecs the platform owns are inline so reviewers read them in the template; the application's
// test buildspecs stay in its repository.
import yaml from 'js-yaml';
import { Project, ReportGroup } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import {
  ARTIFACT_BUCKET_INFO,
  ARTIFACT_READ,
  ARTIFACT_WRITE,
  CODEBUILD_REPORTS,
  ECR_DESCRIBE_IMAGES,
  ECR_LOGIN,
  ECR_PULL,
  ECR_PUSH,
  ECR_SCAN_READ,
  KMS_ARTIFACTS,
  KMS_DECRYPT,
  LOGS_WRITE,
  SIGNER_SIGN,
} from '../iam/actions.js';
import type { Role, Statement } from '../iam/policy.js';
import { allow, allowAnyResource, serviceRole } from '../iam/policy.js';
import type { Value } from '../intrinsics.js';
import { arn, getAtt, ref, sub } from '../intrinsics.js';
import type { SubJson } from '../intrinsics.js';
import { Params, physicalName, physicalNameText, projectIds, ProjectStems } from '../naming.js';
import { ARCHITECTURE_SETTINGS, architectureSetting } from '../parameters/architecture.js';
import type { ArtifactStore } from './artifacts.js';
import type { KeyRef } from './encryption.js';
import type { LogGroup } from './logging.js';
import { logGroup } from './logging.js';
import type { Repository } from './registry.js';
import { SCAN_GATE_SCRIPT } from './scripts/scan-gate.js';

export type Project = InstanceType<typeof Project>;
type ProjectSource = ConstructorParameters<typeof Project>[0]['Source'];
type ProjectTriggers = NonNullable<ConstructorParameters<typeof Project>[0]['Triggers']>;

/** The file the build writes with the pushed image's digest; every later stage reads the image from it. */
export const IMAGE_DETAIL_FILE = 'imageDetail.json';

/** More files a deployment engine needs in the build's output artifact: name → content (`!Sub` text and its variables). */
export type DeployFiles = Readonly<Record<string, SubJson>>;

/** Curated CodeBuild image: Docker, AWS CLI v2 and Python 3 included. */
export const BUILD_IMAGE = ARCHITECTURE_SETTINGS.x86_64.BuildImage;

export const dumpBuildspec = (spec: object): string =>
  yaml.dump(spec, { lineWidth: -1, noRefs: true, quotingType: "'" });

/** A buildspec the platform owns: bash (CodeBuild's Linux default is sh), which the lint test checks its commands as. */
export const platformBuildspec = <T extends object>(
  spec: T,
  env?: { readonly variables?: Readonly<Record<string, string>>; readonly 'exported-variables'?: readonly string[] },
) => ({ version: 0.2, env: { shell: 'bash', ...env }, ...spec });

/** What the build exports for later actions (the InspectorScan image scan reads the tag). */
export const BUILD_EXPORTED_VARIABLES = ['IMAGE_TAG', 'IMAGE_DIGEST'] as const;

/** Buildspec of build-and-push: log in, build once per commit SHA, push, write the image detail and the engine's files. */
export function buildAndPushBuildspec(deployFiles: DeployFiles = {}): Value<string> {
  const heredoc = (file: string, body: string, marker: string) => `cat > ${file} <<'${marker}'\n${body}\n${marker}\n`;
  const spec = platformBuildspec(
    {
      phases: {
        pre_build: {
          commands: [
            'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$REGISTRY"',
            'IMAGE_TAG="$CODEBUILD_RESOLVED_SOURCE_VERSION"',
            'echo "Image tag (commit SHA): $IMAGE_TAG"',
          ],
        },
        build: {
          'on-failure': 'ABORT',
          commands: [
            // Tags are immutable: a re-run for the same commit reuses the image already pushed.
            [
              'if aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" >/dev/null 2>&1; then',
              '  echo "Image $IMAGE_TAG already pushed"',
              'else',
              // The last image pushed is the layer cache (ECR as the registry cache): BuildKit pulls only the layers it reuses.
              `  CACHE_TAG=$(aws ecr describe-images --repository-name "$REPOSITORY_NAME" --filter tagStatus=TAGGED --query 'sort_by(imageDetails,&imagePushedAt)[-1].imageTags[0]' --output text 2>/dev/null || true)`,
              '  CACHE_FROM=()',
              '  if [ -n "$CACHE_TAG" ] && [ "$CACHE_TAG" != None ]; then CACHE_FROM=(--cache-from "$REPOSITORY_URI:$CACHE_TAG"); fi',
              // `${!…}` is the !Sub escape: the buildspec runs `${CACHE_FROM[@]}`.
              '  DOCKER_BUILDKIT=1 docker build --platform "$DOCKER_PLATFORM" "${!CACHE_FROM[@]}" --build-arg BUILDKIT_INLINE_CACHE=1 --tag "$REPOSITORY_URI:$IMAGE_TAG" . && docker push "$REPOSITORY_URI:$IMAGE_TAG"',
              'fi',
            ].join('\n'),
          ],
        },
        post_build: {
          'on-failure': 'ABORT',
          commands: [
            'IMAGE_DIGEST=$(aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$IMAGE_TAG" --query "imageDetails[0].imageDigest" --output text)',
            `printf '{"ImageURI":"%s"}\\n' "$REPOSITORY_URI@$IMAGE_DIGEST" > ${IMAGE_DETAIL_FILE}`,
            ...Object.entries(deployFiles).map(([file, content]) =>
              heredoc(file, content.text, (file.split('.')[0] as string).toUpperCase()),
            ),
          ],
        },
      },
      artifacts: { files: [IMAGE_DETAIL_FILE, ...Object.keys(deployFiles)] },
    },
    { 'exported-variables': [...BUILD_EXPORTED_VARIABLES] },
  );
  const vars = Object.assign({}, ...Object.values(deployFiles).map((f) => f.vars)) as Record<string, Value<unknown>>;
  const text = dumpBuildspec(spec);
  // Without a `${name}` to fill in (the ECS engine writes no deploy files), the text is plain: cfn-lint's
  // W1020 calls a !Sub without variables needless, and only !Sub reads `${!…}` as an escape.
  return /\$\{(?!!)/.test(text) ? sub(text, vars) : text.replaceAll('${!', '${');
}

/** The pushed image's URI, from the build's imageDetail.json (the input artifact). */
const IMAGE_URI_COMMAND = `IMAGE_URI=$(python3 -c 'import json; print(json.load(open("${IMAGE_DETAIL_FILE}"))["ImageURI"])')`;
/** Its digest, the part after the @. */
const IMAGE_DIGEST_COMMAND = 'IMAGE_DIGEST="${IMAGE_URI#*@}"';

/**
 * A buildspec that runs one Python script of ours (src/resources/scripts/) on the pushed image's
 * digest, or its URI, (and `args`), with python3 and the aws CLI of the build image.
 */
export function imageScriptBuildspec(
  what: string,
  script: string,
  argument: 'IMAGE_URI' | 'IMAGE_DIGEST' = 'IMAGE_DIGEST',
  args = '',
  /** Commands between reading the image and the script, such as pointing the CLI elsewhere. */
  setup: readonly string[] = [],
): string {
  return dumpBuildspec(
    platformBuildspec({
      phases: {
        build: {
          commands: [
            IMAGE_URI_COMMAND,
            ...setup,
            // Only a script that reads the digest gets it: ShellCheck calls an unused variable a warning.
            ...(`${argument}${args}`.includes('IMAGE_DIGEST') ? [IMAGE_DIGEST_COMMAND] : []),
            `echo "${what} for $IMAGE_URI"`,
            `python3 - "$${argument}"${args} <<'PY'\n${script}PY\n`,
          ],
        },
      },
    }),
  );
}

/** Buildspec of the scan gate: the digest from the build's imageDetail.json, then the gate script (scripts/scan-gate.ts). */
export const securityScanBuildspec = (): string => imageScriptBuildspec('Scan gate', SCAN_GATE_SCRIPT);

/** Where every project reads and writes: the stack key and the artifact bucket. */
export interface ProjectStore {
  readonly key: KeyRef;
  readonly artifacts: ArtifactStore;
}

/** One project with its log group and role. */
export interface BuildProject {
  readonly project: Part<Project>;
  readonly logGroup: Part<LogGroup>;
  readonly role: Part<Role>;
  /** The three, in template order. */
  readonly parts: readonly Part[];
}

/** A project GitHub starts through CodeBuild's own webhook, not the pipeline: it reads no pipeline artifact. */
export interface WebhookSource {
  /** The project's Source without its BuildSpec: a GITHUB location and how CodeBuild authenticates to it. */
  readonly source: Readonly<Record<string, unknown>>;
  /** The project's Triggers: the webhook and the events it builds. */
  readonly triggers: Readonly<Record<string, unknown>>;
}

/** What a CodeBuild project runs and may do; the rest (logs, artifacts, key) every project shares. */
export interface ProjectSpec {
  /** Stem of the logical IDs: `<stem>Project`, `<stem>LogGroup`, `<stem>Role`. */
  readonly stem: string;
  /** Physical name type: the project is `cicd-<nameType>-<suffix>`. */
  readonly nameType: string;
  readonly description: string;
  readonly buildspec: Value<string>;
  /** Docker-in-Docker. @default false */
  readonly privileged?: boolean;
  /** Plain-text environment variables. @default - none */
  readonly environment?: Readonly<Record<string, Value<string>>>;
  /** Statements beyond its own logs, artifact reads and key use. @default - none */
  readonly statements?: readonly Statement[];
  /** The project writes an output artifact. @default false */
  readonly writesArtifacts?: boolean;
  /** @default 20 */
  readonly timeoutInMinutes?: number;
  /** Keep Docker layers between builds on the same host. @default false */
  readonly dockerCache?: boolean;
  /** Keep the paths the buildspec's `cache:` names (pip's downloads) between builds on the same host. @default false */
  readonly pipCache?: boolean;
  /**
   * Report groups for the application's JUnit (`tests`) and coverage (`coverage`) reports, exported
   * KMS-encrypted to the artifact bucket; the role may write to these two only. @default false
   */
  readonly reports?: boolean;
  /** Started by a GitHub webhook instead of the pipeline. @default - the pipeline's input artifact */
  readonly webhook?: WebhookSource;
  /** Condition every resource of the project carries. @default - always created */
  readonly condition?: string;
  /**
   * Runs on the Architecture parameter's CPU: a project that builds the image builds it natively for
   * the tasks. @default false - x86_64, where the checks' pinned tools and the tests run
   */
  readonly onServiceArchitecture?: boolean;
}

/** Report names an application's buildspec uses: CodeBuild looks up `<project name>-<report name>`. */
export const REPORT_NAMES = { tests: 'TEST', coverage: 'CODE_COVERAGE' } as const;

/** The two report groups of a project, exported to `reports/<project name>/` in the artifact bucket. */
function reportGroups(store: ProjectStore, spec: ProjectSpec, ids: ReturnType<typeof projectIds>): Part[] {
  return Object.entries(REPORT_NAMES).map(([name, type]) =>
    part(
      name === 'tests' ? ids.testReports : ids.coverageReports,
      new ReportGroup({
        // CodeBuild's name for a buildspec's report `<name>` is `<project name>-<name>` (CodeBuild User Guide, "Report group naming").
        Name: sub(`${physicalNameText(spec.nameType)}-${name}`),
        Type: type,
        // The stack can delete a group that holds reports; their raw data stays in the bucket until it expires.
        DeleteReports: true,
        ExportConfig: {
          ExportConfigType: 'S3',
          S3Destination: {
            Bucket: ref(store.artifacts.bucket),
            Path: sub(`reports/${physicalNameText(spec.nameType)}`),
            Packaging: 'NONE',
            EncryptionDisabled: false,
            EncryptionKey: getAtt(store.key, 'Arn'),
          },
        },
      }),
    ),
  );
}

/** A CodeBuild project from its spec: its own 7-day KMS log group and its own least-privilege role. */
export function codeBuildProject(store: ProjectStore, spec: ProjectSpec): BuildProject {
  const ids = projectIds(spec.stem);
  const group = logGroup({ id: ids.logGroup, nameType: `${spec.nameType}-logs`, key: store.key });
  const bucketArn = getAtt(store.artifacts.bucket, 'Arn');
  const objects = sub(`\${${store.artifacts.bucket.id}.Arn}/*`);
  const writes = spec.writesArtifacts ?? false;
  const piped = spec.webhook === undefined;
  const reports = spec.reports ? reportGroups(store, spec, ids) : [];
  const role = serviceRole({
    id: ids.role,
    nameType: `${spec.nameType}-role`,
    service: 'codebuild.amazonaws.com',
    description: `CodeBuild project ${physicalNameText(spec.nameType)}`,
    sourceArn: arn('codebuild', `project/${physicalNameText(spec.nameType)}`),
    statements: [
      allow('WriteOwnLogs', LOGS_WRITE, [getAtt(group, 'Arn')]),
      // A webhook project reads its source from GitHub: the pipeline's artifacts are none of its business.
      ...(piped
        ? [
            allow('ReadArtifactBucket', ARTIFACT_BUCKET_INFO, [bucketArn]),
            allow('ReadArtifacts', writes ? [...ARTIFACT_READ, ...ARTIFACT_WRITE] : ARTIFACT_READ, [objects]),
          ]
        : []),
      allow('UseStackKey', writes || reports.length > 0 ? KMS_ARTIFACTS : KMS_DECRYPT, [getAtt(store.key, 'Arn')]),
      ...(reports.length > 0
        ? [
            allow(
              'PublishToOwnReportGroups',
              CODEBUILD_REPORTS,
              reports.map((group) => ref(group)),
            ),
            // CodeBuild exports the raw report files with the project's role (CodeBuild User Guide, "Create a report group").
            allow('ExportOwnReports', ARTIFACT_WRITE, [
              sub(`\${${store.artifacts.bucket.id}.Arn}/reports/${physicalNameText(spec.nameType)}/*`),
            ]),
          ]
        : []),
      ...(spec.statements ?? []),
    ],
  });
  const project = part(
    ids.project,
    new Project({
      Name: physicalName(spec.nameType),
      Description: spec.description,
      ServiceRole: getAtt(role, 'Arn'),
      EncryptionKey: getAtt(store.key, 'Arn'),
      Source: { ...(spec.webhook?.source ?? { Type: 'CODEPIPELINE' }), BuildSpec: spec.buildspec } as ProjectSource,
      Artifacts: { Type: piped ? 'CODEPIPELINE' : 'NO_ARTIFACTS' },
      ...(spec.webhook !== undefined && { Triggers: spec.webhook.triggers as ProjectTriggers }),
      Environment: {
        Type: spec.onServiceArchitecture ? architectureSetting('BuildEnvironment') : 'LINUX_CONTAINER',
        // ARM_CONTAINER offers BUILD_GENERAL1_SMALL too (CodeBuild User Guide, "Build environment compute modes and types").
        ComputeType: 'BUILD_GENERAL1_SMALL',
        Image: spec.onServiceArchitecture ? architectureSetting('BuildImage') : BUILD_IMAGE,
        ImagePullCredentialsType: 'CODEBUILD',
        PrivilegedMode: spec.privileged ?? false,
        EnvironmentVariables: Object.entries(spec.environment ?? {}).map(([Name, Value]) => ({
          Name,
          Value,
          Type: 'PLAINTEXT',
        })),
      },
      LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: ref(group) } },
      TimeoutInMinutes: spec.timeoutInMinutes ?? 20,
      QueuedTimeoutInMinutes: 60,
      Cache: {
        Type: 'LOCAL',
        Modes: [
          ...(spec.dockerCache ? ['LOCAL_DOCKER_LAYER_CACHE'] : []),
          'LOCAL_SOURCE_CACHE',
          ...(spec.pipCache ? ['LOCAL_CUSTOM_CACHE'] : []),
        ],
      },
    }),
  );
  const parts = [group, ...reports, role, project];
  if (spec.condition !== undefined) for (const p of parts) p.resource.condition(spec.condition);
  return { project, logGroup: group, role, parts };
}

/**
 * Build-and-push: docker build once per commit SHA, push to this repository, write the image detail
 * and the engine's deploy files. ECR managed signing signs the push as this role, with `signingProfileArn`.
 */
export function buildAndPushSpec(
  repository: Part<Repository>,
  signingProfileArn: Value<string>,
  deployFiles: DeployFiles = {},
): ProjectSpec {
  return {
    stem: ProjectStems.Build,
    nameType: 'build',
    description: 'Builds the Docker image, pushes it to ECR tagged with the commit SHA, writes the deploy files',
    buildspec: buildAndPushBuildspec(deployFiles),
    // Docker-in-Docker needs privileged mode; it is the only project that has it.
    privileged: true,
    environment: {
      REPOSITORY_NAME: ref(repository),
      REPOSITORY_URI: getAtt(repository, 'RepositoryUri'),
      REGISTRY: sub('${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}'),
      DOCKER_PLATFORM: architectureSetting('DockerPlatform'),
    },
    onServiceArchitecture: true,
    statements: [
      allow('PushToThisRepository', [...ECR_PUSH, ...ECR_PULL, ...ECR_DESCRIBE_IMAGES], [getAtt(repository, 'Arn')]),
      allowAnyResource('RegistryLogin', ECR_LOGIN),
      allow('SignPushesWithTheSigningProfile', SIGNER_SIGN, [signingProfileArn]),
    ],
    writesArtifacts: true,
    timeoutInMinutes: 30,
    dockerCache: true,
  };
}

/** The application's own tests, run with the buildspec at the path the parameter names. */
export function testSpec(kind: 'unit' | 'integration', buildspecParameter: string): ProjectSpec {
  return {
    stem: kind === 'unit' ? ProjectStems.UnitTest : ProjectStems.IntegrationTest,
    nameType: `${kind}-tests`,
    description: `Runs the application's ${kind} tests with its own buildspec`,
    buildspec: ref(buildspecParameter),
    reports: true,
  };
}

/** The image scan gate: fails when ECR finds anything at or above the severity threshold. */
export function scanGateSpec(repository: Part<Repository>): ProjectSpec {
  return {
    stem: ProjectStems.SecurityScan,
    nameType: 'security-scan',
    description: 'Image scan gate: fails when ECR finds anything at or above the severity threshold',
    buildspec: securityScanBuildspec(),
    environment: { REPOSITORY_NAME: ref(repository), SCAN_SEVERITY_THRESHOLD: ref(Params.ScanSeverityThreshold) },
    statements: [allow('ReadScanFindingsOfThisRepository', ECR_SCAN_READ, [getAtt(repository, 'Arn')])],
  };
}
