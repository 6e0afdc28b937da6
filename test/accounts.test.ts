// Across accounts and Regions (configs/accounts.json: the pipeline in 111111111111/us-east-1; beta
// in 222222222222; gamma in 222222222222, us-west-2; prod in 333333333333, us-east-1 then eu-west-1,
// with an approval). The pipeline reaches each target through CodePipeline's own means (an action's
// Region and RoleArn, ArtifactStores, ECR replication), and each target account appears exactly in
// the policies that must admit it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { placements, remoteEnvironments } from '../src/accounts.js';
import { artifactKeyParameter, artifactStoreFile, artifactStoreTemplate } from '../src/artifact-stores.js';
import { parseConfig } from '../src/config.js';
import { accountsDot } from '../src/docs/accounts-dot.js';
import { BAKE_ALARMS } from '../src/environments.js';
import { Ids } from '../src/naming.js';
import { RELEASE_ELSEWHERE_COMMANDS } from '../src/resources/engines/ecs.js';
import { renderTemplates } from '../src/commands/build.js';
import { ACCOUNTS_CONFIG, loadTemplate, renderedPipeline } from './helpers.js';

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HOME = { account: '111111111111', region: 'us-east-1' };
const BETA_GAMMA = '222222222222';
const PROD = '333333333333';

const pipeline = renderedPipeline(ACCOUNTS_CONFIG) as Loose;
const rendered = renderTemplates(ACCOUNTS_CONFIG);
const store = (region: string): Loose =>
  loadTemplate(rendered.get(artifactStoreFile(region)) as string, artifactStoreFile(region)) as Loose;

const stages = (): Loose[] => pipeline['Resources'][Ids.Pipeline].Properties.Stages as Loose[];
const stage = (name: string): Loose => stages().find((s) => s.Name === name) as Loose;
const action = (stageName: string, name: string): Loose =>
  (stage(stageName).Actions as Loose[]).find((a) => a.Name === name) as Loose;
const subText = (v: unknown): string =>
  typeof v === 'string' ? v : String((v as Loose)['Fn::Sub'] ?? JSON.stringify(v));
const variables = (a: Loose): Record<string, string> =>
  Object.fromEntries(
    (JSON.parse(subText(a.Configuration.EnvironmentVariables)) as { name: string; value: string }[]).map((v) => [
      v.name,
      v.value,
    ]),
  );
const deployRole = (account: string, env: string) =>
  `arn:\${AWS::Partition}:iam::${account}:role/bootstrap/cicd-deploy-role-\${EnvironmentSuffix}-${env}`;
/** An environment's own roles carry the Region they serve: the pipeline's, seen from the pipeline, as `${AWS::Region}`. */
const taskRole = (account: string, env: string, region = '${AWS::Region}') =>
  `arn:\${AWS::Partition}:iam::${account}:role/cicd-task-execution-role-\${EnvironmentSuffix}-${env}-${region}`;

/** Where `needle` occurs in a template: `<logical ID>` of each resource whose text holds it, plus any other section. */
function occurrences(template: Loose, needle: string): string[] {
  const found = Object.entries(template['Resources'] as Loose)
    .filter(([, r]) => JSON.stringify(r).includes(needle))
    .map(([id]) => id);
  for (const section of ['Parameters', 'Outputs', 'Conditions', 'Mappings']) {
    if (JSON.stringify(template[section] ?? {}).includes(needle)) found.push(section);
  }
  return found.sort();
}

/** The statement of a policy document by Sid. */
const statement = (document: Loose, sid: string): Loose =>
  (document['Statement'] as Loose[]).find((s) => s.Sid === sid) as Loose;
const principalArns = (s: Loose): string[] =>
  (s.Condition.ArnEquals['aws:PrincipalArn'] as unknown[]).map(subText).sort();
const roots = (s: Loose): string[] => (s.Principal.AWS as unknown[]).map(subText).sort();
const root = (account: string) => `arn:\${AWS::Partition}:iam::${account}:root`;

