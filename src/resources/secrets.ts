// Secrets the stack generates for itself: a random token under the stack key, read by dynamic
// reference or by the one role that needs it, never written into the template.
import { Secret } from '../cfn/resources.js';
import { getAtt } from '../intrinsics.js';
import { physicalName } from '../naming.js';
import type { KeyRef } from './encryption.js';

export type Secret = InstanceType<typeof Secret>;

/** The JSON key of the generated value: read it as `{{resolve:secretsmanager:<arn>:SecretString:token}}`. */
export const TOKEN_KEY = 'token';

export interface GeneratedTokenProps {
  /** Physical name type: the secret is `cicd-<nameType>-<suffix>`. */
  readonly nameType: string;
  readonly description: string;
  readonly key: KeyRef;
  /** Letters and digits only, so the token fits any header or signature. */
  readonly length: number;
}

/** A secret holding `{"token": <length random letters and digits>}`, encrypted with the stack key. */
export function generatedToken(props: GeneratedTokenProps): Secret {
  return new Secret({
    Name: physicalName(props.nameType),
    Description: props.description,
    KmsKeyId: getAtt(props.key, 'Arn'),
    GenerateSecretString: {
      SecretStringTemplate: '{}',
      GenerateStringKey: TOKEN_KEY,
      PasswordLength: props.length,
      ExcludePunctuation: true,
    },
  });
}
