// The "Processor architecture" group: x86_64 or arm64 (Graviton) for the image, the projects that
// build it and the tasks that run it, and the condition that turns the choice into each service's
// word. A condition, not a mapping: mapping keys admit only letters, digits, `.` and `-` (cfn-lint
// E7001), and x86_64 is the word Lambda, the AWS CLI and uname use.
import { equals, ifCondition, ref } from '../intrinsics.js';
import { Conditions, Params } from '../naming.js';
import type { ParameterGroup } from './spec.js';

/** The architectures offered, the default first. */
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** What each service calls an architecture. */
export interface ArchitectureSettings {
  /** CodeBuild environment type (CodeBuild User Guide, "Build environment compute modes and types"). */
  readonly BuildEnvironment: 'LINUX_CONTAINER' | 'ARM_CONTAINER';
  /** CodeBuild's curated Amazon Linux 2023 image for it (CodeBuild User Guide, "Docker images provided by CodeBuild"). */
  readonly BuildImage: string;
  /** The task definition's RuntimePlatform CpuArchitecture. */
  readonly CpuArchitecture: 'X86_64' | 'ARM64';
  /** docker build --platform: the image is built for, and on, the architecture it runs on. */
  readonly DockerPlatform: 'linux/amd64' | 'linux/arm64';
}

export const ARCHITECTURE_SETTINGS: Readonly<Record<Architecture, ArchitectureSettings>> = {
  x86_64: {
    BuildEnvironment: 'LINUX_CONTAINER',
    BuildImage: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0',
    CpuArchitecture: 'X86_64',
    DockerPlatform: 'linux/amd64',
  },
  arm64: {
    BuildEnvironment: 'ARM_CONTAINER',
    BuildImage: 'aws/codebuild/amazonlinux2-aarch64-standard:3.0',
    CpuArchitecture: 'ARM64',
    DockerPlatform: 'linux/arm64',
  },
};

export const ARCHITECTURE: ParameterGroup = {
  label: 'Processor architecture',
  parameters: [
    {
      name: Params.Architecture,
      label: 'CPU architecture of the image and tasks',
      definition: {
        Type: 'String',
        Description:
          'CPU of the image and the tasks: the default, or arm64 (AWS Graviton, a lower Fargate price per vCPU and GB). The image is built on a CodeBuild host of this architecture and the tasks run on it; the Dockerfile and its base image must support it.',
        Default: 'x86_64',
        AllowedValues: ARCHITECTURES,
        ConstraintDescription: 'x86_64 or arm64',
      },
      fixedAfterCreate:
        'the image the service runs was built for this architecture: an update that switched it would start tasks of the other one on that image, which fail to start; deploy a new stack for the other architecture',
    },
  ],
};

export function architectureConditions(): Record<string, unknown> {
  return { [Conditions.IsArm64]: equals(ref(Params.Architecture), 'arm64') };
}

/** The chosen architecture's setting, as the template reads it. */
export const architectureSetting = (key: keyof ArchitectureSettings) =>
  ifCondition(Conditions.IsArm64, ARCHITECTURE_SETTINGS.arm64[key], ARCHITECTURE_SETTINGS.x86_64[key]);
