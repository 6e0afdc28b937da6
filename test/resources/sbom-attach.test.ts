// The SBOM attachment as the AttachSbom project runs it: the buildspec's own commands, in bash, with
// the build's imageDetail.json in the working directory, the InspectorScan output as the secondary
// input, and a fake `aws` on PATH playing ECR's layer-upload and PutImage APIs.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SBOM_ATTACH_SCRIPT, SBOM_TYPES } from '../../src/resources/scripts/sbom-attach.js';
import type { FakeStep } from '../fake-tool.js';
import { fakeTool } from '../fake-tool.js';
import { VENV_BIN } from '../venv.js';
import type { Run } from './buildspec-run.js';
import { phaseCommands, runCommands, scratch } from './buildspec-run.js';

const PROJECT = 'AttachSbomProject';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE_MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
const CYCLONEDX = `${JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [] })}\n`;
const SPDX = `${JSON.stringify({ spdxVersion: 'SPDX-2.3', packages: [] })}\n`;
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

const answer = (body: object): FakeStep => ({ stdout: JSON.stringify(body) });
const noReferrers = answer({ referrers: [] });
const image = answer({
  images: [{ imageManifest: IMAGE_MANIFEST, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }],
  failures: [],
});
const missing = answer({ layers: [{ layerAvailability: 'UNAVAILABLE' }] });
const available = answer({ layers: [{ layerAvailability: 'AVAILABLE' }] });
const started = (partSize = 10_485_760) => answer({ uploadId: 'upload-1', partSize });
const ok = answer({});
const put = answer({ image: { imageId: { imageDigest: `sha256:${'99'.repeat(32)}` } } });

interface AttachRun extends Run {
  readonly calls: string[][];
}

