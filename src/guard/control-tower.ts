// The AWS Control Tower proactive controls the emitted templates do not meet, each with its reason.
// test/guard/control-tower.test.ts runs all 237 controls on every emitted template and holds the
// findings to this table exactly (no finding outside it, no stale entry in it); docs/SECURITY.md
// shows it. A control that can be met cheaply is met in the builders instead (CT.KMS.PR.3).
import type { Json, JsonObject } from '../model/json.js';
import { asList, asMap, isJsonObject } from '../model/json.js';
import { propertiesOf } from '../model/resource.js';
import type { TemplateModel } from '../model/template.js';
import { Ids, projectIds, ProjectStems } from '../naming.js';

/**
 * Why a control is not met: `accepted`, a configuration chosen on purpose; `planned`, closed by a
 * part of an issue not yet built; `misread`, the template meets the control but the rule cannot
 * read how it says so (the test shows the rule passing on a rewritten copy); `configurable`, a
 * parameter decides, so the control passes for some values and fails for others (the escape hatch
 * or the cheaper choice), and fails on the template itself, whose conditions cfn-guard cannot
 * evaluate: the tests hold each configuration they deploy to the table.
 */
export type ExceptionKind = 'accepted' | 'planned' | 'misread' | 'configurable';

/** One control the templates do not meet. */
export interface ControlException {
  readonly kind: ExceptionKind;
  /** The logical IDs the control names in a template, sorted (none: the control passes or does not apply there). */
  readonly resources: (template: TemplateModel) => string[];
  readonly reason: string;
}

/** Every resource of these types the template has. */
const ofType =
  (...types: readonly string[]) =>
  (template: TemplateModel): string[] =>
    types.flatMap((type) => template.ofType(type).map(([id]) => id)).sort();
/** Those of these logical IDs the template has. */
const named =
  (...ids: readonly string[]) =>
  (template: TemplateModel): string[] =>
    template
      .resources()
      .map(([id]) => id)
      .filter((id) => ids.includes(id))
      .sort();

/** Those resources of `type` that `fails` picks, by what their properties say. */
const where =
  (type: string, fails: (properties: JsonObject) => boolean) =>
  (template: TemplateModel): string[] =>
    template
      .ofType(type)
      .filter(([, r]) => fails(propertiesOf(r)))
      .map(([id]) => id)
      .sort();

/** The container definitions of a task definition's properties. */
const containers = (properties: JsonObject): JsonObject[] =>
  asList(properties['ContainerDefinitions']).filter(isJsonObject);

/** The users CT.ECS.PR.3 counts as root (its ROOT_USER_PATTERNS). */
const isRoot = (user: Json | undefined): boolean =>
  user === undefined || user === 0 || (typeof user === 'string' && /^(0|root)(:.*)?$/.test(user));

/** The value of a load balancer attribute in its properties, as written (a parameter's reference on the template). */
const attribute = (properties: JsonObject, key: string): Json | undefined =>
  asList(properties['LoadBalancerAttributes'])
    .filter(isJsonObject)
    .find((a) => a['Key'] === key)?.['Value'];

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition';
const LOG_GROUPS = ofType('AWS::Logs::LogGroup');

