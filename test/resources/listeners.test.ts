// The listeners in both configurations, both engines: without a certificate the HTTP listeners of
// today; with CertificateArn and DomainName HTTPS listeners, HTTP only redirecting, the HTTPS port
// open to production clients, and the URLs and the smoke test on the domain. The Rules refuse a
// half-given configuration and a port the HTTPS listener needs.
import { expect } from 'chai';
import type { JsonObject } from '../../src/model/json.js';
import { TLS_POLICY } from '../../src/resources/listeners.js';
import { CONFIGURATIONS, EXAMPLE_CERTIFICATE_ARN, resolveConfiguration } from '../configurations.js';
import type { CfnTemplate } from '../helpers.js';
import { brokenRules, CODEDEPLOY_CONFIG, renderedPipeline } from '../helpers.js';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const HTTPS = (CONFIGURATIONS.find((c) => c.name === 'https') as { values: Record<string, string> }).values;

type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- resolved templates are untyped trees
const deployed = (t: CfnTemplate, values: Record<string, string> = {}): Loose =>
  resolveConfiguration(t as unknown as JsonObject, values) as Loose;
const listeners = (t: Loose): Record<string, Loose> =>
  Object.fromEntries(Object.entries(t['Resources'] as Record<string, Loose>).filter(([, r]) => r['Type'] === LISTENER));

const ENGINES = [
  { engine: 'ECS', template: renderedPipeline(), routes: { ProductionHttpsListener: 443 } },
  {
    engine: 'CodeDeploy',
    template: renderedPipeline(CODEDEPLOY_CONFIG),
    routes: { ProductionHttpsListener: 443, TestHttpsListener: 8080 },
  },
] as const;

