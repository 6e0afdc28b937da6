// The release step of the ECS engine's Deploy stage, in Python 3 (on every CodeBuild image): it
// prepares a change set of the pipeline's own stack that changes only the image and the release ID,
// so CloudFormation (the next action executes the change set) and ECS agree on the task definition.
//
// Why a change set with the previous template and every other parameter's previous value: the
// CodePipeline CloudFormation action cannot keep a parameter's previous value, and a parameter it
// leaves out falls back to the template default (CloudFormation API Reference, Parameter; roadmap
// issue aws-cloudformation/cloudformation-coverage-roadmap#1789). `--change-set-type UPDATE` is the
// API's default, written out for readers and for local servers that assume CREATE.
import { pythonPrelude } from './prelude.js';

/** Stack statuses from which a stack accepts an update (CloudFormation User Guide, "Stack status codes"). */
export const UPDATABLE_STATUSES = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
] as const;

/** The parameters a release sets; every other parameter keeps its value. */
export interface ReleaseParameters {
  readonly image: string;
  readonly release: string;
}

/**
 * usage: release IMAGE_URI (registry/repository@sha256:digest), with STACK_NAME, CHANGE_SET_NAME and
 * RELEASE_ID in the environment (RELEASE_WAIT_SECONDS, default 1800, and RELEASE_POLL_SECONDS, default
 * 15, bound the waits). Exit 0: the change set is ready to execute; 1: the stack cannot take the release
 * now (busy past the wait, failed, already running it, or the change set failed); 2: bad usage or `aws` failed.
 */
export const releaseScript = (
  parameters: ReleaseParameters,
): string => `${pythonPrelude('release', ['aws', 'seconds'], ['time'])}IMAGE = '${parameters.image}'
RELEASE = '${parameters.release}'
UPDATABLE = ${JSON.stringify(UPDATABLE_STATUSES)}
STACK_QUERY = 'Stacks[0].{status: StackStatus, parameters: Parameters}'
CHANGE_SET_QUERY = ('{status: Status, reason: StatusReason, '
                    'changes: Changes[].ResourceChange.{action: Action, id: LogicalResourceId, replace: Replacement}}')


def waited(deadline, poll, what):
    if time.monotonic() + poll > deadline:
        stop(1, 'release: ' + what + '; giving up')
    time.sleep(poll)


def stable_stack(name, deadline, poll):
    """The stack's status and parameter values, once no operation is running on it."""
    while True:
        answer = aws(['cloudformation', 'describe-stacks', '--stack-name', name, '--query', STACK_QUERY])
        if not isinstance(answer, dict) or not isinstance(answer.get('status'), str):
            stop(2, 'release: aws answered without a stack status: ' + repr(answer)[:200])
        status = answer['status']
        if not status.endswith('_IN_PROGRESS'):
            return status, {p['ParameterKey']: p.get('ParameterValue') for p in answer.get('parameters') or []}
        print('release: stack ' + name + ' is ' + status + '; waiting for it to finish', flush=True)
        waited(deadline, poll, 'stack ' + name + ' is still ' + status)


def main():
    if len(sys.argv) != 2 or '@sha256:' not in sys.argv[1]:
        stop(2, 'usage: release <registry>/<repository>@sha256:<digest>')
    image = sys.argv[1]
    name, change_set, release = setting('STACK_NAME'), setting('CHANGE_SET_NAME'), setting('RELEASE_ID')
    wait, poll = seconds('RELEASE_WAIT_SECONDS', '1800'), seconds('RELEASE_POLL_SECONDS', '15')
    deadline = time.monotonic() + wait

    status, values = stable_stack(name, deadline, poll)
    if status not in UPDATABLE:
        stop(1, 'release: stack ' + name + ' is ' + status + ' and cannot be updated until that is resolved')
    missing = [key for key in (IMAGE, RELEASE) if key not in values]
    if missing:
        stop(2, 'release: stack ' + name + ' has no ' + ' or '.join(missing)
             + ' parameter; only a stack of the ECS deployment engine takes releases')
    if values[IMAGE] == image and values[RELEASE] == release:
        stop(1, 'release: stack ' + name + ' already runs ' + image + ' from release ' + release)

    parameters = [{'ParameterKey': key, 'UsePreviousValue': True} for key in sorted(values) if key not in (IMAGE, RELEASE)]
    parameters += [{'ParameterKey': IMAGE, 'ParameterValue': image}, {'ParameterKey': RELEASE, 'ParameterValue': release}]
    target = ['--stack-name', name, '--change-set-name', change_set]
    # A change set left from an earlier run (failed, or never executed) holds the name.
    left = aws(['cloudformation', 'list-change-sets', '--stack-name', name,
                '--query', "Summaries[?ChangeSetName=='" + change_set + "'].ChangeSetId"])
    if not isinstance(left, list):
        stop(2, 'release: aws answered without a list of change sets: ' + repr(left)[:200])
    if left:
        aws(['cloudformation', 'delete-change-set', *target])
    aws(['cloudformation', 'create-change-set', *target, '--change-set-type', 'UPDATE', '--use-previous-template',
         '--capabilities', 'CAPABILITY_NAMED_IAM', '--description', 'Release ' + release + ': ' + image,
         '--parameters', json.dumps(parameters)])
    print('release: ' + image + ' (release ' + release + ') -> change set ' + change_set + ' of ' + name, flush=True)
    while True:
        answer = aws(['cloudformation', 'describe-change-set', *target, '--query', CHANGE_SET_QUERY])
        state = answer.get('status') if isinstance(answer, dict) else None
        if state == 'CREATE_COMPLETE':
            for change in answer.get('changes') or []:
                print('  ' + str(change.get('action')) + ' ' + str(change.get('id'))
                      + (' (replacement: ' + str(change.get('replace')) + ')' if change.get('replace') else ''))
            print('release: change set ' + change_set + ' is ready; the Deploy action executes it')
            return
        if state == 'FAILED':
            stop(1, 'release: change set ' + change_set + ' failed: ' + str(answer.get('reason')))
        if state is None:
            stop(2, 'release: aws answered without a change set status: ' + repr(answer)[:200])
        waited(deadline, poll, 'change set ' + change_set + ' is still ' + state)


main()
`;
