// HTTPS and the name clients use: an ACM certificate turns the listeners into HTTPS (HTTP then
// redirects), the domain it covers is where clients and the smoke test go, and a Route 53 hosted
// zone, when given, gets the domain's alias record. Empty, all three leave today's plain-HTTP load
// balancer.
import type { Engine } from '../config.js';
import { and, equals, not, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterSpec } from './spec.js';

/** The port the HTTPS production listener serves on; ProductionPort then redirects to it. */
export const HTTPS_PORT = 443;

/** An ACM certificate ARN (the certificate ID is a UUID), or empty. */
export const CERTIFICATE_ARN_PATTERN =
  '^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$';
/** A Route 53 hosted zone ID (Z and capital letters and digits), or empty. */
export const HOSTED_ZONE_ID_PATTERN = '^$|^Z[A-Z0-9]{1,31}$';
/** A lower-case DNS name of two or more labels, at most 253 characters, or empty. */
export const DOMAIN_NAME_PATTERN = '^$|^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$';

export const HTTPS_PARAMETERS: readonly ParameterSpec[] = [
  {
    name: Params.CertificateArn,
    label: 'ACM certificate ARN (optional, HTTPS)',
    fixedAfterCreate:
      'HTTP and HTTPS are different listeners (and rules): switching replaces them, and a new one forwards to the blue target group, which a deployment may have left idle; deploy a new stack (ACM renews a certificate under the same ARN)',
    definition: {
      Type: 'String',
      Description: `ACM certificate for DomainName, in this region. Given, the load balancer serves HTTPS on ${HTTPS_PORT} (and the test listener) with a TLS 1.3 policy and ProductionPort redirects to it; empty serves plain HTTP.`,
      Default: '',
      AllowedPattern: CERTIFICATE_ARN_PATTERN,
      ConstraintDescription:
        'empty, or an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef',
    },
  },
  {
    name: Params.DomainName,
    label: 'Domain name (with a certificate)',
    definition: {
      Type: 'String',
      Description:
        'The name clients use, which the certificate covers (e.g. app.example.com); required with CertificateArn, empty without.',
      Default: '',
      AllowedPattern: DOMAIN_NAME_PATTERN,
      ConstraintDescription: 'empty, or a lower-case DNS name such as app.example.com',
    },
  },
  {
    name: Params.HostedZoneId,
    label: 'Route 53 hosted zone ID (optional)',
    definition: {
      Type: 'String',
      Description:
        'Public Route 53 hosted zone of DomainName: given, the stack creates the alias A record of DomainName to the load balancer; empty when DNS is kept elsewhere.',
      Default: '',
      AllowedPattern: HOSTED_ZONE_ID_PATTERN,
      ConstraintDescription: 'empty, or a hosted zone ID such as Z0123456789ABCDEFGHIJ',
    },
  },
];

const given = (name: string) => not(equals(ref(name), ''));

export function httpsConditions(): Record<string, unknown> {
  return {
    [Conditions.ServesHttps]: given(Params.CertificateArn),
    [Conditions.ServesHttp]: equals(ref(Params.CertificateArn), ''),
    [Conditions.HasAliasRecord]: given(Params.HostedZoneId),
  };
}

/**
 * The certificate and the domain come together (the smoke test and the URLs address the name the
 * certificate covers), a hosted zone needs the domain its record names, and no other listener may
 * take the HTTPS port.
 */
export function httpsRules(engine: Engine): Record<string, unknown> {
  const ports = engine === 'codedeploy' ? [Params.ProductionPort, Params.TestPort] : [Params.ProductionPort];
  const free = ports.map((p) => not(equals(ref(p), String(HTTPS_PORT))));
  return {
    CertificateAndDomainTogether: {
      RuleCondition: given(Params.CertificateArn),
      Assertions: [
        {
          Assert: given(Params.DomainName),
          AssertDescription: 'DomainName (the name the certificate covers) is required with CertificateArn',
        },
        {
          Assert: free.length === 1 ? free[0] : and(...free),
          AssertDescription: `With CertificateArn, HTTPS takes port ${HTTPS_PORT}: ${ports.join(' and ')} must be another port`,
        },
      ],
    },
    DomainNeedsCertificate: {
      RuleCondition: given(Params.DomainName),
      Assertions: [
        {
          Assert: given(Params.CertificateArn),
          AssertDescription: 'DomainName is served over HTTPS: CertificateArn is required with it',
        },
      ],
    },
    HostedZoneNeedsDomain: {
      RuleCondition: given(Params.HostedZoneId),
      Assertions: [
        {
          Assert: given(Params.DomainName),
          AssertDescription: 'HostedZoneId gets the DomainName alias record: DomainName is required with it',
        },
      ],
    },
  };
}
