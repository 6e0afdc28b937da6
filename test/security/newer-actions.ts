// IAM actions newer than the action table of the pinned parliament 1.6.4 (its iam_definition.json
// predates ECS service deployments, 2025, and ECR managed signing, November 2025), each with where
// AWS documents it; test/resources/service-catalog.test.ts checks each is an operation of the pinned aws CLI. The parliament
// and launch-role tests accept exactly these as known; any other unknown action still fails them.
export const ACTIONS_NEWER_THAN_PARLIAMENT: Readonly<Record<string, string>> = {
  'ecs:StopServiceDeployment':
    'Service Authorization Reference, "Actions, resources, and condition keys for Amazon Elastic Container Service"; the ECS service resource schema’s update handler calls it',
  'ecr:DescribeImageSigningStatus':
    'ECR API Reference, DescribeImageSigningStatus; authorised on the repository like DescribeImageReplicationStatus',
  'ecr:DeleteSigningConfiguration':
    'ECR API Reference, DeleteSigningConfiguration; a registry-level setting with no resource type, like DeleteRegistryPolicy',
  'ecr:GetSigningConfiguration':
    'ECR API Reference, GetSigningConfiguration; a registry-level setting with no resource type, like GetRegistryScanningConfiguration',
  'ecr:PutSigningConfiguration':
    'ECR API Reference, PutSigningConfiguration; a registry-level setting with no resource type, like PutRegistryScanningConfiguration',
};

/** Lower-cased, as parliament names actions in its findings. */
export const NEWER_ACTIONS_LOWER: ReadonlySet<string> = new Set(
  Object.keys(ACTIONS_NEWER_THAN_PARLIAMENT).map((a) => a.toLowerCase()),
);
