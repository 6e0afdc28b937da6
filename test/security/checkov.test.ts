import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { BOOTSTRAP_STACKSET_TEMPLATE_FILE } from '../../src/naming.js';
import type { CheckovReport } from '../../src/tools/checkov.js';
import { checkov, formatCheck, parseCheckovJson } from '../../src/tools/checkov.js';
import type { CfnTemplate } from '../helpers.js';
import { emittedTemplates, writeEmittedTemplates } from '../helpers.js';
import type { JsonObject } from '../../src/model/json.js';
import { resolveConfiguration } from '../configurations.js';

interface MetadataSkip {
  readonly resource: string;
  readonly id: unknown;
  readonly comment: unknown;
}

/**
 * Every checkov skip the template declares on the resources its defaults create, as their Metadata
 * holds it: checkov evaluates conditions at the parameters' defaults and scans no resource they leave
 * out (test/security/configurations.test.ts checks the skips of the others, in their configuration).
 */
function metadataSkips(template: CfnTemplate): MetadataSkip[] {
  const created = resolveConfiguration(template as unknown as JsonObject)['Resources'] as JsonObject;
  return Object.entries(template.Resources)
    .filter(([resource]) => resource in created)
    .flatMap(([resource, r]) => {
      const skip = (r.Metadata?.['checkov'] as { skip?: unknown } | undefined)?.skip;
      return Array.isArray(skip) ? skip.map((s: { id?: unknown; comment?: unknown }) => ({ resource, ...s })) : [];
    }) as MetadataSkip[];
}

// checkov's stand-in when a skip carries no comment.
const NO_COMMENT = 'No comment provided';