/** Runs the build phase with `files` in the SBOM input and `plan` as ECR. */
function attach(plan: readonly FakeStep[], files: Record<string, string> = { 'report.json': CYCLONEDX }): AttachRun {
  const aws = fakeTool('aws', plan);
  const dir = scratch('sbom-attach');
  writeFileSync(
    join(dir, 'imageDetail.json'),
    JSON.stringify({ ImageURI: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/cicd-app-dev@${DIGEST}` }),
  );
  const sbom = scratch('image-sbom');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(sbom, name, '..'), { recursive: true });
    writeFileSync(join(sbom, name), text);
  }
  const run = runCommands(phaseCommands(PROJECT, 'build'), dir, {
    PATH: `${aws.bin}:${VENV_BIN}:/usr/bin:/bin`,
    REPOSITORY_NAME: 'cicd-app-dev',
    CODEBUILD_SRC_DIR_ImageSbom: sbom,
  });
  return { ...run, calls: aws.calls() };
}

/** The value after `flag` in a call. */
const arg = (call: string[] | undefined, flag: string): string => call?.[call.indexOf(flag) + 1] ?? '';

describe('SBOM attachment (the AttachSbom buildspec, run against a fake aws)', function () {
  this.timeout(60_000);

  it('carries the script itself, which the pinned ruff finds clean', () => {
    expect(phaseCommands(PROJECT, 'build').join('\n')).to.include(SBOM_ATTACH_SCRIPT);
    const file = join(scratch('ruff'), 'sbom_attach.py');
    writeFileSync(file, SBOM_ATTACH_SCRIPT);
    const ruff = spawnSync(join(VENV_BIN, 'ruff'), ['check', '--no-cache', '--line-length', '120', file], {
      encoding: 'utf8',
    });
    expect(`${ruff.stdout}${ruff.stderr}`).to.match(/All checks passed/);
  });

  it('uploads the SBOM and an empty config, then puts an OCI artifact whose subject is the pushed digest', () => {
    const run = attach([noReferrers, image, missing, started(), ok, ok, missing, started(), ok, ok, put]);
    expect(run.code, run.output).to.equal(0);
    expect(run.calls.map((c) => c[1])).to.deep.equal([
      'list-image-referrers',
      'batch-get-image',
      'batch-check-layer-availability',
      'initiate-layer-upload',
      'upload-layer-part',
      'complete-layer-upload',
      'batch-check-layer-availability',
      'initiate-layer-upload',
      'upload-layer-part',
      'complete-layer-upload',
      'put-image',
    ]);
    expect(arg(run.calls[0], '--filter')).to.equal(`artifactTypes=${SBOM_TYPES.cyclonedx}`);
    expect(arg(run.calls[1], '--image-ids')).to.equal(`imageDigest=${DIGEST}`);
    expect(arg(run.calls[5], '--layer-digests')).to.equal(sha256('{}'));
    expect(arg(run.calls[9], '--layer-digests')).to.equal(sha256(CYCLONEDX));
    expect(arg(run.calls[8], '--part-last-byte')).to.equal(String(Buffer.byteLength(CYCLONEDX) - 1));
    const manifest = JSON.parse(arg(run.calls[10], '--image-manifest')) as Record<string, unknown>;
    expect(manifest).to.deep.equal({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: SBOM_TYPES.cyclonedx,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256('{}'), size: 2 },
      layers: [
        {
          mediaType: SBOM_TYPES.cyclonedx,
          digest: sha256(CYCLONEDX),
          size: Buffer.byteLength(CYCLONEDX),
          annotations: { 'org.opencontainers.image.title': 'report.json' },
        },
      ],
      subject: {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: DIGEST,
        size: Buffer.byteLength(IMAGE_MANIFEST),
      },
    });
    expect(run.output).to.match(
      /Attached report\.json \(application\/vnd\.cyclonedx\+json, \d+ bytes, sha256:.*\) to sha256:ab.* as sha256:9{64}/,
    );
  });

  it('uploads in the part size ECR asks for, and skips blobs the repository holds', () => {
    const run = attach([noReferrers, image, available, missing, started(40), ok, ok, ok, put], {
      'out/sbom.spdx.json': SPDX,
    });
    expect(run.code, run.output).to.equal(0);
    const parts = run.calls.filter((c) => c[1] === 'upload-layer-part');
    const size = Buffer.byteLength(SPDX);
    expect(parts.map((c) => [arg(c, '--part-first-byte'), arg(c, '--part-last-byte')])).to.deep.equal([
      ['0', '39'],
      ['40', String(size - 1)],
    ]);
    expect(arg(run.calls[0], '--filter')).to.equal(`artifactTypes=${SBOM_TYPES.spdx}`);
  });

  it('stops when the SBOM is attached already (a re-run for the same commit)', () => {
    const run = attach([answer({ referrers: [{ digest: 'sha256:11', artifactType: SBOM_TYPES.cyclonedx }] })]);
    expect(run.code).to.equal(0);
    expect(run.output).to.include('is attached already: sha256:11');
    expect(run.calls).to.have.length(1);
  });

  const errors: [string, FakeStep[], Record<string, string> | undefined, RegExp][] = [
    [
      'a scan output without an SBOM',
      [noReferrers],
      { 'report.json': '{"findings": []}', 'notes.txt': 'x', 'broken.json': '{' },
      /no CycloneDX or SPDX JSON document in .* \(JSON files: broken\.json, report\.json\)/,
    ],
    [
      'an image ECR does not have',
      [noReferrers, answer({ images: [], failures: [{ failureCode: 'ImageNotFound' }] })],
      undefined,
      /ECR has no image .*ImageNotFound/,
    ],
    [
      'an upload without an ID',
      [noReferrers, image, missing, answer({ partSize: 5 })],
      undefined,
      /without an upload ID/,
    ],
    [
      'a refused put',
      [
        noReferrers,
        image,
        available,
        available,
        { stderr: 'An error occurred (ImageAlreadyExistsException)\n', exit: 254 },
      ],
      undefined,
      /aws ecr put-image failed: An error occurred \(ImageAlreadyExistsException\)/,
    ],
    ['output that is not JSON', [{ stdout: 'oops' }], undefined, /not JSON/],
    ['a killed aws', [{ signal: 'SIGKILL' }], undefined, /killed by signal 9/],
  ];
  for (const [what, plan, files, message] of errors) {
    it(`${what} is an error (exit 2)`, () => {
      const run = attach(plan, files);
      expect(run.output).to.match(message);
      expect(run.code, run.output).to.equal(2);
    });
  }

  it('refuses to run without the SBOM input, naming it', () => {
    const dir = scratch('no-input');
    writeFileSync(join(dir, 'imageDetail.json'), JSON.stringify({ ImageURI: `r@${DIGEST}` }));
    const run = runCommands(phaseCommands(PROJECT, 'build'), dir, { REPOSITORY_NAME: 'r' });
    expect(run.output).to.match(/the ImageSbom input is missing/);
    expect(run.code).to.not.equal(0);
    const direct = spawnSync('python3', ['-c', SBOM_ATTACH_SCRIPT, DIGEST], { encoding: 'utf8' });
    expect(direct.status).to.equal(2);
    expect(direct.stderr).to.match(/usage: sbom-attach sha256:/);
  });
});