describe('accounts and Regions: the pipeline reaches other accounts and Regions by AWS means', () => {
  it('deploys each environment Region by Region, a stage each, the approval before the first only', () => {
    expect(stages().map((s) => s.Name)).to.deep.equal([
      'Source',
      'Build',
      'Test',
      'SecurityScan',
      'Beta',
      'Gamma',
      'Prod',
      'Prod-eu-west-1',
    ]);
    expect((stage('Prod').Actions as Loose[]).map((a) => a.Name)).to.include('Approve');
    expect((stage('Prod-eu-west-1').Actions as Loose[]).map((a) => a.Name)).to.not.include('Approve');
    // Each Region's stage bakes on that Region's alarms before the next one starts.
    for (const name of ['Prod', 'Prod-eu-west-1']) {
      expect(stage(name).OnSuccess.Conditions[0].Rules).to.have.length(BAKE_ALARMS.length);
    }
  });

  it("acts in each target through the target account's deploy role, in the target's Region", () => {
    const expected: [string, string, string | undefined][] = [
      ['Beta', deployRole(BETA_GAMMA, 'beta'), undefined],
      ['Gamma', deployRole(BETA_GAMMA, 'gamma'), 'us-west-2'],
      ['Prod', deployRole(PROD, 'prod'), undefined],
      ['Prod-eu-west-1', deployRole(PROD, 'prod'), 'eu-west-1'],
    ];
    for (const [name, role, region] of expected) {
      const deploy = action(name, 'Deploy');
      expect(subText(deploy.RoleArn), name).to.equal(role);
      expect(deploy.Region, name).to.equal(region);
      for (const rule of stage(name).OnSuccess.Conditions[0].Rules as Loose[]) {
        expect(subText(rule.RoleArn), `${name} ${rule.Name as string}`).to.equal(role);
        expect(rule.Region, `${name} ${rule.Name as string}`).to.equal(region);
      }
      const prepare = variables(action(name, 'PrepareRelease'));
      expect(prepare['DEPLOY_ROLE_ARN'], name).to.equal(role);
      expect(prepare['TARGET_REGION'], name).to.equal(region);
      // The release project itself runs at home: it reaches the target through the role.
      expect(action(name, 'PrepareRelease').Region, name).to.equal(undefined);
    }
  });

  it('holds no rights in a target account beyond assuming its deploy role', () => {
    const grants = (id: string): Loose[] =>
      (pipeline['Resources'][id].Properties.Policies as Loose[]).flatMap((p) => p.PolicyDocument.Statement as Loose[]);
    for (const id of [Ids.PipelineRole, 'ReleaseRole']) {
      const foreign = grants(id).filter((s) => JSON.stringify(s).match(/22222222222|333333333333/));
      expect(
        foreign.map((s) => s.Sid as string),
        id,
      ).to.deep.equal(['AssumeTheDeployRoles']);
      const assume = foreign[0] as Loose;
      expect(assume.Action).to.deep.equal(['sts:AssumeRole']);
      expect((assume.Resource as unknown[]).map(subText).sort()).to.deep.equal(
        [deployRole(BETA_GAMMA, 'beta'), deployRole(BETA_GAMMA, 'gamma'), deployRole(PROD, 'prod')].sort(),
      );
    }
  });

  it('keeps an artifact store in each other Region, its key from the regional stack', () => {
    const stores = pipeline['Resources'][Ids.Pipeline].Properties.ArtifactStores as Loose[];
    expect(pipeline['Resources'][Ids.Pipeline].Properties.ArtifactStore).to.equal(undefined);
    expect(stores.map((s) => s.Region)).to.deep.equal(['us-east-1', 'us-west-2', 'eu-west-1']);
    for (const s of stores.slice(1)) {
      const region = s.Region as string;
      expect(s.ArtifactStore.EncryptionKey.Id).to.deep.equal({ Ref: artifactKeyParameter(region) });
      expect(subText(s.ArtifactStore.Location)).to.equal(
        `cicd-artifacts-\${EnvironmentSuffix}-\${AWS::AccountId}-${region}`,
      );
      // The regional template names its bucket the same way, in its own Region.
      const regional = store(region);
      expect(subText(regional['Resources'][Ids.ArtifactBucket].Properties.BucketName)).to.equal(
        'cicd-artifacts-${EnvironmentSuffix}-${AWS::AccountId}-${AWS::Region}',
      );
      expect(JSON.stringify(regional['Rules'])).to.include(region).and.to.include(HOME.account);
    }
    // A Region that is only ever the pipeline's own has no store template.
    expect([...rendered.keys()].filter((f) => f.startsWith('cicd-artifact-store-'))).to.deep.equal([
      artifactStoreFile('us-west-2'),
      artifactStoreFile('eu-west-1'),
    ]);
  });

  it('replicates the image into those Regions in the tools account, never rebuilding it', () => {
    const replication = pipeline['Resources'][Ids.ImageReplication].Properties.ReplicationConfiguration as Loose;
    expect(replication.Rules).to.have.length(1);
    expect(replication.Rules[0].Destinations).to.deep.equal([
      { Region: 'us-west-2', RegistryId: { Ref: 'AWS::AccountId' } },
      { Region: 'eu-west-1', RegistryId: { Ref: 'AWS::AccountId' } },
    ]);
    expect(replication.Rules[0].RepositoryFilters).to.deep.equal([
      { Filter: { 'Fn::Sub': 'cicd-app-${EnvironmentSuffix}' }, FilterType: 'PREFIX_MATCH' },
    ]);
  });

  it('names each target account exactly in the policies that must admit it, and nowhere else', () => {
    // The pipeline stack (home Region): beta and prod run here.
    const key = pipeline['Resources']['PipelineKey'].Properties.KeyPolicy as Loose;
    const keyReaders = statement(key, 'AllowTargetDeployRolesToReadArtifacts');
    expect(roots(keyReaders)).to.deep.equal([root(BETA_GAMMA), root(PROD)]);
    expect(principalArns(keyReaders)).to.deep.equal([deployRole(BETA_GAMMA, 'beta'), deployRole(PROD, 'prod')].sort());
    expect(keyReaders.Action).to.deep.equal(['kms:Decrypt', 'kms:DescribeKey']);
    const bucket = pipeline['Resources'][Ids.ArtifactBucketPolicy].Properties.PolicyDocument as Loose;
    const bucketReaders = statement(bucket, 'AllowTargetDeployRolesToReadArtifacts');
    expect(principalArns(bucketReaders)).to.deep.equal(principalArns(keyReaders));
    expect(bucketReaders.Action).to.deep.equal(['s3:GetObject', 's3:GetObjectVersion']);
    const repository = pipeline['Resources'][Ids.ImageRepository].Properties.RepositoryPolicyText as Loose;
    const pullers = statement(repository, 'AllowTargetAccountsToPull');
    expect(principalArns(pullers)).to.deep.equal([taskRole(BETA_GAMMA, 'beta'), taskRole(PROD, 'prod')].sort());
    expect(pullers.Action).to.deep.equal(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    for (const account of [BETA_GAMMA, PROD]) {
      expect(occurrences(pipeline, account), account).to.deep.equal(
        [
          'ArtifactBucketPolicy',
          Ids.ImageRepository,
          Ids.Pipeline,
          Ids.PipelineRole,
          'PipelineKey',
          'ReleaseRole',
        ].sort(),
      );
    }
    // Each regional store admits the roles acting in its Region only.
    const admitted: [string, string, string][] = [
      ['us-west-2', BETA_GAMMA, 'gamma'],
      ['eu-west-1', PROD, 'prod'],
    ];
    for (const [region, account, env] of admitted) {
      const regional = store(region);
      const other = account === PROD ? BETA_GAMMA : PROD;
      expect(occurrences(regional, other), `${region} ${other}`).to.deep.equal([]);
      expect(occurrences(regional, account), `${region} ${account}`).to.deep.equal(
        ['ArtifactBucketPolicy', 'PipelineKey', Ids.ReplicaSettings].sort(),
      );
      const regionalKey = regional['Resources']['PipelineKey'].Properties.KeyPolicy as Loose;
      expect(principalArns(statement(regionalKey, 'AllowTargetDeployRolesToReadArtifacts'))).to.deep.equal([
        deployRole(account, env),
      ]);
      const replicaPolicy = subText(regional['Resources'][Ids.ReplicaSettings].Properties.RepositoryPolicy);
      expect(replicaPolicy)
        .to.include(taskRole(account, env, region))
        .and.to.include('AllowTargetAccountsToPull');
    }
  });

  it('names the environments in other accounts, each with its account', () => {
    expect(remoteEnvironments(ACCOUNTS_CONFIG)).to.deep.equal([
      { name: 'beta', account: BETA_GAMMA },
      { name: 'gamma', account: BETA_GAMMA },
      { name: 'prod', account: PROD },
    ]);
  });

  it('lists every placement once, in promotion order', () => {
    expect(
      placements(ACCOUNTS_CONFIG).map((p) => `${p.stageName}:${p.account ?? 'home'}:${p.region ?? 'home'}`),
    ).to.deep.equal([
      `Beta:${BETA_GAMMA}:home`,
      `Gamma:${BETA_GAMMA}:us-west-2`,
      `Prod:${PROD}:home`,
      `Prod-eu-west-1:${PROD}:eu-west-1`,
    ]);
  });
});

describe('accounts and Regions: the release step points the CLI at the target', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-release-elsewhere-'));
  const log = join(dir, 'aws.log');
  // A fake aws that records its arguments and the profile it was called under.
  writeFileSync(join(dir, 'aws'), `#!/bin/sh\necho "$*" >> "${log}"\n`);
  chmodSync(join(dir, 'aws'), 0o755);
  const source = 'IMAGE_URI=111111111111.dkr.ecr.us-east-1.amazonaws.com/cicd-app-shop@sha256:' + 'a'.repeat(64);
  const run = (env: Record<string, string>): Record<string, string> => {
    writeFileSync(log, '');
    const script = [
      source,
      ...RELEASE_ELSEWHERE_COMMANDS,
      'printf "%s|%s|%s" "$IMAGE_URI" "${AWS_REGION:-}" "${AWS_PROFILE:-}"',
    ].join('\n');
    const out = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
      env: { PATH: `${dir}:/usr/bin:/bin`, ...env },
      encoding: 'utf8',
    });
    const [image, region, profile] = out.split('|');
    return {
      image: image as string,
      region: region as string,
      profile: profile as string,
      calls: readFileSync(log, 'utf8'),
    };
  };

  it('leaves the image and the CLI alone for a target at home', () => {
    const r = run({});
    expect(r.image).to.equal(source.slice('IMAGE_URI='.length));
    expect(r.region).to.equal('');
    expect(r.profile).to.equal('');
    expect(r.calls).to.equal('');
  });

  it("names the image ECR replicated into the target's Region, same repository and digest", () => {
    const r = run({ TARGET_REGION: 'eu-west-1' });
    expect(r.image).to.equal(`111111111111.dkr.ecr.eu-west-1.amazonaws.com/cicd-app-shop@sha256:${'a'.repeat(64)}`);
    expect(r.region).to.equal('eu-west-1');
  });

  it("assumes the target's deploy role through a CLI profile on CodeBuild's container credentials", () => {
    const role = 'arn:aws:iam::333333333333:role/bootstrap/cicd-deploy-role-shop-prod';
    const r = run({ DEPLOY_ROLE_ARN: role });
    expect(r.profile).to.equal('target');
    expect((r.calls as string).trim().split('\n')).to.deep.equal([
      `configure set role_arn ${role} --profile target`,
      'configure set credential_source EcsContainer --profile target',
    ]);
  });
});

