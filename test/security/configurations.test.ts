// checkov on each pipeline template, and the environment template, as CloudFormation deploys it in each configuration the tests
// use (test/configurations.ts): no check fails, every skip is one the template's Metadata declares,
// the HTTPS configuration keeps no skip on a listener and no HTTP listener that serves traffic, and
// private tasks (TaskSubnets Private, or the team's own VPC) keep no skip on a subnet or the tasks
// and run without public IPs in subnets that have no route to an internet gateway.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Json, JsonObject } from '../../src/model/json.js';
import { ENVIRONMENT_TEMPLATE_FILE, PIPELINE_TEMPLATE_FILE } from '../../src/naming.js';
import { renderYaml } from '../../src/render/yaml.js';
import type { CheckovReport } from '../../src/tools/checkov.js';
import { checkov, formatCheck } from '../../src/tools/checkov.js';
import { appliesTo, CONFIGURATIONS, resolveConfiguration } from '../configurations.js';
import { emittedTemplates } from '../helpers.js';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
/** What a private-tasks configuration must keep free of checkov skips: subnets, routes, the tasks, their endpoints and groups. */
const PRIVATE_TASK_TYPES = [
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::VPCEndpoint',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
];
const PRIVATE_TASK_GROUPS = ['ServiceSecurityGroup', 'EndpointSecurityGroup'];
const ofPrivateTasks = (id: string, type: string) =>
  PRIVATE_TASK_TYPES.includes(type) || PRIVATE_TASK_GROUPS.includes(id);

/** The subnets a resolved template's service runs its tasks in, and whether they get public IPs. */
function taskPlacement(resources: Record<string, JsonObject>): { subnets: Json[]; assignPublicIp: Json } {
  const [service] = Object.values(resources).filter((r) => r['Type'] === 'AWS::ECS::Service');
  const awsvpc = ((service?.['Properties'] as JsonObject)['NetworkConfiguration'] as JsonObject)[
    'AwsvpcConfiguration'
  ] as JsonObject;
  return { subnets: awsvpc['Subnets'] as Json[], assignPublicIp: awsvpc['AssignPublicIp'] as Json };
}

/** Whether a subnet's route table (by its association) routes anywhere through an internet gateway. */
function reachesInternetGateway(resources: Record<string, JsonObject>, subnet: string): boolean {
  const props = (r: JsonObject) => r['Properties'] as JsonObject;
  const tables = Object.values(resources)
    .filter((r) => r['Type'] === 'AWS::EC2::SubnetRouteTableAssociation')
    .filter((r) => JSON.stringify(props(r)['SubnetId']) === JSON.stringify({ Ref: subnet }))
    .map((r) => JSON.stringify(props(r)['RouteTableId']));
  return Object.values(resources).some(
    (r) =>
      r['Type'] === 'AWS::EC2::Route' &&
      tables.includes(JSON.stringify(props(r)['RouteTableId'])) &&
      props(r)['GatewayId'] !== undefined,
  );
}

/** `<check> <resource>` of every skip a resolved template's resources declare. */
function declaredSkips(template: JsonObject): string[] {
  return Object.entries(template['Resources'] as Record<string, JsonObject>).flatMap(([id, r]) => {
    const skip = ((r['Metadata'] as JsonObject | undefined)?.['checkov'] as JsonObject | undefined)?.['skip'];
    return Array.isArray(skip) ? skip.map((s) => `${String((s as JsonObject)['id'])} ${id}`) : [];
  });
}

