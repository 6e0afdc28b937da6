import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuardReport } from '../../src/tools/cfn-guard.js';
import {
  cfnGuard,
  CONTROL_TOWER_HOME,
  CONTROL_TOWER_RULES,
  controlTowerControls,
  formatFailure,
  GUARD_HOME,
  locateGuard,
  parseGuardJson,
} from '../../src/tools/cfn-guard.js';
import { PACKAGE_ROOT, PINNED } from '../../src/tools/locate.js';
import type { FakeStep } from '../fake-tool.js';
import { fakeTool } from '../fake-tool.js';

interface GuardPin {
  readonly package: string;
  readonly version: string;
  readonly integrity: string;
  readonly cfnGuard: string;
}

const PIN_FILE = join(PACKAGE_ROOT, 'cfn-guard.json');
const pin = JSON.parse(readFileSync(PIN_FILE, 'utf8')) as GuardPin;
const s3Rule = (n: number) => join(CONTROL_TOWER_RULES, 's3', `ct-s3-pr-${n}.guard`);

// Both buckets refuse ACLs (CT.S3.PR.5); only one is encrypted with KMS (CT.S3.PR.10).
const BUCKETS = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  PlainBucket:
    Type: AWS::S3::Bucket
    Properties:
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced
  EncryptedBucket:
    Type: AWS::S3::Bucket
    Properties:
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: arn:aws:kms:eu-west-1:111122223333:key/example
`;

// A symmetric key with rotation: CT.KMS.PR.1 passes, PR.2 (RSA key length) does not apply, PR.3 fails.
const KEY = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
`;