describe('security/checkov (the pinned checkov, run for real on every emitted template)', () => {
  const paths = writeEmittedTemplates('checkov');
  const scratch: string[] = [...new Set([...paths.values()].map((p) => dirname(p)))];
  after(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  for (const { file, template } of emittedTemplates()) {
    describe(file, () => {
      let report: CheckovReport;
      before(async () => {
        report = await checkov(paths.get(file) as string);
      });

      it('parses the file and runs checks on its resources', () => {
        expect(report.parsingErrors).to.deep.equal([]);
        // checkov has no check for AWS::CloudFormation::StackSet, so it counts and checks nothing there:
        // the bootstrap the StackSets carry is checked as its own file. A checkov that gains one fails here.
        if (file.endsWith(BOOTSTRAP_STACKSET_TEMPLATE_FILE)) {
          expect([report.resourceCount, report.passed.length]).to.deep.equal([0, 0]);
          return;
        }
        expect(report.resourceCount).to.be.greaterThan(0);
        expect(report.passed.length).to.be.greaterThan(0);
      });

      it('has no failed check', () => {
        expect(report.failed.map(formatCheck)).to.deep.equal([]);
      });

      it('skips exactly the checks the resources’ Metadata lists: as many skips, none global or inline', () => {
        const declared = metadataSkips(template).map((s) => `${s.id} ${s.resource}`);
        const applied = report.skipped.map((s) => `${s.id} ${s.resource}`);
        expect(applied.sort()).to.deep.equal(declared.sort());
        expect(report.skipped.length).to.equal(metadataSkips(template).length);
      });

      it('declares no template-wide checkov settings', () => {
        expect(template['Metadata'] ?? {}).to.not.have.any.keys('checkov', 'bridgecrew');
        expect(
          Object.values(template.Resources).filter((r) => r.Metadata?.['bridgecrew'] !== undefined),
          'skips belong under Metadata.checkov',
        ).to.deep.equal([]);
      });

      for (const skip of metadataSkips(template)) {
        it(`skips ${String(skip.id)} on ${skip.resource} because: ${String(skip.comment)}`, () => {
          expect(skip.id, 'check ID')
            .to.be.a('string')
            .and.match(/^CKV2?_AWS_\d+$/);
          expect(skip.comment, 'reason').to.be.a('string');
          expect((skip.comment as string).trim())
            .to.not.equal('')
            .and.not.equal(NO_COMMENT);
          const applied = report.skipped.find((s) => s.id === skip.id && s.resource === skip.resource);
          expect(applied, 'checkov applied the skip (the check exists for this resource type)').to.not.equal(undefined);
          expect(applied?.comment).to.equal(skip.comment);
        });
      }
    });
  }

  describe('the wrapper', () => {
    const fixture = (name: string, yaml: string): string => {
      const dir = mkdtempSync(join(tmpdir(), 'cfn-cicd-checkov-fixture-'));
      scratch.push(dir);
      const path = join(dir, name);
      writeFileSync(path, yaml);
      return path;
    };

    it('reports passed, failed and skipped checks with the skip’s reason', async () => {
      const report = await checkov(
        fixture(
          'bucket.yaml',
          [
            "AWSTemplateFormatVersion: '2010-09-09'",
            'Resources:',
            '  OpenBucket:',
            '    Type: AWS::S3::Bucket',
            '    Metadata:',
            '      checkov:',
            '        skip:',
            '          - id: CKV_AWS_18',
            '            comment: scratch bucket, no access logs',
            '    Properties:',
            '      BucketName: scratch',
            '',
          ].join('\n'),
        ),
      );
      expect(report.failed.map(formatCheck)).to.include('CKV_AWS_53 AWS::S3::Bucket.OpenBucket');
      expect(report.skipped).to.have.length(1);
      expect(report.skipped[0]).to.include({
        id: 'CKV_AWS_18',
        resource: 'OpenBucket',
        type: 'AWS::S3::Bucket',
        comment: 'scratch bucket, no access logs',
      });
      expect(report.passed.length).to.be.greaterThan(0);
      expect(report.resourceCount).to.equal(1);
    });

    it('reads a path relative to the working directory the same as an absolute one', async () => {
      const path = fixture(
        'topic.yaml',
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
      );
      const absolute = await checkov(path);
      const relativePath = relative(process.cwd(), path);
      expect(relativePath.startsWith('/')).to.equal(false);
      const fromRelative = await checkov(relativePath);
      expect(absolute.resourceCount).to.equal(1);
      expect(fromRelative.resourceCount).to.equal(1);
      expect(fromRelative.failed.map(formatCheck)).to.deep.equal(absolute.failed.map(formatCheck));
    });

    it('names the file when checkov cannot run on it', async () => {
      const missing = join(tmpdir(), 'cfn-cicd-no-such-dir', 'missing.yaml');
      let error: unknown;
      await checkov(missing).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/^ToolError: checkov on .*missing\.yaml: no such file$/);
    });

    it('reads the summary-only answer checkov gives a file with nothing to check', () => {
      const report = parseCheckovJson(
        '{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0, "checkov_version": "3.3.30"}',
      );
      expect(report).to.deep.equal({ passed: [], failed: [], skipped: [], parsingErrors: [], resourceCount: 0 });
    });

    it('reads the list checkov prints when several frameworks ran, keeping CloudFormation only', () => {
      const check = (id: string) => ({
        check_id: id,
        check_name: id,
        resource: 'AWS::SNS::Topic.Topic',
        check_result: { result: 'PASSED' },
      });
      const report = parseCheckovJson(
        JSON.stringify([
          {
            check_type: 'cloudformation',
            results: { passed_checks: [check('CKV_AWS_26')] },
            summary: { resource_count: 1 },
          },
          {
            check_type: 'secrets',
            results: { passed_checks: [check('CKV_SECRET_1')] },
            summary: { resource_count: 1 },
          },
        ]),
      );
      expect(report.passed).to.deep.equal([
        { id: 'CKV_AWS_26', name: 'CKV_AWS_26', resource: 'Topic', type: 'AWS::SNS::Topic' },
      ]);
      expect(report.resourceCount).to.equal(1);
    });
  });
});