describe('accounts and Regions: an environment in the pipeline account, in another Region', () => {
  const config = parseConfig({
    pipeline: HOME,
    environments: [
      { name: 'beta', regions: ['us-west-2'] },
      // Its own account named: the pipeline's, so no deploy role is involved.
      { name: 'prod', account: HOME.account, regions: ['us-east-1', 'eu-west-1'] },
    ],
  });
  const template = renderedPipeline(config) as Loose;
  const grants = (id: string): Loose[] =>
    (template['Resources'][id].Properties.Policies as Loose[]).flatMap((p) => p.PolicyDocument.Statement as Loose[]);
  const sids = (id: string) => grants(id).map((s) => s.Sid as string);
  const stageOf = (name: string): Loose =>
    (template['Resources'][Ids.Pipeline].Properties.Stages as Loose[]).find((s) => s.Name === name) as Loose;

  it('acts with its own roles, on ARNs in that Region, and assumes no role', () => {
    const deploy = (stageOf('Beta').Actions as Loose[]).find((a) => a.Name === 'Deploy') as Loose;
    expect(deploy.Region).to.equal('us-west-2');
    expect(deploy.RoleArn).to.equal(undefined);
    const pipelineGrants = grants(Ids.PipelineRole);
    const resourcesOf = (sid: string) =>
      ((pipelineGrants.find((s) => s.Sid === sid)?.Resource ?? []) as unknown[]).map(subText);
    expect(resourcesOf('ExecuteTheReleaseChangeSet')).to.include(
      'arn:${AWS::Partition}:cloudformation:us-west-2:${AWS::AccountId}:stack/cicd-environment-${EnvironmentSuffix}-beta/*',
    );
    expect(resourcesOf('ReadTheBakeAlarms')).to.include(
      'arn:${AWS::Partition}:cloudwatch:us-west-2:${AWS::AccountId}:alarm:cicd-blue-5xx-${EnvironmentSuffix}-beta',
    );
    expect(resourcesOf('UpdateThisService')).to.include(
      'arn:${AWS::Partition}:ecs:eu-west-1:${AWS::AccountId}:service/cicd-cluster-${EnvironmentSuffix}-prod/cicd-service-${EnvironmentSuffix}-prod',
    );
    expect(sids(Ids.PipelineRole)).to.not.include('AssumeTheDeployRoles');
    expect(sids('ReleaseRole')).to.not.include('AssumeTheDeployRoles');
    const prepare = (stageOf('Beta').Actions as Loose[]).find((a) => a.Name === 'PrepareRelease') as Loose;
    expect(variables(prepare)).to.deep.include({ TARGET_REGION: 'us-west-2' });
    expect(variables(prepare)['DEPLOY_ROLE_ARN']).to.equal(undefined);
  });

  it('admits no other account to its stores or its repository', () => {
    const files = renderTemplates(config);
    for (const region of ['us-west-2', 'eu-west-1']) {
      const regional = loadTemplate(files.get(artifactStoreFile(region)) as string, region) as Loose;
      expect(JSON.stringify(regional)).to.not.include('AllowTargetDeployRolesToReadArtifacts');
      expect(regional['Resources'][Ids.ReplicaSettings].Properties.RepositoryPolicy).to.equal(undefined);
    }
    expect(template['Resources'][Ids.ImageRepository].Properties.RepositoryPolicyText).to.equal(undefined);
    expect(JSON.stringify(template)).to.not.include('AllowTargetDeployRolesToReadArtifacts');
  });

  it('writes no artifact store for a config without a pipeline home', () => {
    expect(() => artifactStoreTemplate(parseConfig({ environments: [{ name: 'beta' }] }), 'eu-west-1')).to.throw(
      /needs the pipeline home/,
    );
  });
});