describe('tools/cfn-guard (the pinned cfn-guard and Control Tower rules, run for real)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cfn-cicd-guard-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };

  describe('what the bootstrap installed', () => {
    it('is the cfn-guard version cfn-guard.json pins, stamped with the pin file’s hash', () => {
      const binary = locateGuard();
      expect(binary).to.equal(join(GUARD_HOME, 'bin', 'cfn-guard'));
      expect(execFileSync(binary as string, ['--version'], { encoding: 'utf8' }).trim()).to.equal(
        `cfn-guard ${pin.cfnGuard}`,
      );
      const carried = JSON.parse(readFileSync(join(GUARD_HOME, 'guard-version.json'), 'utf8')) as { version: string };
      expect(carried.version).to.equal(pin.cfnGuard);
      const hash = createHash('sha256').update(readFileSync(PIN_FILE)).digest('hex');
      expect(readFileSync(join(GUARD_HOME, '.pin.sha256'), 'utf8').trim()).to.equal(hash);
      expect(PINNED.cfnGuard).to.equal(
        `cfn-guard ${pin.cfnGuard} and the Control Tower rules from ${pin.package}@${pin.version}`,
      );
      expect(pin.integrity).to.match(/^sha512-[A-Za-z0-9+/]{86}==$/);
    });

    it('is not an npm dependency: neither the package nor its aws-cdk-lib peer is in the lock file', () => {
      const lock = readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8');
      expect(lock).to.not.include(pin.package);
      expect(lock).to.not.include('node_modules/aws-cdk-lib');
    });

    it('catalogs the 237 controls, each with its rule, title, severity and resource types', () => {
      const controls = controlTowerControls();
      expect(controls.size).to.equal(237);
      const rules = [...controls.values()].map((c) => c.rule);
      expect(new Set(rules).size, 'one rule per control').to.equal(237);
      for (const c of controls.values()) {
        expect(c.id).to.match(/^CT\.[A-Z0-9-]+\.PR\.\d+$/);
        expect(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).to.include(c.severity);
        expect(c.title).to.match(/^Require /);
        expect(c.resourceTypes.length, c.id).to.be.greaterThan(0);
      }
      expect(controls.get('CT.S3.PR.10')).to.deep.include({
        rule: 's3_bucket_default_encryption_kms_check',
        severity: 'MEDIUM',
        resourceTypes: ['AWS::S3::Bucket'],
        file: s3Rule(10),
      });
    });

    it('refuses a catalog it cannot read: no rules, or a rule file without a control', () => {
      const empty = join(scratch, 'no-guard');
      expect(() => controlTowerControls(empty)).to.throw(
        /no Control Tower rules in .*no-guard\/rules: run `npm run bootstrap`/,
      );
      const broken = join(scratch, 'broken-guard');
      mkdirSync(join(broken, 'rules', 's3'), { recursive: true });
      mkdirSync(join(broken, 'metadata'), { recursive: true });
      writeFileSync(join(broken, 'rules', 's3', 'ct-s3-pr-1.guard'), 'rule some_check when %x not empty { }\n');
      expect(() => controlTowerControls(broken)).to.throw(/ct-s3-pr-1\.guard: no rule name, control ID or metadata/);
      expect(controlTowerControls(CONTROL_TOWER_HOME).size).to.equal(237);
    });
  });

  describe('a run', () => {
    it('names the rule, control and only the resources that fail it (exit 19)', async () => {
      const [report] = await cfnGuard([s3Rule(10), s3Rule(5)], [file('buckets.yaml', BUCKETS)]);
      const r = report as GuardReport;
      expect(r.file).to.equal(join(scratch, 'buckets.yaml'));
      expect(r.status).to.equal('FAIL');
      expect(r.failures.map((f) => f.rule)).to.deep.equal(['s3_bucket_default_encryption_kms_check']);
      expect(r.failures.flatMap(formatFailure)).to.deep.equal(['CT.S3.PR.10 PlainBucket']);
      expect(r.failures[0]?.messages.join(' ')).to.match(/\[CT\.S3\.PR\.10\]: Require an Amazon S3 bucket .* \[FIX\]/);
      expect(r.compliant).to.deep.equal(['s3_bucket_acl_prohibited_check']);
      expect(r.notApplicable).to.deep.equal([]);
    });

    it('reads several files, one report each, with rules given as a directory', async () => {
      const topic = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n";
      const reports = await cfnGuard(
        [join(CONTROL_TOWER_RULES, 'keymanagementservice')],
        [file('key.yaml', KEY), file('topic.yaml', topic)],
      );
      expect(reports.map((r) => r.status)).to.deep.equal(['FAIL', 'SKIP']);
      const [key, unrelated] = reports as [GuardReport, GuardReport];
      expect(key.failures.flatMap(formatFailure)).to.deep.equal(['CT.KMS.PR.3 Key']);
      expect(key.compliant).to.deep.equal(['kms_key_rotation_enabled_check']);
      expect(key.notApplicable).to.deep.equal(['kms_asymmetric_rsa_keyspec_check']);
      expect(unrelated.compliant).to.deep.equal([]);
      expect(unrelated.notApplicable).to.have.length(3);
    });

    it('passes a compliant file (exit 0)', async () => {
      const encrypted = file(
        'encrypted.yaml',
        BUCKETS.replace(/ {2}PlainBucket:\n[\s\S]*?(?= {2}EncryptedBucket)/, ''),
      );
      const reports = await cfnGuard([s3Rule(10)], [encrypted]);
      expect(reports.map((r) => [r.status, r.compliant, r.failures])).to.deep.equal([
        ['PASS', ['s3_bucket_default_encryption_kms_check'], []],
      ]);
    });

    it('is a ToolError, not a clean result, when the rules do not parse (exit 5 with a SKIP report)', async () => {
      const rules = file('broken.guard', 'rule broken { Resources exists <<\n');
      let error: unknown;
      await cfnGuard([rules], [file('b.yaml', BUCKETS)]).catch((e: unknown) => (error = e));
      expect(error).to.have.property('name', 'ToolError');
      expect(String(error)).to.match(/cfn-guard on .*b\.yaml failed \(exit 5\): .*broken\.guard/);
    });

    it('is a ToolError when a data file is missing or not YAML', async () => {
      for (const data of [join(scratch, 'missing.yaml'), file('bad.yaml', 'Resources: [\n')]) {
        let error: unknown;
        await cfnGuard([s3Rule(10)], [data]).catch((e: unknown) => (error = e));
        expect(String(error), data).to.match(/^ToolError: cfn-guard on .* failed \(exit 255\): /);
      }
    });
  });

  describe('a cfn-guard that misbehaves', () => {
    const misbehaving = async (step: FakeStep): Promise<string> => {
      const home = mkdtempSync(join(scratch, 'home-'));
      fakeTool('cfn-guard', [step], join(home, 'bin'));
      let error: unknown;
      await cfnGuard([s3Rule(10)], [join(scratch, 'x.yaml')], { home }).catch((e: unknown) => (error = e));
      expect(error, JSON.stringify(step)).to.have.property('name', 'ToolError');
      return String(error);
    };
    const report = (over: Record<string, unknown> = {}) => ({
      name: 'x.yaml',
      status: 'PASS',
      compliant: [],
      not_applicable: [],
      not_compliant: [],
      ...over,
    });
    const failure = { Rule: { name: 'r', checks: [] } };

    it('killed: an error naming the signal', async () => {
      expect(await misbehaving({ signal: 'SIGKILL' })).to.match(/cfn-guard was killed by SIGKILL/);
    });

    it('one that cannot start: an error with the reason', async () => {
      const home = mkdtempSync(join(scratch, 'home-'));
      fakeTool('cfn-guard', [{}], join(home, 'bin'));
      chmodSync(join(home, 'bin', 'cfn-guard'), 0o644);
      let error: unknown;
      await cfnGuard([s3Rule(10)], [join(scratch, 'x.yaml')], { home }).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/^ToolError: cfn-guard could not start \(EACCES\)/);
    });

    it('an exit code other than 0 or 19: an error with its first line', async () => {
      expect(await misbehaving({ exit: 1, stderr: 'boom\nmore' })).to.match(/failed \(exit 1\): boom$/);
    });

    it('nonsense on stdout: an error, whatever the exit code', async () => {
      expect(await misbehaving({ stdout: 'all good' })).to.match(/cfn-guard printed no JSON: all good/);
      expect(await misbehaving({ exit: 19, stdout: '' })).to.match(/cfn-guard printed no JSON: nothing/);
      expect(await misbehaving({ stdout: '{"name": "x"}' })).to.match(/not a list of file reports/);
      expect(await misbehaving({ stdout: JSON.stringify([{ name: 'x.yaml', status: 'OK' }]) })).to.match(
        /file report \(#1\) without name, status and rule lists/,
      );
      expect(await misbehaving({ stdout: '[null]' })).to.match(/file report \(#1\)/);
      expect(
        await misbehaving({ exit: 19, stdout: JSON.stringify([report({ not_compliant: [{ Rule: {} }] })]) }),
      ).to.match(/a failure without a rule name in x\.yaml/);
      expect(await misbehaving({ exit: 19, stdout: JSON.stringify([report({ not_compliant: [null] })]) })).to.match(
        /a failure without a rule name/,
      );
    });

    it('an exit code that disagrees with the reports, or a report missing: an error', async () => {
      expect(
        await misbehaving({ exit: 0, stdout: JSON.stringify([report({ status: 'FAIL', not_compliant: [failure] })]) }),
      ).to.match(/exited 0 with 1 report\(s\) for 1 file\(s\), some failures/);
      expect(await misbehaving({ exit: 19, stdout: JSON.stringify([report()]) })).to.match(/exited 19 .* no failures/);
      expect(await misbehaving({ exit: 0, stdout: '[]' })).to.match(/exited 0 with 0 report\(s\) for 1 file\(s\)/);
    });

    it('not installed and not on PATH: says how to install it', async () => {
      let error: unknown;
      await cfnGuard([s3Rule(10)], [join(scratch, 'x.yaml')], { home: join(scratch, 'none'), env: { PATH: '' } }).catch(
        (e: unknown) => (error = e),
      );
      expect(String(error)).to.equal(
        `ToolError: cfn-guard not found in .guard or on PATH: run \`npm run bootstrap\` (installs ${PINNED.cfnGuard} into .guard)`,
      );
    });
  });

  describe('parseGuardJson', () => {
    it('walks a failure generically: the first control ID, every resource path, a resource bound as a key', () => {
      const [parsed] = parseGuardJson(
        JSON.stringify([
          {
            name: 't.yaml',
            status: 'FAIL',
            compliant: ['ok_rule', 'ok_rule', 'failed_rule'],
            not_applicable: ['ok_rule', 'skipped_rule', 'failed_rule'],
            not_compliant: [
              {
                Rule: {
                  name: 'failed_rule',
                  messages: { custom_message: null },
                  checks: [
                    {
                      Clause: {
                        messages: { custom_message: '\n  [FIX]: do it\n  [CICD.TAGS]: tags   everywhere ' },
                        check: { from: { path: '/Resources/Zeta/Properties/Tags', value: 1 } },
                      },
                    },
                    {
                      Clause: {
                        messages: { custom_message: '[CT.X.PR.1]: other' },
                        to: [{ path: '/Resources', value: 'Alpha' }],
                      },
                    },
                    { Clause: { messages: { custom_message: '  ' }, to: [{ path: '/Parameters/P', value: 'x' }] } },
                  ],
                },
              },
              { Rule: { name: 'quiet_rule', checks: [{ path: '/Resources', value: { not: 'an id' } }] } },
              { Rule: { name: 'unlabelled_rule', checks: [{ path: '/Resources/Omega/Type' }] } },
            ],
          },
        ]),
      );
      expect(parsed).to.deep.equal({
        file: 't.yaml',
        status: 'FAIL',
        compliant: ['ok_rule'],
        notApplicable: ['skipped_rule'],
        failures: [
          {
            rule: 'failed_rule',
            control: 'CICD.TAGS',
            resources: ['Alpha', 'Zeta'],
            messages: ['[FIX]: do it [CICD.TAGS]: tags everywhere', '[CT.X.PR.1]: other'],
          },
          { rule: 'quiet_rule', resources: [], messages: [] },
          { rule: 'unlabelled_rule', resources: ['Omega'], messages: [] },
        ],
      });
      expect(parsed?.failures.flatMap(formatFailure)).to.deep.equal([
        'CICD.TAGS Alpha',
        'CICD.TAGS Zeta',
        'quiet_rule',
        'unlabelled_rule Omega',
      ]);
    });
  });
});
