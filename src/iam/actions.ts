// Action lists, named for what they let a principal do. Statement builders combine them with
// explicit resource ARNs; no list holds a wildcard.

/** Key administration for the account, without any cryptographic use of the key. */
export const KMS_ADMIN = [
  'kms:CancelKeyDeletion',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  // aliases are authorised on the key as well as on the alias
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
] as const;

/** Envelope encryption: what S3, Secrets Manager, SNS and Logs need from a caller. */
export const KMS_ENCRYPT_DECRYPT = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/** Reading what was encrypted (artifacts a role only downloads). */
export const KMS_DECRYPT = ['kms:Decrypt', 'kms:DescribeKey'] as const;

/** ECR encrypts image layers under grants it creates on the key for the repository. */
export const KMS_GRANT_FOR_ECR = ['kms:CreateGrant', 'kms:RetireGrant'] as const;

/** Creating a grant: the key policy denies it unless the grant is for an AWS resource or an AWS service asks. */
export const KMS_CREATE_GRANT = ['kms:CreateGrant'] as const;

/** SNS publishers (EventBridge) need a data key to send to an encrypted topic. */
export const KMS_SNS_PUBLISH = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** TLS-only resource policies deny every action of the service on insecure transport. */
export const S3_ALL = ['s3:*'] as const;
export const SNS_PUBLISH = ['sns:Publish'] as const;

/** Writing to one log group's streams. */
export const LOGS_WRITE = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** Reading pipeline artifacts (CodeBuild input, CodePipeline stage input). */
export const ARTIFACT_READ = ['s3:GetObject', 's3:GetObjectVersion'] as const;
/** Writing pipeline artifacts. */
export const ARTIFACT_WRITE = ['s3:PutObject'] as const;
/** Bucket-level calls CodeBuild and CodePipeline make before touching objects. */
export const ARTIFACT_BUCKET_INFO = ['s3:GetBucketAcl', 's3:GetBucketLocation', 's3:GetBucketVersioning'] as const;

/** Using the stack key for artifacts a role reads and writes. */
export const KMS_ARTIFACTS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

export const ECR_PUSH = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
] as const;
/** Pulling layers back, for the Docker layer cache and multi-stage builds from our own images. */
export const ECR_PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;
/** The build reads the pushed image's digest; the scan gate reads it too. */
export const ECR_DESCRIBE_IMAGES = ['ecr:DescribeImages'] as const;
/** ecr:GetAuthorizationToken is account-wide: the API accepts no repository ARN. */
export const ECR_LOGIN = ['ecr:GetAuthorizationToken'] as const;
/** The scan gate reads scan results, nothing else. */
export const ECR_SCAN_READ = ['ecr:DescribeImageScanFindings', 'ecr:DescribeImages'] as const;

/**
 * Publishing test and coverage reports to a report group that exists (CodeBuild User Guide, "Test
 * report permissions"); without codebuild:CreateReportGroup a buildspec cannot make other groups.
 */
export const CODEBUILD_REPORTS = [
  'codebuild:BatchPutCodeCoverages',
  'codebuild:BatchPutTestCases',
  'codebuild:CreateReport',
  'codebuild:UpdateReport',
] as const;

/** The pipeline starts and follows its build projects. */
export const CODEBUILD_RUN = ['codebuild:BatchGetBuilds', 'codebuild:StartBuild'] as const;

/** The CodeDeployToECS action: create and follow a deployment in one group. */
export const CODEDEPLOY_DEPLOY = ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'] as const;
export const CODEDEPLOY_APPLICATION = [
  'codedeploy:GetApplication',
  'codedeploy:GetApplicationRevision',
  'codedeploy:RegisterApplicationRevision',
] as const;
export const CODEDEPLOY_CONFIG = ['codedeploy:GetDeploymentConfig'] as const;

/** The CodeDeployToECS action registers a revision of the task definition family. */
export const ECS_REGISTER_TASK_DEFINITION = ['ecs:RegisterTaskDefinition'] as const;
/** DescribeTaskDefinition does not support resource-level permissions. */
export const ECS_DESCRIBE_TASK_DEFINITION = ['ecs:DescribeTaskDefinition'] as const;

/** Source through an AWS CodeConnections connection. */
export const CODECONNECTIONS_USE = ['codeconnections:UseConnection', 'codestar-connections:UseConnection'] as const;

/**
 * A CodeBuild project whose GITHUB source authenticates with a connection: it fetches the GitHub token
 * the connection vends (CodeBuild User Guide, "GitHub App connections", step 2). Both prefixes, as above.
 */
export const CODECONNECTIONS_TOKEN = [
  'codeconnections:GetConnection',
  'codeconnections:GetConnectionToken',
  'codestar-connections:GetConnection',
  'codestar-connections:GetConnectionToken',
] as const;

