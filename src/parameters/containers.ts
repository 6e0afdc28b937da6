// How the application container runs: as which user, on a read-only root filesystem, and the image
// the service starts with before the pipeline's first release. The defaults are the hardened ones;
// each parameter is the escape hatch for an image that needs otherwise (README, "Containers").
import { equals, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterSpec } from './spec.js';

/**
 * The image a new stack runs until the pipeline releases its own: a Python image from ECR Public
 * (Docker's official library) whose command the task definition gives while it runs. It serves
 * one empty directory, writes nothing and needs no privilege, so it starts under the defaults below.
 */
export const STARTER_IMAGE = 'public.ecr.aws/docker/library/python:3.13-alpine';

/** The starter's command, for a container port: the standard library's HTTP server, bytecode off. */
export const starterCommand = (port: string): (string | ReturnType<typeof ref>)[] => [
  'python',
  '-B',
  '-m',
  'http.server',
  ref(port),
  '--bind',
  '0.0.0.0',
  '--directory',
  '/srv',
];

/** The one writable path of a read-only container: a task-scoped bind mount, gone with the task. */
export const SCRATCH_VOLUME = { name: 'scratch', containerPath: '/tmp' } as const;

/** A numeric user (and optional group) the container runs as; 0 is root. */
const USER_PATTERN = '^[0-9]{1,10}(:[0-9]{1,10})?$';

/** Nobody (65534): a user without a login, home or files in any common base image. */
export const DEFAULT_CONTAINER_USER = '65534';

export const CONTAINER_USER: ParameterSpec = {
  name: Params.ContainerUser,
  label: 'Container user (UID or UID:GID)',
  definition: {
    Type: 'String',
    Description:
      'Numeric user, or user:group, the application container runs as; 65534 (nobody) by default. An image that must run as its own user names that UID; 0 runs it as root.',
    Default: DEFAULT_CONTAINER_USER,
    AllowedPattern: USER_PATTERN,
    ConstraintDescription: 'a numeric UID such as 65534 or UID:GID such as 1000:1000',
  },
};

export const READ_ONLY_ROOT_FILESYSTEM: ParameterSpec = {
  name: Params.ReadOnlyRootFilesystem,
  label: 'Read-only root filesystem',
  definition: {
    Type: 'String',
    Description:
      'Whether the container root filesystem is read-only; /tmp stays writable (a task-scoped volume the image gives its user with VOLUME /tmp, README "Containers"). Set false for an image that writes elsewhere.',
    Default: 'true',
    AllowedValues: ['true', 'false'],
    ConstraintDescription: 'true or false',
  },
};

/** The container parameters, after the common Service ones. */
export const CONTAINER_PARAMETERS: readonly ParameterSpec[] = [CONTAINER_USER, READ_ONLY_ROOT_FILESYSTEM];

/** Conditions on the container parameters; `image` is the engine's image parameter. */
export function containerConditions(image: string): Record<string, unknown> {
  return {
    [Conditions.ReadOnlyRootFilesystem]: equals(ref(Params.ReadOnlyRootFilesystem), 'true'),
    [Conditions.RunsStarterImage]: equals(ref(image), STARTER_IMAGE),
  };
}
