import { expect } from 'chai';
import {
  conditionValues,
  effectiveValues,
  fixedParameterProblems,
  fixedParameters,
  pipelineParameters,
  ruleProblems,
} from '../../src/deploy/update-checks.js';
import { TemplateModel } from '../../src/model/template.js';
import { committedTemplate } from '../helpers.js';

/** The CodeDeploy engine's template (two listeners, more fixed parameters) and the default (ECS engine). */
const template = new TemplateModel(committedTemplate('codedeploy/cicd-pipeline.yaml') as never);
const ecs = new TemplateModel(committedTemplate() as never);
const given = (value: string) => ({ value, source: '--test' });

describe('deploy checks on the values a deployment really uses', () => {
  it('uses the given value, else the stack’s previous one, else the Default', () => {
    const values = effectiveValues(template, { ProductionPort: '81', TestPort: '9090' }, { TestPort: given('9191') });
    expect(values).to.deep.include({ ProductionPort: '81', TestPort: '9191', ContainerPort: '8080' });
    expect(values).to.not.have.property('GitHubOwner');
  });

  it('decides the template’s conditions for the values, a condition naming another included', () => {
    const environment = new TemplateModel(committedTemplate('environments/cicd-environment.yaml') as never);
    const values = effectiveValues(environment, undefined, { EnvironmentSuffix: given('shop-beta') });
    expect(conditionValues(environment, values)).to.deep.include({ HasSyntheticProbe: true, HasSmokeTest: true });
    expect(conditionValues(environment, { ...values, SyntheticProbe: 'false' })).to.deep.include({
      HasSyntheticProbe: false,
    });
    const nested = new TemplateModel({
      Conditions: {
        Both: { 'Fn::And': [{ Condition: 'Big' }, { Condition: 'Shared' }] },
        Big: { 'Fn::Equals': [{ Ref: 'Size' }, 'big'] },
        Shared: { 'Fn::Equals': ['yes', 'yes'] },
        Unknowable: { 'Fn::Equals': [{ 'Fn::Select': [0, ['a']] }, 'a'] },
      },
    });
    expect(conditionValues(nested, { Size: 'big' })).to.deep.equal({ Big: true, Shared: true, Both: true });
    expect(conditionValues(nested, {})).to.deep.equal({ Shared: true });
  });

  it('evaluates the template’s rules: equal ports and a token source without a token are refused', () => {
    const ok = effectiveValues(template, undefined, { GitHubTokenSecretArn: given('arn:x') });
    expect(ruleProblems(template, ok)).to.deep.equal([]);
    expect(ruleProblems(template, { ...ok, TestPort: '80' })).to.deep.equal([
      'rule DistinctListenerPorts is broken: ProductionPort and TestPort must differ: each is its own listener on the load balancer',
    ]);
    const noToken = effectiveValues(template, undefined, {});
    expect(ruleProblems(template, noToken)).to.deep.equal([
      'rule GitHubTokenWithoutConnection is broken: GitHubTokenSecretArn is required when CodeConnectionArn is empty (the GitHub token source)',
    ]);
    expect(
      ruleProblems(template, { ...noToken, CodeConnectionArn: 'arn:connection' }),
      'the rule’s condition',
    ).to.deep.equal([]);
  });

  it('leaves a rule it cannot model to CloudFormation, and reads And, Or and Contains', () => {
    const rules = (assert: unknown) =>
      new TemplateModel({
        Resources: {},
        Rules: { R: { Assertions: [{ Assert: assert, AssertDescription: 'd' }] } },
      } as never);
    const values = { A: 'x', B: 'y' };
    expect(
      ruleProblems(
        rules({ 'Fn::EachMemberIn': [{ 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'VpcId'] }, []] }),
        values,
      ),
    ).to.deep.equal([]);
    expect(ruleProblems(rules({ 'Fn::Equals': [{ Ref: 'Unknown' }, 'x'] }), values)).to.deep.equal([]);
    expect(ruleProblems(rules({ 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'A' }, 'x'] }, true] }), values)).to.deep.equal([]);
    expect(ruleProblems(rules({ 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'A' }, 'y'] }, false] }), values)).to.deep.equal([
      'rule R is broken: d',
    ]);
    expect(ruleProblems(rules({ 'Fn::Contains': [['x', 'z'], { Ref: 'A' }] }), values)).to.deep.equal([]);
    expect(ruleProblems(rules({ 'Fn::Contains': [['x', 'z'], { Ref: 'B' }] }), values)).to.deep.equal([
      'rule R is broken: d',
    ]);
  });

  it('reads the parameters fixed after creation from the template’s metadata, per engine', () => {
    expect(Object.keys(fixedParameters(ecs))).to.deep.equal([
      'EnvironmentSuffix',
      'Architecture',
      'ContainerPort',
      'CertificateArn',
    ]);
    expect(Object.keys(fixedParameters(template))).to.deep.equal([
      'EnvironmentSuffix',
      'Architecture',
      'ContainerName',
      'ContainerPort',
      'ProductionPort',
      'TaskSubnets',
      'TestPort',
      'CertificateArn',
    ]);
    expect(fixedParameters(new TemplateModel({ Resources: {} }))).to.deep.equal({});
  });

  it('refuses only a given value that differs from the stack’s current one', () => {
    const previous = { ContainerPort: '80', ContainerName: 'app' };
    expect(fixedParameterProblems(template, previous, { ContainerPort: given('80') })).to.deep.equal([]);
    expect(fixedParameterProblems(template, previous, {})).to.deep.equal([]);
    expect(fixedParameterProblems(template, previous, { DesiredCount: given('3') })).to.deep.equal([]);
    const [line, ...rest] = fixedParameterProblems(template, previous, { ContainerName: given('web') });
    expect(rest).to.deep.equal([]);
    expect(line).to.equal(
      'ContainerName cannot change once the stack exists ("app" → "web" from --test): the service names its load-balanced container at creation, and ECS refuses new load balancers for a CODE_DEPLOY service; deploy a new stack',
    );
  });

  it('refuses a given Image or ReleaseId that differs from the release the stack runs (ECS engine)', () => {
    expect(Object.keys(pipelineParameters(ecs))).to.deep.equal(['Image', 'ReleaseId']);
    expect(pipelineParameters(template)).to.deep.equal({});
    const running = 'acct.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:' + 'ab'.repeat(32);
    const previous = { Image: running, ReleaseId: 'exec-7', DesiredCount: '1' };
    expect(fixedParameterProblems(ecs, previous, { Image: given(running), DesiredCount: given('2') })).to.deep.equal(
      [],
    );
    const [line, ...rest] = fixedParameterProblems(ecs, previous, {
      Image: given('public.ecr.aws/nginx/nginx:stable-alpine'),
    });
    expect(rest).to.deep.equal([]);
    expect(line).to.equal(
      `Image is set by the pipeline (now ${JSON.stringify(running)}; --test gives "public.ecr.aws/nginx/nginx:stable-alpine"): leave it out so the stack keeps the running release (an update with another value would redeploy that image); new images come through the pipeline`,
    );
  });
});