/** CodeDeploy's ECS blue/green work on one service. */
export const CODEDEPLOY_ECS_SERVICE = ['ecs:DescribeServices', 'ecs:UpdateServicePrimaryTaskSet'] as const;
/** CreateTaskSet takes no resource ARN; the ecs:service condition pins it to one service. */
export const ECS_CREATE_TASK_SET = ['ecs:CreateTaskSet'] as const;
/** DeleteTaskSet is authorised on the task set's own ARN. */
export const ECS_DELETE_TASK_SET = ['ecs:DeleteTaskSet'] as const;
/** CodeDeploy moves listener rules between the two target groups. */
export const CODEDEPLOY_ELB_LISTENERS = [
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:ModifyRule',
] as const;
/** Describe calls on load balancers accept no resource ARN. */
export const ELB_DESCRIBE = [
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetGroups',
] as const;
/** CodeDeploy reads the rollback alarms' state. */
export const CLOUDWATCH_DESCRIBE_ALARMS = ['cloudwatch:DescribeAlarms'] as const;
/** Reading alarms and their history: a chat channel's guardrail, a promotion stage's bake rules. */
export const ALARMS_READ = ['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms'] as const;

/** The task execution role pulls the image and writes the container's logs. */
export const ECR_PULL_FOR_TASKS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
] as const;

/** ECS moves listener rules between the target groups (ECS infrastructure role for load balancers). */
export const ELB_MODIFY_RULES = ['elasticloadbalancing:ModifyRule'] as const;
export const ELB_MODIFY_LISTENERS = ['elasticloadbalancing:ModifyListener'] as const;
/** ECS registers the tasks of each service revision with a target group. */
export const ELB_TARGETS = ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'] as const;
/** The Describe calls ECS makes while shifting traffic; none supports resource-level permissions. */
export const ELB_DESCRIBE_WITH_HEALTH = [...ELB_DESCRIBE, 'elasticloadbalancing:DescribeTargetHealth'] as const;

/** ECS invokes a lifecycle hook's function. */
export const LAMBDA_INVOKE = ['lambda:InvokeFunction'] as const;
/** Reading one secret's value. */
export const SECRET_READ = ['secretsmanager:GetSecretValue'] as const;

/** The release step prepares a change set of its own stack. */
export const CFN_PREPARE_CHANGE_SET = [
  'cloudformation:CreateChangeSet',
  'cloudformation:DeleteChangeSet',
  'cloudformation:DescribeChangeSet',
] as const;
/** The CloudFormation action executes the prepared change set and follows the stack. */
export const CFN_EXECUTE_CHANGE_SET = ['cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet'] as const;
export const CFN_DESCRIBE_STACKS = ['cloudformation:DescribeStacks'] as const;
/** The release script looks for a change set an earlier run left under the release's name. */
export const CFN_LIST_CHANGE_SETS = ['cloudformation:ListChangeSets'] as const;

/**
 * What CloudFormation does with the executing role's credentials when a release replaces the task
 * definition and updates the service (the handler permissions of AWS::ECS::TaskDefinition and
 * AWS::ECS::Service in the CloudFormation resource schemas).
 */
export const ECS_TASK_DEFINITION_RELEASE = ['ecs:RegisterTaskDefinition', 'ecs:TagResource'] as const;
export const ECS_SERVICE_RELEASE = [
  'ecs:DescribeServices',
  'ecs:ListServiceDeployments',
  'ecs:ListTagsForResource',
  'ecs:TagResource',
  'ecs:UntagResource',
  'ecs:UpdateService',
] as const;
export const ECS_SERVICE_DEPLOYMENTS = ['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment'] as const;
export const IAM_GET_ROLE = ['iam:GetRole'] as const;

/** A person lets a paused deployment go on (or roll back): find it, read its hook, continue it. */
export const ECS_CONTINUE_DEPLOYMENT = [
  'ecs:ContinueServiceDeployment',
  'ecs:DescribeServiceDeployments',
  'ecs:ListServiceDeployments',
] as const;

/** The delivery-metrics function reads one pipeline's history: its executions and their actions. */
export const CODEPIPELINE_HISTORY_READ = [
  'codepipeline:ListActionExecutions',
  'codepipeline:ListPipelineExecutions',
] as const;

/** The InspectorScan action sends an SBOM to Amazon Inspector's scan API. */
export const INSPECTOR_SCAN = ['inspector-scan:ScanSbom'] as const;
/** A managed-compute action's logs: it creates its group if missing, then writes to it. */
export const LOGS_CREATE_AND_WRITE = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** ECR managed signing signs a pushed image with the pusher's identity (ECR User Guide, "Managed signing"). */
export const SIGNER_SIGN = ['signer:SignPayload'] as const;
/** The signature check reads ECR's signing status and the image's referrers (ListImageReferrers is authorised as BatchGetImage). */
export const ECR_SIGNATURE_READ = ['ecr:BatchGetImage', 'ecr:DescribeImageSigningStatus'] as const;
/** Attaching an SBOM to an image: read the image's manifest and referrers, upload the SBOM, put the artifact. */
export const ECR_ATTACH_ARTIFACT = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
] as const;

/** Assume a role (another account's deploy role, by its exact ARN). */
export const STS_ASSUME_ROLE = ['sts:AssumeRole'] as const;