describe('accounts and Regions: the picture (docs/accounts.svg)', () => {
  const dot = accountsDot(ACCOUNTS_CONFIG, 'title');
  it('draws each account, the stages in order through each deploy role, and the replication into each other Region', () => {
    for (const label of ['Tools account 111111111111', `Target account ${BETA_GAMMA}`, `Target account ${PROD}`]) {
      expect(dot).to.include(label);
    }
    const stagesDrawn = [...dot.matchAll(/label="(\d+\. [^"]+): assume"/g)].map((m) => m[1]);
    expect(stagesDrawn).to.deep.equal(['1. Beta', '2. Gamma', '3. Prod', '4. Prod-eu-west-1']);
    expect(dot.match(/ECR replication/g)).to.have.length(2);
    expect(dot.match(/label="change set"/g)).to.have.length(4);
  });

  it('draws a stage in the pipeline account straight to its stack, and nothing for a config without a home', () => {
    const local = accountsDot(
      parseConfig({ pipeline: HOME, environments: [{ name: 'beta', regions: ['us-west-2'] }] }),
      't',
    );
    expect(local).to.include('"pipeline" -> "stack:111111111111:us-west-2:beta" [label="1. Beta"');
    expect(local).to.include('Tools account 111111111111: environments');
    expect(accountsDot(parseConfig({ environments: [{ name: 'beta' }] }), 't')).to.equal('');
  });
});
