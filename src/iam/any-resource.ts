// The only actions our policies grant on `Resource: "*"`, each with the reason. The IAM audit
// test, docs/permissions.md and docs/SECURITY.md read this table; policy.ts refuses any other.
export const ANY_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'account-wide registry login; the API accepts no repository ARN',
  'ecs:CreateTaskSet': 'the API takes no resource ARN; every grant carries an ecs:service condition naming one service',
  'ecs:DescribeTaskDefinition': 'the API does not support resource-level permissions',
  'elasticloadbalancing:DescribeListeners': 'ELB Describe* calls do not support resource-level permissions',
  'elasticloadbalancing:DescribeRules': 'ELB Describe* calls do not support resource-level permissions',
  'elasticloadbalancing:DescribeTargetGroups': 'ELB Describe* calls do not support resource-level permissions',
  'inspector-scan:ScanSbom': 'scans the SBOM the request carries; the API names no resource',
  // Service Catalog launch role (src/iam/provisioning-actions.ts): CloudFormation's handlers call these.
  'application-autoscaling:DescribeScalableTargets':
    'Application Auto Scaling Describe* calls do not support resource-level permissions',
  'application-autoscaling:DescribeScalingPolicies':
    'Application Auto Scaling Describe* calls do not support resource-level permissions',
  'application-autoscaling:DescribeScheduledActions':
    'Application Auto Scaling Describe* calls do not support resource-level permissions',
  'cloudwatch:GetMetricData':
    'reads metrics by query (a new target-tracking policy checks its metric); no resource ARN',
  'cloudformation:GetTemplateSummary': 'reads a template before any stack exists, so it names no stack',
  'cloudformation:ValidateTemplate': 'checks a template body; the API takes no resource ARN',
  'ec2:DescribeAvailabilityZones': 'lists the zones of the region for !GetAZs; the API takes no resource ARN',
  'ec2:DescribeInstances': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeInternetGateways': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeNetworkAcls': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeNetworkInterfaces': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeRouteTables': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeSecurityGroupRules': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeSecurityGroups': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeSubnets': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeVpcEndpoints': 'EC2 Describe* calls do not support resource-level permissions',
  'ec2:DescribeVpcs': 'EC2 Describe* calls do not support resource-level permissions',
  'ecs:DeregisterTaskDefinition': 'the API does not support resource-level permissions',
  'elasticloadbalancing:DescribeListenerAttributes': 'ELB Describe* calls do not support resource-level permissions',
  'elasticloadbalancing:DescribeLoadBalancerAttributes':
    'ELB Describe* calls do not support resource-level permissions',
  'elasticloadbalancing:DescribeLoadBalancers': 'ELB Describe* calls do not support resource-level permissions',
  'elasticloadbalancing:DescribeTags': 'ELB Describe* calls do not support resource-level permissions',
  'elasticloadbalancing:DescribeTargetGroupAttributes': 'ELB Describe* calls do not support resource-level permissions',
  'elasticloadbalancing:DescribeTargetHealth': 'ELB Describe* calls do not support resource-level permissions',
  'kms:CreateKey': 'a new key has no ARN until this call creates it',
  'ecr:DescribeRegistry': 'reads the registry settings; the API names no repository',
  'ecr:PutReplicationConfiguration': 'the registry has one replication configuration; the API names no repository',
  'ecr:DeleteSigningConfiguration': 'the registry has one signing configuration; the API names no repository',
  'ecr:GetSigningConfiguration': 'the registry has one signing configuration; the API names no repository',
  'ecr:PutSigningConfiguration': 'the registry has one signing configuration; the API names no repository',
  'signer:PutSigningProfile': 'a new profile has no ARN until this call creates it',
  'kms:ListAliases': 'lists the aliases of the account; the API takes no resource ARN',
  'logs:DescribeLogGroups': 'lists log groups by prefix; the API takes no resource ARN',
  'secretsmanager:GetRandomPassword': 'generates a random string; the API touches no secret',
  'chatbot:CreateMicrosoftTeamsChannelConfiguration': 'a new configuration has no ARN until this call creates it',
  'chatbot:CreateSlackChannelConfiguration': 'a new configuration has no ARN until this call creates it',
  'chatbot:DescribeSlackChannelConfigurations':
    'Chatbot list and describe calls do not support resource-level permissions',
  'chatbot:GetMicrosoftTeamsChannelConfiguration':
    'the Service Authorization Reference lists no resource type for this Chatbot call',
  'chatbot:ListTagsForResource': 'the Service Authorization Reference lists no resource type for Chatbot tagging',
  'chatbot:TagResource': 'the Service Authorization Reference lists no resource type for Chatbot tagging',
  'chatbot:UntagResource': 'the Service Authorization Reference lists no resource type for Chatbot tagging',
  'route53:ListHostedZones':
    'lists the account’s hosted zones; the Service Authorization Reference lists no resource type for it',
  'sns:GetSubscriptionAttributes': 'subscription calls take a subscription ARN, which IAM does not authorise on',
  'sns:SetSubscriptionAttributes': 'subscription calls take a subscription ARN, which IAM does not authorise on',
  'sns:Unsubscribe': 'subscription calls take a subscription ARN, which IAM does not authorise on',
};
