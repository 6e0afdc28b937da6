// The supply-chain checks that run as CodeBuild projects, each its own action so a failure names
// what failed: secrets detection and static analysis on the source (beside the image build), the
// SBOM attached to the image and its signature checked (after the image exists). Each gate is a
// program of its own under scripts/; the scanners it needs are pinned in tool-pins.ts.
import type { Part } from '../cfn/template.js';
import { ECR_ATTACH_ARTIFACT, ECR_SIGNATURE_READ } from '../iam/actions.js';
import { allow } from '../iam/policy.js';
import type { Value } from '../intrinsics.js';
import { getAtt, ref } from '../intrinsics.js';
import { Params, ProjectStems } from '../naming.js';
import { ARTIFACTS } from './actions.js';
import type { ProjectSpec } from './build.js';
import { dumpBuildspec, imageScriptBuildspec, platformBuildspec } from './build.js';
import type { Repository } from './registry.js';
import { SBOM_ATTACH_SCRIPT } from './scripts/sbom-attach.js';
import { SIGNATURE_GATE_SCRIPT } from './scripts/signature-gate.js';
import { SAST_GATE_SCRIPT } from './scripts/sast-gate.js';
import { platformRulesYaml } from './scripts/sast-rules.js';
import { SECRETS_GATE_SCRIPT } from './scripts/secrets-gate.js';
import type { PinnedTool } from './tool-pins.js';
import { DETECT_SECRETS, installCommand, SEMGREP, versionCheckCommand } from './tool-pins.js';

/** Where a scanner's venv goes in the build container (a variable, so tests put a fake scanner there). */
const SCANNER_VENV = { SCANNER_VENV: '/tmp/scanner' };
const VENV = '"$SCANNER_VENV"';
/** Where the platform's Semgrep rules are written. */
const PLATFORM_RULES_FILE = `${VENV}/platform-rules.yaml`;
/** pip's download cache, kept between builds on the same host (LOCAL_CUSTOM_CACHE); pip checks every hash again. */
const PIP_CACHE = '/root/.cache/pip/**/*';

/** A buildspec that installs one pinned scanner, then runs a gate script with it on the source. */
function scannerBuildspec(tool: PinnedTool, commands: readonly string[]): string {
  return dumpBuildspec(
    platformBuildspec(
      {
        phases: {
          install: {
            // The wheels' Python range starts at 3.10; naming the runtime keeps the image's default from moving under them.
            'runtime-versions': { python: '3.12' },
            commands: [installCommand(tool, VENV), versionCheckCommand(tool, VENV)],
          },
          build: { commands },
        },
        cache: { paths: [PIP_CACHE] },
      },
      { variables: SCANNER_VENV },
    ),
  );
}

/** The gate script as one buildspec command: the venv's Python reads it from a quoted heredoc. */
const runGate = (script: string, args = '') => `${VENV}/bin/python -${args} <<'PY'\n${script}PY\n`;

/** Secrets detection on every commit's source: fails on any finding the application's baseline does not hold. */
export function secretsScanSpec(): ProjectSpec {
  return {
    stem: ProjectStems.SecretsScan,
    nameType: 'secrets-scan',
    description: `Secrets detection (detect-secrets ${DETECT_SECRETS.version}) on the source: fails on any finding`,
    buildspec: scannerBuildspec(DETECT_SECRETS, [runGate(SECRETS_GATE_SCRIPT)]),
    pipCache: true,
    timeoutInMinutes: 15,
  };
}

/** Static analysis of the source with the platform's and the application's Semgrep rules. */
export function staticAnalysisSpec(): ProjectSpec {
  return {
    stem: ProjectStems.StaticAnalysis,
    nameType: 'static-analysis',
    description: `Static analysis (Semgrep CE ${SEMGREP.version}) on the source: fails at or above the threshold`,
    buildspec: scannerBuildspec(SEMGREP, [
      `cat > ${PLATFORM_RULES_FILE} <<'RULES'\n${platformRulesYaml()}RULES\n`,
      runGate(SAST_GATE_SCRIPT, ` --rules ${PLATFORM_RULES_FILE} --threshold "$SAST_SEVERITY_THRESHOLD"`),
    ]),
    environment: { SAST_SEVERITY_THRESHOLD: ref(Params.SastSeverityThreshold) },
    pipCache: true,
    timeoutInMinutes: 15,
  };
}

/** The signature check before Deploy: ECR signed the pushed digest with the signing profile, and the signature is stored. */
export function verifySignatureSpec(repository: Part<Repository>, signingProfileArn: Value<string>): ProjectSpec {
  return {
    stem: ProjectStems.VerifySignature,
    nameType: 'verify-signature',
    description: 'Signature gate: the pushed digest is signed with the signing profile before any deploy',
    buildspec: imageScriptBuildspec('Signature gate', SIGNATURE_GATE_SCRIPT),
    environment: { REPOSITORY_NAME: ref(repository), SIGNING_PROFILE_ARN: signingProfileArn },
    statements: [allow('ReadSigningStatusInThisRepository', ECR_SIGNATURE_READ, [getAtt(repository, 'Arn')])],
    timeoutInMinutes: 15,
  };
}

/** Attaches the image's SBOM (the ImageSbom artifact) to the image in ECR, as an OCI artifact whose subject is the digest. */
export function attachSbomSpec(repository: Part<Repository>): ProjectSpec {
  return {
    stem: ProjectStems.AttachSbom,
    nameType: 'attach-sbom',
    description: "Attaches Amazon Inspector's SBOM of the image to the image's record in ECR",
    buildspec: imageScriptBuildspec(
      'SBOM attachment',
      SBOM_ATTACH_SCRIPT,
      'IMAGE_DIGEST',
      // CodeBuild names a secondary input's directory CODEBUILD_SRC_DIR_<artifact name>.
      ` "\${CODEBUILD_SRC_DIR_${ARTIFACTS.imageSbom}:?the ${ARTIFACTS.imageSbom} input is missing}"`,
    ),
    environment: { REPOSITORY_NAME: ref(repository) },
    statements: [allow('AttachArtifactsInThisRepository', ECR_ATTACH_ARTIFACT, [getAtt(repository, 'Arn')])],
    timeoutInMinutes: 15,
  };
}
