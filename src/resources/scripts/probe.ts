// The synthetic check an environment runs on a schedule once it is not the first a release reaches
// (the DPRA asks for continuous synthetic tests in gamma and production): a Lambda handler in Python
// that requests the health-check path, and SMOKE_TEST_PATH when set, through the production listener
// as a client would, and prints one JSON line per request with failed 0 or 1. A metric filter turns
// the lines into a metric per environment and an alarm fires on a failure or on no probe at all; no
// CloudWatch API call, so no permission.
// The code is inline (CloudFormation's ZipFile) so reviewers read it in the template; tests run it
// against a local HTTP server.

/** The namespace and metric the probe's failures are counted in. */
export const PROBE_NAMESPACE = 'cicd/Synthetics';
export const PROBE_FAILURES_METRIC = 'ProbeFailures';

export const PROBE_HANDLER = `import json
import os
import urllib.error
import urllib.request


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def status_of(url, timeout):
    """The HTTP status of GET url, or the reason there is none."""
    try:
        with OPENER.open(urllib.request.Request(url), timeout=timeout) as answer:
            return answer.status, None
    except urllib.error.HTTPError as error:
        return error.code, None
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, 'reason', error))


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