export const CONTROL_TOWER_EXCEPTIONS: Readonly<Record<string, ControlException>> = {
  'CT.CLOUDWATCH.PR.2': {
    kind: 'accepted',
    resources: LOG_GROUPS,
    reason:
      'Logs are kept 7 days by design: build and service logs serve debugging of recent runs, and a year of them costs more than the pipeline. A team that must keep a year sets RetentionInDays to 365; the product’s own rule (CICD.LOGS) asks only that retention is set.',
  },
  'CT.CLOUDWATCH.PR.3': {
    kind: 'misread',
    resources: LOG_GROUPS,
    reason:
      'Every log group names the stack key (`KmsKeyId: !GetAtt PipelineKey.Arn`). cfn-guard 3.1.1 reads the short form `!GetAtt PipelineKey.Arn` as the string `PipelineKey.Arn`, and the control accepts a local reference only in the list form; the template as CloudFormation reads it (long form) passes.',
  },
  'CT.CODEBUILD.PR.1': {
    kind: 'misread',
    resources: where(
      'AWS::CodeBuild::Project',
      (p) => isJsonObject(p['Source']) && isJsonObject(p['Source']['Location']),
    ),
    reason:
      'The pull-request check projects read `!Sub https://github.com/${GitHubOwner}/${GitHubRepo}.git` and authenticate through the connection (`Auth: CODECONNECTIONS`), so the URL holds no credential: the owner and repository parameters admit no `@`, `:` or `/`. The rule compares the unresolved `!Sub` with its URL pattern; the URL as CloudFormation resolves it passes.',
  },
  'CT.CODEBUILD.PR.4': {
    kind: 'accepted',
    resources: named(projectIds(ProjectStems.Build).project, projectIds(ProjectStems.PullRequestBuild).project),
    reason:
      'The build-and-push project and the pull-request image build run `docker build`, which needs the Docker daemon and so privileged mode. Only these two are privileged: the first pushes only to this repository, the second can reach no registry at all; the test and scan-gate projects run unprivileged.',
  },
  'CT.ECS.PR.3': {
    kind: 'configurable',
    resources: where(TASK_DEFINITION, (p) => containers(p).some((c) => isRoot(c['User']))),
    reason:
      'The container runs as ContainerUser, 65534 (nobody) by default. An image that must run as root (the escape hatch, README “Containers”) is given 0, which the control refuses; cfn-guard reads the parameter’s reference on the template as a user that is not root.',
  },
  'CT.ECS.PR.6': {
    kind: 'configurable',
    resources: where(TASK_DEFINITION, (p) => containers(p).some((c) => c['ReadonlyRootFilesystem'] !== true)),
    reason:
      'The root filesystem is read-only unless ReadOnlyRootFilesystem is false, the escape hatch for an image that writes outside /tmp (a task-scoped volume). The template says it with a condition, which cfn-guard cannot evaluate: the control fails on the template and passes on the stack deployed with the default.',
  },
  'CT.ECS.PR.7': {
    kind: 'misread',
    resources: where(TASK_DEFINITION, (p) => containers(p).some((c) => typeof c['Memory'] !== 'number')),
    reason:
      'Each container’s hard memory limit is the task’s memory, `!FindInMap [TaskSizes, !Ref TaskSize, ContainerMemory]`, a number for every size. cfn-guard does not evaluate the mapping; the template passes with the lookup resolved, as CloudFormation resolves it.',
  },
  'CT.ECS.PR.9': {
    kind: 'configurable',
    resources: where(
      'AWS::ECS::Service',
      (p) => asMap(asMap(p['NetworkConfiguration'])['AwsvpcConfiguration'])['AssignPublicIp'] !== 'DISABLED',
    ),
    reason:
      'With TaskSubnets Public (the default: no endpoint hours to pay) the tasks run in the public subnets with public IPs, as the template has no NAT gateway. With TaskSubnets Private they run in private subnets without public IPs and reach AWS through VPC endpoints, and the own-VPC variant (templates/own-vpc/) always runs them in the team’s private subnets; both pass. cfn-guard cannot evaluate the condition, so the created-network template fails.',
  },
  'CT.ELASTICLOADBALANCING.PR.1': {
    kind: 'configurable',
    resources: where(
      'AWS::ElasticLoadBalancingV2::Listener',
      (p) =>
        p['Protocol'] === 'HTTP' &&
        !asList(p['DefaultActions'])
          .filter(isJsonObject)
          .every(
            (a) =>
              a['Type'] === 'redirect' &&
              isJsonObject(a['RedirectConfig']) &&
              a['RedirectConfig']['Protocol'] === 'HTTPS',
          ),
    ),
    reason:
      'Without CertificateArn the listeners serve plain HTTP (the default: a certificate needs a domain the template cannot know). With a certificate and its DomainName, HTTPS listeners with a TLS 1.3 policy replace them and ProductionPort only redirects to HTTPS; cfn-guard cannot evaluate that condition, so the template fails and the HTTPS configuration passes.',
  },
  'CT.ELASTICLOADBALANCING.PR.2': {
    kind: 'misread',
    resources: where(
      'AWS::ElasticLoadBalancingV2::Listener',
      (p) =>
        p['Protocol'] === 'HTTPS' &&
        asList(p['Certificates']).some((c) => isJsonObject(c) && typeof c['CertificateArn'] !== 'string'),
    ),
    reason:
      'The HTTPS listeners name the ACM certificate CertificateArn holds, a parameter whose pattern admits only ACM certificate ARNs. cfn-guard does not resolve parameters, and the control accepts an ARN as text or a certificate of the template; the template passes with the parameter resolved, as in the HTTPS configuration.',
  },
  'CT.ELASTICLOADBALANCING.PR.5': {
    kind: 'accepted',
    resources: where(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      (p) => attribute(p, 'deletion_protection.enabled') !== 'true',
    ),
    reason:
      'Deletion protection is the DeletionProtection parameter, off by default: a development stack is deleted in one step, and every deletion of a protected one fails until someone switches it off. Production stacks set it to true, and pass.',
  },
  'CT.ELASTICLOADBALANCING.PR.6': {
    kind: 'configurable',
    resources: where(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      (p) => attribute(p, 'access_logs.s3.enabled') !== 'true',
    ),
    reason:
      'Access logs are the AccessLogs parameter, off by default: their bucket’s storage is a cost the default avoids, and CloudWatch metrics drive rollback. With AccessLogs true the load balancer writes to its own bucket and passes; cfn-guard cannot evaluate the condition, so the template fails.',
  },
  'CT.LAMBDA.PR.2': {
    kind: 'misread',
    resources: ofType('AWS::Lambda::Permission'),
    reason:
      'The delivery-metrics function lets only `events.amazonaws.com` invoke it, for this account (`SourceAccount: !Sub ${AWS::AccountId}`) and this stack’s rule (`SourceArn: !GetAtt DeliveryEventsRule.Arn`). The control reads a local reference only in the list form of `Fn::GetAtt`; the template as CloudFormation reads it (long form) passes.',
  },
  'CT.LAMBDA.PR.3': {
    kind: 'accepted',
    resources: ofType('AWS::Lambda::Function'),
    reason:
      'The smoke-test function (ECS engine) requests the internet-facing load balancer, and the delivery-metrics function calls only the CodePipeline API; inside the VPC each would need a NAT gateway or an endpoint (a cost the template avoids; checkov CKV_AWS_117 is skipped for them too). Each writes only its own log group.',
  },
  'CT.S3.PR.2': {
    kind: 'accepted',
    resources: named(Ids.ArtifactBucket, Ids.AccessLogBucket),
    reason:
      'No server access logs for the artifact bucket or the access log bucket: each would need another bucket, for transient data and for logs themselves (an accepted risk; checkov CKV_AWS_18 is skipped for both). CloudTrail data events serve an audit that needs them.',
  },
  'CT.S3.PR.4': {
    kind: 'accepted',
    resources: named(Ids.ArtifactBucket, Ids.AccessLogBucket),
    reason:
      'Nothing consumes object events: only the pipeline’s roles write and read artifacts, only ELB writes access logs, and CloudTrail records the calls. Turning on EventBridge delivery would meet the control with no one listening.',
  },
  'CT.S3.PR.8': {
    kind: 'misread',
    resources: named(Ids.ArtifactBucketPolicy, Ids.AccessLogBucketPolicy),
    reason:
      'Each bucket policy denies `s3:*` to anyone without `aws:SecureTransport`, on the bucket and its objects. The control reads the bucket ARN only as the list form of `Fn::GetAtt` and the object ARN only as `Fn::Join` of it and `/*`; the template writes `!GetAtt ArtifactBucket.Arn` and `!Sub ${ArtifactBucket.Arn}/*`, which mean the same, and passes once spelt the control’s way.',
  },
  'CT.S3.PR.9': {
    kind: 'accepted',
    resources: named(Ids.ArtifactBucket, Ids.AccessLogBucket),
    reason:
      'ObjectLockEnabled is fixed when a bucket is created: turning it on replaces the named, retained bucket, which CloudFormation refuses for a stack already deployed. Artifacts are transient (they expire after 30 days) and access logs expire after 90; neither needs write-once retention.',
  },
  'CT.S3.PR.10': {
    kind: 'accepted',
    resources: named(Ids.AccessLogBucket),
    reason:
      'The access log bucket (AccessLogs true) is encrypted with S3-managed keys: Elastic Load Balancing writes access logs to no other kind of bucket (ELB guide, “Enable access logs for your Application Load Balancer”). It is the one store without the stack key, and the product’s rule CICD.KMS holds it to SSE-S3.',
  },
};
