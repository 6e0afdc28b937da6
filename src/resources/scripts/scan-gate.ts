// The image scan gate the SecurityScan project runs, in Python 3 (on every CodeBuild image). It is
// a program of its own: tests write it to a file, lint it with the pinned ruff and run it against a
// fake `aws` on PATH for every scan status.
//
// Why a polling loop and not `aws ecr wait image-scan-complete`: that waiter succeeds only on
// COMPLETE (botocore's ecr waiters), while enhanced scanning (Amazon Inspector) reports ACTIVE and
// never COMPLETE; and right after a push DescribeImageScanFindings answers ScanNotFoundException
// until the scan record exists (ECR API Reference, DescribeImageScanFindings and ImageScanStatus).
import { pythonPrelude } from './prelude.js';

/** Scan statuses with findings to judge: basic scanning's COMPLETE, enhanced scanning's ACTIVE. */
export const SCAN_DONE = ['COMPLETE', 'ACTIVE'] as const;
/** Statuses that may still turn into a result. */
export const SCAN_WAITING = ['PENDING', 'IN_PROGRESS'] as const;

/**
 * usage: scan-gate IMAGE_DIGEST, with REPOSITORY_NAME and SCAN_SEVERITY_THRESHOLD in the environment
 * (SCAN_WAIT_SECONDS, default 900, and SCAN_POLL_SECONDS, default 15, bound the wait). Exit 0: nothing
 * at or above the threshold; 1: findings at or above it, or no usable scan; 2: bad usage or `aws` failed.
 */
export const SCAN_GATE_SCRIPT = `${pythonPrelude('scan gate', ['aws', 'seconds'], ['time'])}ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']
DONE = ${JSON.stringify(SCAN_DONE)}
WAITING = ${JSON.stringify(SCAN_WAITING)}
QUERY = ('{status: imageScanStatus.status, description: imageScanStatus.description, '
         'counts: imageScanFindings.findingSeverityCounts}')
# Errors that mean "not yet": the scan record appears shortly after the push.
RETRYABLE = ['ScanNotFoundException', 'ThrottlingException']


def scan(repository, digest):
    """The scan status, its description and the severity counts; None while the scan is not there yet."""
    answer = aws(['ecr', 'describe-image-scan-findings', '--repository-name', repository,
                  '--image-id', 'imageDigest=' + digest, '--query', QUERY],
                 tolerate=RETRYABLE, retry_timeout=True)
    if answer is None:
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get('status'), str):
        stop(2, 'scan gate: aws answered without a scan status: ' + repr(answer)[:200])
    return answer


def main():
    if len(sys.argv) != 2 or not sys.argv[1].startswith('sha256:'):
        stop(2, 'usage: scan-gate sha256:<image digest>')
    digest = sys.argv[1]
    repository = setting('REPOSITORY_NAME')
    threshold = setting('SCAN_SEVERITY_THRESHOLD')
    if threshold not in ORDER:
        stop(2, 'scan gate: SCAN_SEVERITY_THRESHOLD=' + repr(threshold) + ' is not one of ' + ', '.join(ORDER))
    wait, poll = seconds('SCAN_WAIT_SECONDS', '900'), seconds('SCAN_POLL_SECONDS', '15')
    deadline = time.monotonic() + wait
    status = 'no scan record yet'
    while True:
        answer = scan(repository, digest)
        if answer is not None:
            status = answer['status']
            if status in DONE:
                break
            if status not in WAITING:
                why = answer.get('description') or 'no description'
                stop(1, 'Scan gate FAILED: the scan of ' + digest + ' is ' + status + ' (' + why + '); nothing to judge')
        if time.monotonic() + poll > deadline:
            stop(1, 'Scan gate FAILED: no scan result for ' + digest + ' after ' + str(wait) + ' s (last: ' + status + ')')
        time.sleep(poll)
    counts = answer.get('counts') or {}
    if not isinstance(counts, dict) or not all(isinstance(n, int) for n in counts.values()):
        stop(2, 'scan gate: severity counts are not numbers: ' + repr(counts))
    shown = [s + '=' + str(counts.get(s, 0)) for s in ORDER + sorted(set(counts) - set(ORDER))]
    print('Image scan (' + status + ') findings: ' + ', '.join(shown))
    blocking = [s + '=' + str(counts[s]) for s in ORDER[: ORDER.index(threshold) + 1] if counts.get(s, 0) > 0]
    if blocking:
        stop(1, 'Scan gate FAILED: ' + ', '.join(blocking) + ' at or above ' + threshold)
    print('Scan gate passed: nothing at or above ' + threshold)


main()
`;