describe('security/configurations (checkov on each pipeline template as each configuration deploys it)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cfn-cicd-configurations-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  // The pipelines and the environment template: each in every configuration it declares the parameters of.
  const pipelines = emittedTemplates().filter(
    ({ file }) => file.endsWith(PIPELINE_TEMPLATE_FILE) || file.endsWith(ENVIRONMENT_TEMPLATE_FILE),
  );
  for (const { file, template } of pipelines) {
    const applicable = CONFIGURATIONS.filter(
      (c) => c.name !== 'defaults' && appliesTo(c, template as unknown as JsonObject),
    );
    for (const configuration of applicable) {
      describe(`${file}, ${configuration.name}: ${configuration.description}`, () => {
        const resolved = resolveConfiguration(template as unknown as JsonObject, configuration.values);
        const resources = resolved['Resources'] as Record<string, JsonObject>;
        let report: CheckovReport;
        before(async function () {
          this.timeout(300_000);
          const path = join(scratch, file.replace(/\.yaml$/, `.${configuration.name}.yaml`));
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, renderYaml(resolved));
          report = await checkov(path);
        });

        it('fails no check and skips exactly what the resolved resources declare', () => {
          expect(report.parsingErrors).to.deep.equal([]);
          expect(report.passed.length).to.be.greaterThan(0);
          expect(report.failed.map(formatCheck)).to.deep.equal([]);
          expect(report.skipped.map((s) => `${s.id} ${s.resource}`).sort()).to.deep.equal(
            declaredSkips(resolved).sort(),
          );
        });

        // The own-VPC variant always runs the tasks in the team's private subnets.
        const own = 'PrivateSubnetIds' in ((template as unknown as JsonObject)['Parameters'] as JsonObject);
        if (
          configuration.values['TaskSubnets'] === 'Private' ||
          (own && configuration.values['TaskSubnets'] === undefined)
        ) {
          it('runs the tasks without public IPs in subnets with no route to an internet gateway, and keeps no skip on a subnet, the tasks or their endpoints', () => {
            const { subnets, assignPublicIp } = taskPlacement(resources);
            expect(assignPublicIp).to.equal('DISABLED');
            expect(subnets.length).to.be.greaterThan(1);
            for (const subnet of subnets) {
              // The own-VPC variant names the team's subnets (PrivateSubnetIds); the created ones are this template's.
              if (typeof subnet === 'string') {
                expect(subnet).to.match(/^subnet-/);
                continue;
              }
              const id = (subnet as JsonObject)['Ref'] as string;
              expect(resources[id]?.['Type'], id).to.equal('AWS::EC2::Subnet');
              expect(reachesInternetGateway(resources, id), id).to.equal(false);
            }
            const skipped = report.skipped.filter((c) => ofPrivateTasks(c.resource, c.type));
            expect(skipped.map((c) => `${c.id} ${c.resource}`)).to.deep.equal([]);
            const declared = Object.entries(resources)
              .filter(([id, r]) => ofPrivateTasks(id, String(r['Type'])))
              .filter(([, r]) => (r['Metadata'] as JsonObject | undefined)?.['checkov'] !== undefined)
              .map(([id]) => id);
            expect(declared).to.deep.equal([]);
          });
        }

        if (configuration.values['CertificateArn'] !== undefined) {
          it('keeps no skip on a listener, serves HTTPS with a TLS 1.3 policy, and HTTP only redirects', () => {
            const listeners = Object.entries(resources).filter(([, r]) => r['Type'] === LISTENER);
            expect(listeners.length).to.be.greaterThan(1);
            for (const [id, r] of listeners) {
              expect(r['Metadata'], id).to.equal(undefined);
              const p = r['Properties'] as JsonObject;
              if (p['Protocol'] === 'HTTPS') {
                expect(String(p['SslPolicy']), id).to.match(/^ELBSecurityPolicy-TLS13-1-[23]-/);
                expect(p['Certificates'], id).to.deep.equal([
                  { CertificateArn: configuration.values['CertificateArn'] },
                ]);
              } else {
                expect(p['Protocol'], id).to.equal('HTTP');
                expect(p['DefaultActions'], id).to.deep.equal([
                  { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
                ]);
              }
            }
            const skipped = report.skipped.filter((s) => s.type === LISTENER).map((s) => s.resource);
            expect(skipped).to.deep.equal([]);
            const tlsChecks = report.passed.filter(
              (c) => c.type === LISTENER && ['CKV_AWS_2', 'CKV_AWS_103'].includes(c.id),
            );
            expect(tlsChecks.length, 'CKV_AWS_2 and CKV_AWS_103 pass on every listener').to.equal(2 * listeners.length);
          });
        }
      });
    }
  }
});
