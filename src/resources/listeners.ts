// The load balancer's listeners in both configurations: plain HTTP without a certificate (today's
// default, its checkov skips on the HTTP listener alone), and with CertificateArn an HTTPS listener
// in its place plus an HTTP listener that only redirects to it. Each is its own conditional
// resource, so the HTTPS configuration carries no skip and no HTTP listener that serves traffic.
import { Listener, RecordSet, SecurityGroupIngress } from '../cfn/resources.js';
import type { Part } from '../cfn/template.js';
import { part } from '../cfn/template.js';
import type { Value } from '../intrinsics.js';
import { getAtt, ifCondition, ref, sub } from '../intrinsics.js';
import { Conditions, Ids, Params } from '../naming.js';
import { HTTPS_PORT } from '../parameters/https.js';
import type { ListenerAction, LoadBalancing } from './network.js';
import { httpListener, listenerUrl } from './network.js';

/**
 * The security policy of the HTTPS listeners: the one the ELB guide recommends, TLS 1.3 and 1.2 with
 * hybrid post-quantum key exchange (Application Load Balancers Guide, "Security policies for your
 * Application Load Balancer": the console's default, and AWS recommends it; CloudFormation's
 * default without SslPolicy is still ELBSecurityPolicy-2016-08, which admits TLS 1.0).
 */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09';

/** The listeners serving one route, whichever the certificate chooses, and the ARN of the one that exists. */
export interface ServingListeners {
  readonly parts: readonly Part[];
  /** `!If [ServesHttps, !Ref <https>, !Ref <http>]`: what rules, roles and routes name. */
  readonly arn: Value<string>;
}

function httpsListener(id: string, lb: LoadBalancing, port: Value<number>, defaultActions: readonly ListenerAction[]) {
  return part(
    id,
    new Listener({
      LoadBalancerArn: ref(lb.loadBalancer),
      Port: port,
      Protocol: 'HTTPS',
      SslPolicy: TLS_POLICY,
      // As `!Sub`, not `!Ref`: CT.ELASTICLOADBALANCING.PR.2 reads a Ref as a local certificate resource and, finding none, names every resource of the template.
      Certificates: [{ CertificateArn: sub(`\${${Params.CertificateArn}}`) }],
      DefaultActions: [...defaultActions],
    }).condition(Conditions.ServesHttps),
  );
}

/** A route's HTTP listener (no certificate) and its HTTPS listener (a certificate) on `httpsPort`. */
function servingListeners(
  ids: { readonly http: string; readonly https: string },
  lb: LoadBalancing,
  port: string,
  httpsPort: Value<number>,
  defaultActions: readonly ListenerAction[],
): { http: Part; https: Part; arn: Value<string> } {
  const http = httpListener(ids.http, lb, port, defaultActions);
  http.resource.condition(Conditions.ServesHttp);
  const https = httpsListener(ids.https, lb, httpsPort, defaultActions);
  return { http, https, arn: ifCondition(Conditions.ServesHttps, ref(https), ref(http)) };
}

/**
 * Production: HTTP on ProductionPort, or HTTPS on 443 (open to AllowedIngressCidr) and ProductionPort
 * answering every request with a permanent redirect to the same host and path over HTTPS.
 */
export function productionListeners(
  lb: LoadBalancing,
  defaultActions: readonly ListenerAction[],
  dependsOn: readonly string[] = [],
): ServingListeners {
  const { http, https, arn } = servingListeners(
    { http: Ids.ProductionListener, https: Ids.ProductionHttpsListener },
    lb,
    Params.ProductionPort,
    HTTPS_PORT,
    defaultActions,
  );
  const redirect = part(
    Ids.HttpsRedirectListener,
    new Listener({
      LoadBalancerArn: ref(lb.loadBalancer),
      Port: ref(Params.ProductionPort),
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: String(HTTPS_PORT), StatusCode: 'HTTP_301' },
        },
      ],
    }).condition(Conditions.ServesHttps),
  );
  // Its own resource, not an item of the group's list: a rule under a condition is then whole to every reader.
  const clients = part(
    Ids.LoadBalancerHttpsIngress,
    new SecurityGroupIngress({
      GroupId: ref(Ids.LoadBalancerSecurityGroup),
      IpProtocol: 'tcp',
      FromPort: HTTPS_PORT,
      ToPort: HTTPS_PORT,
      CidrIp: ref(Params.AllowedIngressCidr),
      Description: 'production listener (HTTPS)',
    }).condition(Conditions.ServesHttps),
  );
  // With a hosted zone, the domain resolves to the load balancer (an alias: no charge for its queries).
  const alias = part(
    Ids.AliasRecord,
    new RecordSet({
      HostedZoneId: ref(Params.HostedZoneId),
      Name: ref(Params.DomainName),
      Type: 'A',
      AliasTarget: {
        DNSName: getAtt(lb.loadBalancer, 'DNSName'),
        HostedZoneId: getAtt(lb.loadBalancer, 'CanonicalHostedZoneID'),
        EvaluateTargetHealth: true,
      },
    }).condition(Conditions.HasAliasRecord),
  );
  if (dependsOn.length > 0) for (const p of [http, https]) p.resource.dependsOn([...dependsOn]);
  return { parts: [clients, http, https, redirect, alias], arn };
}

/** The test route (CodeDeploy engine): HTTP on TestPort, or HTTPS on TestPort with the same certificate. */
export function testListeners(
  lb: LoadBalancing,
  defaultActions: readonly ListenerAction[],
  dependsOn: readonly string[] = [],
): ServingListeners {
  const { http, https, arn } = servingListeners(
    { http: Ids.TestListener, https: Ids.TestHttpsListener },
    lb,
    Params.TestPort,
    ref(Params.TestPort),
    defaultActions,
  );
  if (dependsOn.length > 0) for (const p of [http, https]) p.resource.dependsOn([...dependsOn]);
  return { parts: [http, https], arn };
}

/**
 * The URL of a route: `https://<DomainName>` (and `:<port>` for a port other than 443) with a
 * certificate, the load balancer's `http://<DNS name>:<port>` without.
 */
export function serviceUrl(port: string, https: 'standard' | 'same-port' = 'standard'): Value<string> {
  const secure =
    https === 'standard' ? `https://\${${Params.DomainName}}` : `https://\${${Params.DomainName}}:\${${port}}`;
  return ifCondition(Conditions.ServesHttps, sub(secure), listenerUrl(port));
}
