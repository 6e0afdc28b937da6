// The signature gate the VerifySignature project runs before the Deploy stage, in Python 3 with the
// aws CLI (both on every CodeBuild image). ECR managed signing signs the pushed digest with the
// signing profile; the gate waits for ECR's signing status of that digest and profile, then checks
// that the Notation signature is stored beside the image. It trusts ECR's record of the signing
// (DescribeImageSigningStatus, ListImageReferrers); verifying the signature's certificate chain is
// `notation verify` with the AWS Signer plugin where images are admitted (README, "Signed images").
// Tests run it against a fake `aws` for every answer.
import { pythonPrelude } from './prelude.js';

/** The artifact type of a Notation signature (Notary Project specification). */
export const NOTATION_SIGNATURE_TYPE = 'application/vnd.cncf.notary.signature';

/**
 * usage: signature-gate IMAGE_DIGEST, with REPOSITORY_NAME and SIGNING_PROFILE_ARN in the
 * environment (SIGNING_WAIT_SECONDS, default 300, and SIGNING_POLL_SECONDS, default 10, bound the
 * wait). Exit 0: signed by the profile, signature stored; 1: not signed by it, signing failed, or no
 * signature stored; 2: bad usage or `aws` failed.
 */
export const SIGNATURE_GATE_SCRIPT = `${pythonPrelude('signature gate', ['ecr', 'seconds'], ['time'])}SIGNATURE = '${NOTATION_SIGNATURE_TYPE}'


def status(repository, digest, profile):
    """ECR's signing status of the digest for the profile, or None while it has none."""
    answer = ecr('describe-image-signing-status', '--repository-name', repository, '--image-id',
                 'imageDigest=' + digest)
    statuses = answer.get('signingStatuses')
    if not isinstance(statuses, list) or not all(isinstance(s, dict) for s in statuses):
        stop(2, 'signature gate: aws answered without signing statuses: ' + repr(answer)[:200])
    for s in statuses:
        if s.get('signingProfileArn') == profile:
            return s
    others = ', '.join(str(s.get('signingProfileArn')) for s in statuses) or 'none'
    print('No signing status for ' + profile + ' yet (profiles with one: ' + others + ')')
    return None


def main():
    if len(sys.argv) != 2 or not sys.argv[1].startswith('sha256:'):
        stop(2, 'usage: signature-gate sha256:<image digest>')
    digest = sys.argv[1]
    repository = setting('REPOSITORY_NAME')
    profile = setting('SIGNING_PROFILE_ARN')
    wait, poll = seconds('SIGNING_WAIT_SECONDS', '300'), seconds('SIGNING_POLL_SECONDS', '10')
    deadline = time.monotonic() + wait
    while True:
        found = status(repository, digest, profile)
        state = None if found is None else found.get('status')
        if state == 'COMPLETE':
            break
        if state == 'FAILED':
            stop(1, 'Signature gate FAILED: ECR could not sign ' + digest + ' with ' + profile + ': '
                 + str(found.get('failureCode')) + ' (' + str(found.get('failureReason')) + ')')
        if state not in (None, 'IN_PROGRESS'):
            stop(2, 'signature gate: unknown signing status ' + repr(state))
        if time.monotonic() + poll > deadline:
            stop(1, 'Signature gate FAILED: ' + digest + ' is not signed with ' + profile + ' after ' + str(wait)
                 + ' s (last: ' + str(state or 'no status') + '); does the registry signing configuration cover '
                 + repository + ', and may the build role sign with the profile?')
        time.sleep(poll)
    answer = ecr('list-image-referrers', '--repository-name', repository, '--subject-id', 'imageDigest=' + digest,
                 '--filter', 'artifactTypes=' + SIGNATURE)
    referrers = answer.get('referrers')
    if not isinstance(referrers, list):
        stop(2, 'signature gate: aws answered without referrers: ' + repr(answer)[:200])
    signatures = [r.get('digest') for r in referrers if isinstance(r, dict) and r.get('artifactType') == SIGNATURE
                  and r.get('artifactStatus', 'ACTIVE') == 'ACTIVE']
    if not signatures:
        stop(1, 'Signature gate FAILED: ECR reports ' + digest + ' signed, but no Notation signature is stored beside it')
    print('Signature gate passed: ' + digest + ' signed with ' + profile + ' (signature ' + ', '.join(signatures) + ')')


main()
`;