describe('resources/listeners: HTTP by default, HTTPS with a certificate (both engines)', () => {
  for (const { engine, template, routes } of ENGINES) {
    describe(`${engine} engine`, () => {
      const http = deployed(template);
      const https = deployed(template, HTTPS);

      it('serves plain HTTP without a certificate: the HTTP listeners, their skips, no HTTPS', () => {
        const found = listeners(http);
        expect(Object.keys(found).sort()).to.deep.equal(
          Object.keys(routes)
            .map((id) => id.replace('Https', ''))
            .sort(),
        );
        for (const [id, l] of Object.entries(found)) {
          expect(l['Properties']['Protocol'], id).to.equal('HTTP');
          expect(
            l['Metadata']['checkov']['skip'].map((s: Loose) => s['id']),
            id,
          ).to.include.members(['CKV_AWS_2', 'CKV_AWS_103']);
        }
        expect(http['Resources']).to.not.have.property('LoadBalancerHttpsIngress');
        const ports = Object.values(found).map((l) => l['Properties']['Port']);
        expect(ports).to.not.include(443);
        expect(http['Outputs']['ProductionUrl']['Value']).to.deep.equal({
          'Fn::Sub': 'http://${LoadBalancer.DNSName}:80',
        });
      });

      it('with a certificate serves HTTPS on each route, with the certificate and the TLS 1.3 policy', () => {
        const found = listeners(https);
        for (const [id, port] of Object.entries(routes)) {
          expect(found[id]?.['Properties'], id).to.deep.include({
            Protocol: 'HTTPS',
            Port: port,
            SslPolicy: TLS_POLICY,
            Certificates: [{ CertificateArn: EXAMPLE_CERTIFICATE_ARN }],
          });
        }
        expect(TLS_POLICY).to.match(/^ELBSecurityPolicy-TLS13-1-2-/);
      });

      it('with a certificate answers ProductionPort with a permanent redirect to HTTPS, and nothing else on HTTP', () => {
        const plain = Object.entries(listeners(https)).filter(([, l]) => l['Properties']['Protocol'] === 'HTTP');
        expect(plain.map(([id]) => id)).to.deep.equal(['HttpsRedirectListener']);
        expect(plain[0]?.[1]['Properties']).to.deep.include({
          Port: 80,
          DefaultActions: [
            { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
          ],
        });
      });

      it('with a certificate admits production clients on 443 too, and gives the URLs on the domain', () => {
        expect(https['Resources']['LoadBalancerHttpsIngress']['Properties']).to.deep.equal({
          GroupId: { Ref: 'LoadBalancerSecurityGroup' },
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          CidrIp: '0.0.0.0/0',
          Description: 'production listener (HTTPS)',
        });
        expect(https['Outputs']['ProductionUrl']['Value']).to.equal('https://app.example.com');
        if (engine === 'CodeDeploy')
          expect(https['Outputs']['TestUrl']['Value']).to.equal('https://app.example.com:8080');
      });

      it('names the listener that exists wherever a route is named, in both configurations', () => {
        for (const t of [http, https]) {
          const ids = new Set(Object.keys(listeners(t)));
          const named = JSON.stringify(t['Resources']).match(/"Ref":"(\w*Listener)"/g) ?? [];
          expect(named.length).to.be.greaterThan(0);
          for (const ref of named) expect(ids, ref).to.include(ref.slice(7, -1));
        }
      });

      it('refuses a certificate without its domain, a domain without a certificate, and the HTTPS port taken', () => {
        expect(brokenRules(template, HTTPS)).to.deep.equal([]);
        expect(brokenRules(template, { CertificateArn: EXAMPLE_CERTIFICATE_ARN }).join('\n')).to.include(
          'DomainName (the name the certificate covers) is required with CertificateArn',
        );
        expect(brokenRules(template, { DomainName: 'app.example.com' }).join('\n')).to.include(
          'CertificateArn is required with it',
        );
        expect(brokenRules(template, { ...HTTPS, ProductionPort: '443' }).join('\n')).to.include(
          'HTTPS takes port 443',
        );
        expect(brokenRules(template, { ProductionPort: '443' })).to.deep.equal([]);
      });
    });
  }

  it('creates the alias A record of the domain to the load balancer only with a hosted zone, in both engines', () => {
    for (const { template } of ENGINES) {
      expect(deployed(template)['Resources']).to.not.have.property('LoadBalancerAliasRecord');
      const { HostedZoneId, ...noZone } = HTTPS;
      expect(HostedZoneId).to.match(/^Z/);
      expect(deployed(template, noZone)['Resources']).to.not.have.property('LoadBalancerAliasRecord');
      expect(deployed(template, HTTPS)['Resources']['LoadBalancerAliasRecord']['Properties']).to.deep.equal({
        HostedZoneId,
        Name: 'app.example.com',
        Type: 'A',
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] },
          HostedZoneId: { 'Fn::GetAtt': ['LoadBalancer', 'CanonicalHostedZoneID'] },
          EvaluateTargetHealth: true,
        },
      });
      expect(brokenRules(template, { HostedZoneId: HostedZoneId as string }).join('\n')).to.include(
        'DomainName is required with it',
      );
    }
  });

  it('CodeDeploy: the test listener may not take 443 with a certificate, and the service waits for both routes', () => {
    const template = renderedPipeline(CODEDEPLOY_CONFIG);
    expect(brokenRules(template, { ...HTTPS, TestPort: '443' }).join('\n')).to.include('HTTPS takes port 443');
    for (const values of [{}, HTTPS]) {
      const service = deployed(template, values)['Resources']['Service'];
      const tags = Object.fromEntries((service['Properties']['Tags'] as Loose[]).map((t) => [t['Key'], t['Value']]));
      const [production, test] =
        'CertificateArn' in values
          ? ['ProductionHttpsListener', 'TestHttpsListener']
          : ['ProductionListener', 'TestListener'];
      expect(tags['cicd:production-listener']).to.deep.equal({ Ref: production });
      expect(tags['cicd:test-listener']).to.deep.equal({ Ref: test });
    }
  });
});
