// src/deploy/emulator.ts: the rewrite that lets moto take our template, the local-only connection,
// and the wait for a just-started server. The full deploy on moto is test/deploy/moto-deploy.test.ts.
import { expect } from 'chai';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  cidrBlocks,
  emulatorConnection,
  ensureBucket,
  MOTO_MODELED_TYPES,
  motoCompatible,
  waitForEmulator,
} from '../../src/deploy/emulator.js';
import { conditionValues } from '../../src/deploy/update-checks.js';
import { InputError } from '../../src/errors.js';
import { TemplateModel } from '../../src/model/template.js';
import type { JsonObject } from '../../src/model/json.js';
import { EMITTED_TEMPLATE_FILES } from '../../src/template.js';
import { emittedTemplates } from '../helpers.js';
import { freePort } from '../moto.js';
import { fakeTools, withTools } from '../tools/fake-tools.js';
import { motoModeledTypes } from './moto-compat.js';

const running = () => new AbortController().signal;

describe('deploy/emulator', () => {
  it('lists exactly the resource types the pinned moto models', () => {
    const fromMoto = [...motoModeledTypes()].filter((type) => type.startsWith('AWS::')).sort();
    expect([...MOTO_MODELED_TYPES].sort()).to.deep.equal(fromMoto);
  });

  it('knows, for every type our templates use, whether moto models it', () => {
    expect(EMITTED_TEMPLATE_FILES.length).to.be.greaterThan(0);
    const types = new Set(
      emittedTemplates().flatMap(({ template }) => Object.values(template.Resources).map((r) => r.Type)),
    );
    expect([...types].filter((type) => MOTO_MODELED_TYPES.has(type))).to.include.members([
      'AWS::KMS::Key',
      'AWS::S3::Bucket',
      'AWS::ECS::Service',
    ]);
    expect([...types].filter((type) => !MOTO_MODELED_TYPES.has(type))).to.include.members([
      'AWS::CodePipeline::Pipeline',
      'AWS::CodeBuild::Project',
    ]);
  });

  it('computes Fn::Cidr blocks as CloudFormation does', () => {
    expect(cidrBlocks('10.0.0.0/16', 3, 8)).to.deep.equal(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  });

  describe('motoCompatible', () => {
    const template: JsonObject = {
      Parameters: { Count: { Type: 'Number' }, Name: { Type: 'String' }, Zone: { Type: 'String', Default: '' } },
      Mappings: { Sizes: { '1': { Cpu: '256' } } },
      Conditions: {
        HasZone: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Zone' }, ''] }] },
        Named: { 'Fn::Or': [{ Condition: 'HasZone' }, { 'Fn::Equals': [{ Ref: 'Name' }, 'x'] }] },
        InRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      },
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { Tags: [{ Key: 'a', Value: 'b' }], EnableKeyRotation: true } },
        Bare: { Type: 'AWS::KMS::Key' },
        Alias: { Type: 'AWS::Route53::RecordSet', Condition: 'HasZone', Properties: { Name: 'a.example.com' } },
        Record: { Type: 'AWS::Route53::RecordSet', Condition: 'Named', Properties: { Name: 'b.example.com' } },
        Regional: { Type: 'AWS::Route53::RecordSet', Condition: 'InRegion', Properties: { Name: 'c.example.com' } },
        Project: { Type: 'AWS::CodeBuild::Project' },
        Group: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup' },
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            Skipped: { 'Fn::GetAtt': ['Project', 'Arn'] },
            Modeled: { 'Fn::GetAtt': ['Key', 'Arn'] },
            Unknown: { 'Fn::GetAtt': ['Nowhere', 'Arn'] },
            Computed: { 'Fn::GetAtt': [{ Ref: 'Name' }, 'Arn'] },
            Blocks: { 'Fn::Select': [1, { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }] },
            DynamicCidr: { 'Fn::Cidr': [{ Ref: 'Name' }, 2, 8] },
            Cpu: { 'Fn::FindInMap': ['Sizes', { Ref: 'Count' }, 'Cpu'] },
            ByName: { 'Fn::FindInMap': ['Sizes', { Ref: 'Name' }, { Ref: 'Name' }] },
            List: ['plain', 1],
            Body: { 'Fn::Sub': '${Group.TargetGroupFullName} ${Project.Arn} ${Key.Arn} ${!Group.Literal}' },
            BodyWithVars: { 'Fn::Sub': ['${Project.Arn} ${Own}', { Own: { 'Fn::GetAtt': ['Project', 'Arn'] } }] },
            Untouched: { 'Fn::Sub': '${Key.Arn} ${Name} ${Nowhere.Arn}' },
          },
        },
      },
    };
    const decided = (values: Record<string, string>) => conditionValues(new TemplateModel(template), values);
    const rewritten = motoCompatible(template, MOTO_MODELED_TYPES, decided({ Zone: '', Name: 'x', Count: '1' }));
    const props = (rewritten['Resources'] as Record<string, { Properties: JsonObject }>)['Bucket']?.Properties;

    it('drops KMS key tags (moto: KeyError TagKey) and keeps the rest of the key', () => {
      const key = (rewritten['Resources'] as Record<string, JsonObject>)['Key'];
      expect(key).to.deep.equal({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
    });

    it('leaves out a resource whose condition does not hold (moto updates it uncreated), keeps the rest', () => {
      const ids = Object.keys(rewritten['Resources'] as JsonObject);
      expect(ids).to.not.include('Alias');
      // Named holds through Fn::Or; InRegion names a pseudo parameter, which the checks do not model.
      expect(ids).to.include.members(['Record', 'Regional']);
      const withZone = motoCompatible(template, MOTO_MODELED_TYPES, decided({ Zone: 'Z1', Name: 'y', Count: '1' }));
      expect(Object.keys(withZone['Resources'] as JsonObject)).to.include.members(['Alias', 'Record']);
    });

    it('replaces a GetAtt on a type moto skips with a placeholder ARN, and keeps every other GetAtt', () => {
      expect(props?.['Skipped']).to.deep.equal({
        'Fn::Sub': 'arn:${AWS::Partition}:moto-unmodeled:${AWS::Region}:${AWS::AccountId}:Project/Arn',
      });
      expect(props?.['Modeled']).to.deep.equal({ 'Fn::GetAtt': ['Key', 'Arn'] });
      expect(props?.['Unknown']).to.deep.equal({ 'Fn::GetAtt': ['Nowhere', 'Arn'] });
      expect(props?.['Computed']).to.deep.equal({ 'Fn::GetAtt': [{ Ref: 'Name' }, 'Arn'] });
    });

    it('rewrites ${X.Attr} in a Fn::Sub that moto cannot resolve: a skipped type, a target group’s full name', () => {
      const placeholder = 'arn:${AWS::Partition}:moto-unmodeled:${AWS::Region}:${AWS::AccountId}:Project/Arn';
      expect(props?.['Body']).to.deep.equal({
        'Fn::Sub': [
          `\${GroupTargetGroupFullName} ${placeholder} \${Key.Arn} \${!Group.Literal}`,
          { GroupTargetGroupFullName: { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'Group' }] }] } },
        ],
      });
      expect(props?.['BodyWithVars']).to.deep.equal({
        'Fn::Sub': [`${placeholder} \${Own}`, { Own: { 'Fn::Sub': placeholder } }],
      });
      expect(props?.['Untouched']).to.deep.equal({ 'Fn::Sub': '${Key.Arn} ${Name} ${Nowhere.Arn}' });
    });

    it('computes Fn::Cidr on a literal block, and leaves one on a reference', () => {
      expect(props?.['Blocks']).to.deep.equal({ 'Fn::Select': [1, ['10.0.0.0/24', '10.0.1.0/24']] });
      expect(props?.['DynamicCidr']).to.deep.equal({ 'Fn::Cidr': [{ Ref: 'Name' }, 2, 8] });
    });

    it('passes a Number parameter used as a mapping key through Fn::Sub, and only a Number one', () => {
      expect(props?.['Cpu']).to.deep.equal({ 'Fn::FindInMap': ['Sizes', { 'Fn::Sub': '${Count}' }, 'Cpu'] });
      expect(props?.['ByName']).to.deep.equal({ 'Fn::FindInMap': ['Sizes', { Ref: 'Name' }, { Ref: 'Name' }] });
      expect(props?.['List']).to.deep.equal(['plain', 1]);
    });

    it('leaves its input alone, and takes a template without parameters', () => {
      expect((template['Resources'] as Record<string, { Properties: JsonObject }>)['Key']?.Properties).to.have.property(
        'Tags',
      );
      expect(motoCompatible({ Resources: { T: { Type: 'AWS::SNS::Topic' } } })).to.deep.equal({
        Resources: { T: { Type: 'AWS::SNS::Topic' } },
      });
    });
  });

  describe('emulatorConnection', () => {
    it('takes a local endpoint with its port, addressed as localhost, in us-east-1 unless told otherwise', () => {
      expect(emulatorConnection({ endpointUrl: 'http://127.0.0.1:5001' })).to.deep.equal({
        region: 'us-east-1',
        endpointUrl: 'http://localhost:5001',
        emulator: true,
      });
      expect(emulatorConnection({ endpointUrl: 'http://[::1]:5001/', region: 'eu-west-1' })).to.deep.equal({
        region: 'eu-west-1',
        endpointUrl: 'http://localhost:5001',
        emulator: true,
      });
    });

    for (const endpointUrl of [
      undefined,
      'https://cloudformation.us-east-1.amazonaws.com',
      'http://10.0.0.1:5001',
      'http://localhost',
    ]) {
      it(`refuses ${endpointUrl ?? 'no endpoint'}`, () => {
        expect(() => emulatorConnection({ endpointUrl })).to.throw(
          InputError,
          /^--emulator needs --endpoint-url on this machine/,
        );
      });
    }
  });

  describe('waitForEmulator', () => {
    it('waits for a server that starts late', async () => {
      const port = await freePort();
      const server = createServer((socket) => socket.end());
      setTimeout(() => server.listen(port, '127.0.0.1'), 300);
      await waitForEmulator(`http://localhost:${port}`, 5_000);
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up with one line saying how to start one', async () => {
      const port = await freePort();
      await waitForEmulator(`http://localhost:${port}`, 300).then(
        () => expect.fail('nothing listens'),
        (e: Error) =>
          expect(e.message).to.equal(
            `no emulator listens at http://localhost:${port} (waited 0.3 s); start one: .venv/bin/moto_server -H 127.0.0.1 -p ${port}`,
          ),
      );
    });

    it('is satisfied at once by a server already listening', async () => {
      const server = createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await waitForEmulator(`http://localhost:${(server.address() as AddressInfo).port}`, 0);
      await new Promise((resolve) => server.close(resolve));
    });
  });

  describe('ensureBucket (with a stand-in aws CLI that records its arguments)', () => {
    const recorder = (answer: string) => `echo "$@" >> "$(dirname "$0")/calls"\n${answer}`;

    it('creates the bucket, spelling out a region other than us-east-1', async () => {
      const tools = await fakeTools({ aws: recorder('exit 0') });
      await withTools(tools, async () => {
        await ensureBucket('b', { region: 'us-east-1', endpointUrl: 'http://localhost:1', emulator: true }, running());
        await ensureBucket('b', { region: 'eu-west-1', endpointUrl: 'http://localhost:1', emulator: true }, running());
      });
      const { readFile } = await import('node:fs/promises');
      const calls = (await readFile(`${tools}/calls`, 'utf8')).trim().split('\n');
      expect(calls[0]).to.match(
        /^s3api create-bucket --bucket b --region us-east-1 --endpoint-url http:\/\/localhost:1 /,
      );
      expect(calls[1]).to.match(
        /^s3api create-bucket --bucket b --create-bucket-configuration LocationConstraint=eu-west-1 --region eu-west-1 /,
      );
    });

    it('accepts a bucket that is already there, and reports any other failure in one line', async () => {
      const exists = await fakeTools({ aws: 'echo "An error occurred (BucketAlreadyOwnedByYou)" >&2; exit 255' });
      await withTools(exists, () =>
        ensureBucket('b', { endpointUrl: 'http://localhost:1', emulator: true }, running()),
      );
      const denied = await fakeTools({ aws: 'echo "An error occurred (AccessDenied)" >&2; exit 255' });
      await withTools(denied, () =>
        ensureBucket('b', { endpointUrl: 'http://localhost:1', emulator: true }, running()),
      ).then(
        () => expect.fail('denied'),
        (e: Error) =>
          expect(e.message).to.equal(
            '--s3-bucket b: cannot create it on the emulator (An error occurred (AccessDenied))',
          ),
      );
    });
  });
});
