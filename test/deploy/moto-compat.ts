// What the pinned moto (5.2.5) models, read from moto itself: the deploy test's expectations, and the
// check that src/deploy/emulator.ts's copy of the list is current. The template rewrite that lets
// moto take our template lives in src/deploy/emulator.ts (`cfn-cicd deploy --emulator`).
import { venvPython } from '../venv.js';

/** Resource types moto's CloudFormation creates for real; it skips the others (no physical resource). */
export function motoModeledTypes(): Set<string> {
  return new Set(
    venvPython<string[]>(
      'import json\nfrom moto.cloudformation.parsing import get_model_map\nprint(json.dumps(sorted(get_model_map())))',
    ),
  );
}

/** Types moto creates but lists without a physical id (a security group's rule, a function's permission). */
export const WITHOUT_PHYSICAL_ID: ReadonlySet<string> = new Set([
  'AWS::EC2::SecurityGroupIngress',
  'AWS::Lambda::Permission',
]);
