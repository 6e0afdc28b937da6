// The smoke test the ECS engine runs as a lifecycle hook once test traffic reaches the new tasks
// (POST_TEST_TRAFFIC_SHIFT): a Lambda handler in Python that requests the health-check path, and
// SMOKE_TEST_PATH when set, through the test route (the production listener with the test header).
// Any answer outside 2xx, a redirect included, or no answer in time fails the hook, and ECS rolls
// the deployment back. 502, 503 and 504 come from the load balancer while the new targets settle:
// those are asked again, a few seconds apart, before they count.
//
// The hook contract (ECS Developer Guide, "Lambda hooks for Amazon ECS service deployments"): the
// function returns {"hookStatus": "SUCCEEDED" | "FAILED"}; a function that raises also rolls back.
// The code is inline (CloudFormation's ZipFile, at most 4096 characters) so reviewers read it in the
// template; tests run it against a local HTTP server and a local Secrets Manager.

/** The header the test listener rule matches; its value is the token in the TestTrafficToken secret. */
import { HTTP_STATUS_HELPER } from './http-status.js';

export const TEST_TRAFFIC_HEADER = 'X-Cicd-Test-Token';

/** Statuses the load balancer answers while targets register: asked again before they count. */
export const SETTLING_STATUSES = [502, 503, 504] as const;

export const SMOKE_TEST_HANDLER = `import json
import os
import time
import urllib.error
import urllib.request

import boto3

HEADER = '${TEST_TRAFFIC_HEADER}'
SETTLING = ${JSON.stringify(SETTLING_STATUSES)}


${HTTP_STATUS_HELPER}


def handler(event, context):
    base = os.environ['TEST_URL'].rstrip('/')
    paths = [os.environ['HEALTH_CHECK_PATH']] + [p for p in [os.environ.get('SMOKE_TEST_PATH', '')] if p]
    timeout = float(os.environ.get('REQUEST_TIMEOUT_SECONDS', '10'))
    attempts = int(os.environ.get('ATTEMPTS', '3'))
    pause = float(os.environ.get('RETRY_SECONDS', '5'))
    details = event.get('executionDetails', event) if isinstance(event, dict) else {}
    revision = details.get('targetServiceRevisionArn', 'unknown') if isinstance(details, dict) else 'unknown'
    secret = boto3.client('secretsmanager').get_secret_value(SecretId=os.environ['TOKEN_SECRET_ARN'])
    token = json.loads(secret['SecretString'])['token']
    for path in paths:
        for attempt in range(1, attempts + 1):
            status, error = status_of(base + path, timeout, {HEADER: token})
            passed = status is not None and 200 <= status < 300
            print(json.dumps({'revision': revision, 'path': path, 'attempt': attempt, 'status': status,
                              'error': error, 'passed': passed}))
            if passed or status not in SETTLING or attempt == attempts:
                break
            time.sleep(pause)
        if not passed:
            return {'hookStatus': 'FAILED'}
    return {'hookStatus': 'SUCCEEDED'}
`;
