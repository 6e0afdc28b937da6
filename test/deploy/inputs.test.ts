import { expect } from 'chai';
import { failureCause, formatEvent } from '../../src/deploy/events.js';
import type { StackEvent } from '../../src/deploy/events.js';
import { readFileSync } from 'node:fs';
import {
  flagName,
  parameterFlags,
  parseParameterFlags,
  parseParametersFile,
  parseTags,
} from '../../src/deploy/inputs.js';
import { changeSetArn, deployArgs, firstErrorLine } from '../../src/deploy/stack.js';
import { InputError } from '../../src/errors.js';
import { parseTemplate, TemplateModel } from '../../src/model/template.js';
import { requiredCapabilities } from '../../src/deploy/template-file.js';
import { pipelineParameters } from './template.js';
import { committedPath } from '../helpers.js';

describe('deploy inputs', () => {
  describe('parameter flags', () => {
    const rows: [string, string][] = [
      ['EnvironmentSuffix', 'environment-suffix'],
      ['GitHubOwner', 'github-owner'],
      ['GitHubTokenSecretArn', 'github-token-secret-arn'],
      ['Http5xxAlarmThreshold', 'http5xx-alarm-threshold'],
      ['VPCCidr', 'vpc-cidr'],
      ['DesiredCount', 'desired-count'],
    ];
    for (const [name, flag] of rows) it(`${name} → --${flag}`, () => expect(flagName(name)).to.equal(flag));

    it('gives every template parameter a distinct flag', () => {
      const flags = Object.keys(pipelineParameters()).map(flagName);
      expect(new Set(flags).size).to.equal(flags.length);
    });

    it('maps flags of any spelling to parameters, naming the spelling given as the source', () => {
      const values = parameterFlags({ 'github-owner': 'octo', GitHubRepo: 'app' }, ['GitHubOwner', 'GitHubRepo']);
      expect(values).to.deep.equal({
        GitHubOwner: { value: 'octo', source: '--github-owner' },
        GitHubRepo: { value: 'app', source: '--GitHubRepo' },
      });
    });

    it('refuses two spellings of one parameter, even with the same value', () => {
      expect(() => parameterFlags({ 'github-owner': 'a', GitHubOwner: 'a' }, ['GitHubOwner'])).to.throw(
        InputError,
        '--github-owner and --GitHubOwner both set GitHubOwner; give one',
      );
    });

    it('refuses an unknown flag, a repeated flag and a flag without a value, naming the flag', () => {
      expect(() => parameterFlags({ 'github-ownr': 'x' }, ['GitHubOwner'])).to.throw(
        InputError,
        "unknown option --github-ownr; deploy's parameter flags for this template are --github-owner",
      );
      expect(() => parameterFlags({ 'github-owner': ['a', 'b'] }, ['GitHubOwner'])).to.throw(/given more than once/);
      expect(() => parameterFlags({ 'github-owner': true }, ['GitHubOwner'])).to.throw('--github-owner needs a value');
      expect(() => parameterFlags({ owner: 'x' }, [])).to.throw(
        "unknown option --owner; deploy's parameter flags for this template are none",
      );
    });

    it('reads repeatable --parameter Key=Value, splitting at the first =', () => {
      expect(parseParameterFlags(['A=1', 'B=x=y', 'C='])).to.deep.equal({
        A: { value: '1', source: '--parameter A' },
        B: { value: 'x=y', source: '--parameter B' },
        C: { value: '', source: '--parameter C' },
      });
      expect(() => parseParameterFlags(['novalue'])).to.throw('--parameter "novalue": expected Key=Value');
      expect(() => parseParameterFlags(['=1'])).to.throw(/expected Key=Value/);
      expect(() => parseParameterFlags(['A=1', 'A=2'])).to.throw('--parameter A is given twice with different values');
    });
  });

  describe('parameters file', () => {
    const source = '--parameters p.json';
    it('reads {"Key": "Value"}, numbers and booleans as text', () => {
      expect(parseParametersFile('{"A":"x","B":2,"C":true}', 'p.json')).to.deep.equal({
        A: { value: 'x', source },
        B: { value: '2', source },
        C: { value: 'true', source },
      });
    });

    it('reads CloudFormation’s [{"ParameterKey", "ParameterValue"}] shape', () => {
      const text = JSON.stringify([
        { ParameterKey: 'A', ParameterValue: 'x' },
        { ParameterKey: 'B', ParameterValue: '' },
      ]);
      expect(parseParametersFile(text, 'p.json')).to.deep.equal({
        A: { value: 'x', source },
        B: { value: '', source },
      });
    });

    const bad: [string, RegExp][] = [
      ['{nope', /^--parameters p\.json: not valid JSON$/],
      ['"text"', /^--parameters p\.json: expected \{"Key": "Value", …\} or \[/],
      ['[{"Key":"A"}]', /item 0 has no string "ParameterKey"$/],
      ['{"A":{"x":1}}', /^--parameters p\.json: A must be a string, number or boolean, not \{"x":1\}$/],
      ['{"A":null}', /A must be a string, number or boolean, not null$/],
      ['[{"ParameterKey":"A","ParameterValue":"1"},{"ParameterKey":"A","ParameterValue":"2"}]', /A is given twice$/],
    ];
    for (const [text, message] of bad)
      it(`refuses ${text} with one line`, () =>
        expect(() => parseParametersFile(text, 'p.json')).to.throw(InputError, message));
  });

  describe('tags', () => {
    it('reads Key=Value pairs, Unicode letters and the allowed punctuation included', () => {
      expect(parseTags(['Team=platform', 'Cost Center=cc-42', 'Owner=zoë@example.com', 'Empty='])).to.deep.equal({
        Team: 'platform',
        'Cost Center': 'cc-42',
        Owner: 'zoë@example.com',
        Empty: '',
      });
    });

    const bad: [string[], RegExp][] = [
      [['Team'], /^--tags "Team": expected Key=Value$/],
      [['aws:owner=x'], /^--tags key "aws:owner": .*not starting with aws:$/],
      [['Team=a;b'], /^--tags Team value "a;b": 0-256 letters/],
      [[`${'k'.repeat(129)}=v`], /^--tags key "k+": 1-128/],
      [['Team=a', 'Team=b'], /^--tags Team is given twice$/],
      [Array.from({ length: 51 }, (_, i) => `T${i}=v`), /^--tags: 51 tags given; a stack takes at most 50$/],
    ];
    for (const [items, message] of bad)
      it(`refuses ${items[0]}${items.length > 2 ? ' …' : ''} with one line`, () =>
        expect(() => parseTags(items)).to.throw(InputError, message));
  });

  describe('capabilities', () => {
    const template = (resources: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      new TemplateModel({ Resources: resources, ...extra } as never);

    it('asks for CAPABILITY_NAMED_IAM when an IAM resource has a custom name', () => {
      expect(
        requiredCapabilities(template({ R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'x' } } })),
      ).to.deep.equal(['CAPABILITY_NAMED_IAM']);
    });

    it('asks for CAPABILITY_IAM for unnamed IAM resources, none without IAM, AUTO_EXPAND with a Transform', () => {
      expect(requiredCapabilities(template({ R: { Type: 'AWS::IAM::Policy', Properties: {} } }))).to.deep.equal([
        'CAPABILITY_IAM',
      ]);
      expect(requiredCapabilities(template({ B: { Type: 'AWS::S3::Bucket' } }))).to.deep.equal([]);
      expect(
        requiredCapabilities(template({ B: { Type: 'AWS::S3::Bucket' } }, { Transform: 'AWS::Serverless-2016-10-31' })),
      ).to.deep.equal(['CAPABILITY_AUTO_EXPAND']);
    });

    it('matches what the pipeline template holds', () => {
      const model = parseTemplate(readFileSync(committedPath(), 'utf8'), 'committed');
      const resources = Object.values(
        model.section('Resources') as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
      );
      const namedRole = resources.some((r) => r.Type === 'AWS::IAM::Role' && r.Properties?.['RoleName'] !== undefined);
      const anyIam = resources.some((r) => r.Type.startsWith('AWS::IAM::'));
      const expected = namedRole ? ['CAPABILITY_NAMED_IAM'] : anyIam ? ['CAPABILITY_IAM'] : [];
      expect(requiredCapabilities(model)).to.deep.equal(expected);
    });
  });

  describe('aws cloudformation deploy arguments', () => {
    const request = {
      templateFile: 't.yaml',
      stackName: 'cicd-pipeline-dev',
      parameters: { EnvironmentSuffix: 'dev', NotificationEmail: '' },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      tags: { Team: 'platform' },
      execute: true,
      failOnEmptyChangeset: true,
    };

    it('passes overrides, capabilities and tags as separate argv items (no shell)', () => {
      expect(deployArgs(request)).to.deep.equal([
        'cloudformation',
        'deploy',
        '--template-file',
        't.yaml',
        '--stack-name',
        'cicd-pipeline-dev',
        '--parameter-overrides',
        'EnvironmentSuffix=dev',
        'NotificationEmail=',
        '--capabilities',
        'CAPABILITY_NAMED_IAM',
        '--tags',
        'Team=platform',
      ]);
    });

    it('adds --s3-bucket, --no-execute-changeset and --no-fail-on-empty-changeset when asked', () => {
      const args = deployArgs({ ...request, s3Bucket: 'b', execute: false, failOnEmptyChangeset: false, tags: {} });
      expect(args.slice(-4)).to.deep.equal([
        '--s3-bucket',
        'b',
        '--no-execute-changeset',
        '--no-fail-on-empty-changeset',
      ]);
      expect(args).to.not.include('--tags');
      const bare = deployArgs({ ...request, parameters: {}, capabilities: [], tags: {} });
      expect(bare).to.deep.equal([
        'cloudformation',
        'deploy',
        '--template-file',
        't.yaml',
        '--stack-name',
        'cicd-pipeline-dev',
      ]);
    });

    it('finds the change set ARN in the CLI’s suggestion and the error line under the upload meter', () => {
      const arn = 'arn:aws:cloudformation:us-east-1:123456789012:changeSet/awscli-cloudformation-package-deploy-1/abc';
      expect(
        changeSetArn(
          `\nChangeset created successfully. Run the following command to review changes:\naws cloudformation describe-change-set --change-set-name ${arn}\n`,
        ),
      ).to.equal(arn);
      expect(changeSetArn('nothing here')).to.equal(undefined);
      expect(
        firstErrorLine({
          exitCode: 255,
          stdout: '',
          stderr:
            'Uploading to x.template  1 / 2 (50%)\rUploading to x.template  2 / 2 (100%)\n\nAn error occurred (ValidationError) when calling the CreateChangeSet operation: bad\n',
        }),
      ).to.equal('An error occurred (ValidationError) when calling the CreateChangeSet operation: bad');
    });
  });

  describe('stack events', () => {
    const event = (over: Partial<StackEvent>): StackEvent => ({
      EventId: 'e',
      Timestamp: '2026-01-31T12:00:00.123456Z',
      LogicalResourceId: 'Service',
      ResourceType: 'AWS::ECS::Service',
      ResourceStatus: 'CREATE_IN_PROGRESS',
      ...over,
    });

    it('prints time, status, logical id, type and the reason on one line', () => {
      expect(
        formatEvent(event({ ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Invalid\nrequest  here' })),
      ).to.equal('2026-01-31T12:00:00Z  CREATE_FAILED  Service (AWS::ECS::Service): Invalid request here');
      expect(formatEvent(event({}))).to.equal('2026-01-31T12:00:00Z  CREATE_IN_PROGRESS  Service (AWS::ECS::Service)');
      expect(formatEvent(event({ Timestamp: 'not a time' }))).to.equal(
        'not a time  CREATE_IN_PROGRESS  Service (AWS::ECS::Service)',
      );
    });

    it('blames the first failed resource, not the ones cancelled after it nor the stack', () => {
      const events = [
        event({ EventId: '1', LogicalResourceId: 'Stack', ResourceType: 'AWS::CloudFormation::Stack' }),
        event({
          EventId: '2',
          LogicalResourceId: 'Cluster',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'Resource creation cancelled',
        }),
        event({
          EventId: '3',
          LogicalResourceId: 'Service',
          ResourceStatus: 'CREATE_FAILED',
          ResourceStatusReason: 'boom',
        }),
        event({
          EventId: '4',
          LogicalResourceId: 'Stack',
          ResourceType: 'AWS::CloudFormation::Stack',
          ResourceStatus: 'ROLLBACK_FAILED',
        }),
      ];
      expect(failureCause(events)?.EventId).to.equal('3');
      expect(failureCause(events.filter((e) => e.EventId !== '3'))?.EventId).to.equal('2');
      expect(failureCause([events[0] as StackEvent])).to.equal(undefined);
      const silent = event({ EventId: '5', ResourceStatus: 'CREATE_FAILED' });
      expect(failureCause([silent])?.EventId, 'a failure without a reason').to.equal('5');
    });
  });
});
