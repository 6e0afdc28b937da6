// The synthetic check an environment runs on a schedule once it is not the first a release reaches
// (the DPRA asks for continuous synthetic tests in gamma and production): a Lambda handler in Python
// that requests the health-check path, and SMOKE_TEST_PATH when set, through the production listener
// as a client would, and prints one JSON line per request with failed 0 or 1. A metric filter turns
// the lines into a metric per environment and an alarm fires on a failure or on no probe at all; no
// CloudWatch API call, so no permission.
// The code is inline (CloudFormation's ZipFile) so reviewers read it in the template; tests run it
// against a local HTTP server.

/** The namespace and metric the probe's failures are counted in. */
import { HTTP_STATUS_HELPER } from './http-status.js';

export const PROBE_NAMESPACE = 'cicd/Synthetics';
export const PROBE_FAILURES_METRIC = 'ProbeFailures';

export const PROBE_HANDLER = `import json
import os
import urllib.error
import urllib.request


${HTTP_STATUS_HELPER}


def handler(event, context):
    base = os.environ['PROBE_URL'].rstrip('/')
    environment = os.environ['ENVIRONMENT']
    paths = [os.environ['HEALTH_CHECK_PATH']] + [p for p in [os.environ.get('SMOKE_TEST_PATH', '')] if p]
    timeout = float(os.environ.get('REQUEST_TIMEOUT_SECONDS', '10'))
    failed = 0
    for path in paths:
        status, error = status_of(base + path, timeout)
        passed = status is not None and 200 <= status < 300
        failed += 0 if passed else 1
        print(json.dumps({'probe': 'production', 'environment': environment, 'path': path, 'status': status,
                          'error': error, 'failed': 0 if passed else 1}))
    return {'failed': failed}
`;
