// The step that attaches the image's SBOM (written by the InspectorScan action) to the image's
// record in ECR, in Python 3 with the aws CLI: an OCI artifact whose subject is the pushed digest
// (OCI image spec 1.1, which ECR stores and lists with ListImageReferrers), pushed through the ECR
// API, so no registry client is needed. A re-run for the same digest finds it there and stops.
// Tests run it against a fake `aws` for every answer.
import { pythonPrelude } from './prelude.js';

/** Artifact types of the SBOM formats the step recognises. */
export const SBOM_TYPES = { cyclonedx: 'application/vnd.cyclonedx+json', spdx: 'application/spdx+json' } as const;

/**
 * usage: sbom-attach IMAGE_DIGEST SBOM_DIR, with REPOSITORY_NAME in the environment. Exit 0: the
 * SBOM is attached (now or before); 2: no SBOM in the directory, bad usage, or `aws` failed.
 */
export const SBOM_ATTACH_SCRIPT = `${pythonPrelude('sbom attach', ['ecr', 'setting'], ['hashlib', 'tempfile'])}OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
# The OCI empty descriptor: an artifact manifest's config when the artifact has none.
EMPTY = {'mediaType': 'application/vnd.oci.empty.v1+json', 'digest': 'sha256:' + hashlib.sha256(b'{}').hexdigest(),
         'size': 2}
SUBJECT_TYPES = [OCI_MANIFEST, 'application/vnd.oci.image.index.v1+json',
                 'application/vnd.docker.distribution.manifest.v2+json',
                 'application/vnd.docker.distribution.manifest.list.v2+json']


def find_sbom(directory):
    """The first JSON file in the directory that is a CycloneDX or SPDX document, and its artifact type."""
    seen = []
    for root, _, files in sorted(os.walk(directory)):
        for name in sorted(f for f in files if f.endswith('.json')):
            path = os.path.join(root, name)
            seen.append(os.path.relpath(path, directory))
            try:
                with open(path, encoding='utf-8') as f:
                    document = json.load(f)
            except (OSError, ValueError):
                continue
            if isinstance(document, dict) and document.get('bomFormat') == 'CycloneDX':
                return path, '${SBOM_TYPES.cyclonedx}'
            if isinstance(document, dict) and str(document.get('spdxVersion', '')).startswith('SPDX-'):
                return path, '${SBOM_TYPES.spdx}'
    stop(2, 'sbom attach: no CycloneDX or SPDX JSON document in ' + directory + ' (JSON files: '
         + (', '.join(seen) or 'none') + ')')


def upload(repository, data, digest, scratch):
    """Uploads a blob to the repository unless it is there already."""
    check = ecr('batch-check-layer-availability', '--repository-name', repository, '--layer-digests', digest)
    if any(layer.get('layerAvailability') == 'AVAILABLE' for layer in check.get('layers') or []):
        return
    started = ecr('initiate-layer-upload', '--repository-name', repository)
    upload_id, part = started.get('uploadId'), started.get('partSize')
    if not isinstance(upload_id, str) or not isinstance(part, int) or part < 1:
        stop(2, 'sbom attach: aws answered without an upload ID and part size: ' + repr(started)[:200])
    chunk = os.path.join(scratch, 'part')
    for first in range(0, len(data), part):
        with open(chunk, 'wb') as f:
            f.write(data[first:first + part])
        ecr('upload-layer-part', '--repository-name', repository, '--upload-id', upload_id, '--part-first-byte',
            str(first), '--part-last-byte', str(min(first + part, len(data)) - 1), '--layer-part-blob',
            'fileb://' + chunk)
    ecr('complete-layer-upload', '--repository-name', repository, '--upload-id', upload_id, '--layer-digests', digest)


def main():
    if len(sys.argv) != 3 or not sys.argv[1].startswith('sha256:'):
        stop(2, 'usage: sbom-attach sha256:<image digest> <directory holding the SBOM>')
    digest, directory = sys.argv[1], sys.argv[2]
    repository = setting('REPOSITORY_NAME')
    path, media = find_sbom(directory)
    found = ecr('list-image-referrers', '--repository-name', repository, '--subject-id', 'imageDigest=' + digest,
                '--filter', 'artifactTypes=' + media)
    attached = [r.get('digest') for r in found.get('referrers') or [] if isinstance(r, dict)
                and r.get('artifactType') == media and r.get('artifactStatus', 'ACTIVE') == 'ACTIVE']
    if attached:
        print('The SBOM of ' + digest + ' is attached already: ' + ', '.join(map(str, attached)))
        return
    got = ecr('batch-get-image', '--repository-name', repository, '--image-ids', 'imageDigest=' + digest,
              '--accepted-media-types', *SUBJECT_TYPES)
    images = got.get('images') or []
    if not images or not isinstance(images[0].get('imageManifest'), str):
        stop(2, 'sbom attach: ECR has no image ' + digest + ' in ' + repository + ': ' + repr(got.get('failures'))[:200])
    subject = images[0]['imageManifest'].encode('utf-8')
    with open(path, 'rb') as f:
        data = f.read()
    layer = 'sha256:' + hashlib.sha256(data).hexdigest()
    with tempfile.TemporaryDirectory() as scratch:
        upload(repository, b'{}', EMPTY['digest'], scratch)
        upload(repository, data, layer, scratch)
    manifest = {
        'schemaVersion': 2,
        'mediaType': OCI_MANIFEST,
        'artifactType': media,
        'config': EMPTY,
        'layers': [{'mediaType': media, 'digest': layer, 'size': len(data),
                    'annotations': {'org.opencontainers.image.title': os.path.basename(path)}}],
        'subject': {'mediaType': images[0].get('imageManifestMediaType') or OCI_MANIFEST, 'digest': digest,
                    'size': len(subject)},
    }
    put = ecr('put-image', '--repository-name', repository, '--image-manifest',
              json.dumps(manifest, separators=(',', ':')), '--image-manifest-media-type', OCI_MANIFEST)
    artifact = (put.get('image') or {}).get('imageId', {}).get('imageDigest', '?')
    print('Attached ' + os.path.basename(path) + ' (' + media + ', ' + str(len(data)) + ' bytes, ' + layer + ') to '
          + digest + ' as ' + artifact)


main()
`;
