// The only actions our policies grant on `Resource: "*"`, each with the reason. The IAM audit
// test, docs/permissions.md and docs/SECURITY.md read this table; policy.ts refuses any other.
export const ANY_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'ecr:GetAuthorizationToken': 'account-wide registry login; the API accepts no repository ARN',
};
