import { expect } from 'chai';
import type { TemplateParameter } from '../../src/deploy/preflight.js';
import { allowedPattern, preflight, refusal } from '../../src/deploy/preflight.js';
import { InputError } from '../../src/errors.js';
import { Params } from '../../src/naming.js';
import { EVERY_PARAMETER_REFUSES, PARAMETER_VALUES, valuesOf } from '../fixtures/parameter-values.js';
import { venvPython } from '../venv.js';
import { PIPELINE_FILES, pipelineParameters, requiredValues } from './template.js';

const given = (value: string) => ({ value, source: '--test' });

describe('deploy pre-flight (parameter values against the template file’s own constraints)', () => {
  const parameters = pipelineParameters();

  it('the value table has a row for every parameter of both engines’ templates', () => {
    for (const file of PIPELINE_FILES) {
      const names = Object.keys(pipelineParameters(file));
      expect(
        names.filter((name) => PARAMETER_VALUES[name] === undefined),
        file,
      ).to.deep.equal([]);
    }
  });

  it('every row of the value table names a parameter in naming.ts Params (no typos, no leftovers)', () => {
    expect(Object.keys(PARAMETER_VALUES).filter((name) => !Object.hasOwn(Params, name))).to.deep.equal([]);
  });

  const everyParameter = PIPELINE_FILES.flatMap((file) =>
    Object.entries(pipelineParameters(file)).map(([name, parameter]) => ({ file, name, parameter })),
  );
  for (const { file, name, parameter } of everyParameter) {
    describe(`${name} (${file})`, () => {
      const row = valuesOf(name, file);
      it(`admits every good value (${row.good.length})`, () => {
        for (const value of row.good)
          expect(refusal(name, parameter, given(value)), JSON.stringify(value)).to.equal(undefined);
      });

      const bad = [...row.bad, ...EVERY_PARAMETER_REFUSES];
      it(`refuses every bad value (${bad.length}) with one line naming the parameter, the value and what is allowed`, () => {
        for (const [value, why] of bad) {
          const line = refusal(name, parameter, given(value));
          expect(line, `${JSON.stringify(value)} (${why})`).to.be.a('string');
          expect(line).to.not.include('\n');
          expect(line).to.include(`${name} `);
          expect(line).to.include('from --test');
          if (value.length < 60) expect(line).to.include(JSON.stringify(value));
          expect(line).to.include(parameter.ConstraintDescription ?? '');
        }
      });
    });
  }

  it('agrees with Python’s re.fullmatch (ASCII classes, as Java’s) on every AllowedPattern and table value', () => {
    const cases = everyParameter
      .map(({ file, name, parameter }) => [file, name, parameter] as const)
      .filter(([, , p]) => p.AllowedPattern !== undefined)
      .flatMap(([file, name, p]) => {
        const row = valuesOf(name, file);
        const values = [...row.good, ...row.bad.map(([v]) => v), ...EVERY_PARAMETER_REFUSES.map(([v]) => v)];
        return values.map((value) => ({ pattern: p.AllowedPattern as string, value }));
      });
    expect(cases.length).to.be.greaterThan(0);
    const python = venvPython<boolean[]>(
      'import json, re, sys\nprint(json.dumps([re.fullmatch(c["pattern"], c["value"], re.ASCII) is not None for c in json.load(sys.stdin)]))',
      JSON.stringify(cases),
    );
    const disagreements = cases.filter((c, i) => allowedPattern(c.pattern).test(c.value) !== python[i]);
    expect(disagreements).to.deep.equal([]);
  });

  describe('whole-set checks', () => {
    it('passes the table’s first good value for every required parameter', () => {
      const values = Object.fromEntries(Object.entries(requiredValues(parameters)).map(([k, v]) => [k, given(v)]));
      expect(preflight(parameters, values)).to.deep.equal([]);
    });

    it('names each required parameter left out, with the flag that sets it', () => {
      const required = Object.entries(parameters)
        .filter(([, p]) => p.Default === undefined)
        .map(([name]) => name);
      expect(required).to.include(Params.EnvironmentSuffix);
      const problems = preflight(parameters, {}, (n) => `--flag-for-${n}`);
      expect(problems).to.deep.equal(required.map((n) => `${n} is required (it has no Default): pass --flag-for-${n}`));
      expect(preflight(parameters, {})[0]).to.equal(
        `${required[0]} is required (it has no Default): pass --parameter ${required[0]}=VALUE`,
      );
    });

    it('refuses a name the template does not declare, listing the ones it does', () => {
      const values = Object.fromEntries(Object.entries(requiredValues(parameters)).map(([k, v]) => [k, given(v)]));
      const [line, ...rest] = preflight(parameters, { ...values, GitHubToken: given('x') });
      expect(rest).to.deep.equal([]);
      expect(line).to.match(/^unknown parameter "GitHubToken" from --test; the template declares EnvironmentSuffix, /);
    });

    it('reports one line per bad value, in template order, then the unknown names', () => {
      const values = Object.fromEntries(Object.entries(requiredValues(parameters)).map(([k, v]) => [k, given(v)]));
      const names = Object.keys(parameters).slice(0, 3);
      for (const name of names) values[name] = given(valuesOf(name).bad[0]?.[0] as string);
      const problems = preflight(parameters, { ...values, Nope: given('1') });
      expect(problems.map((p) => p.split(' ')[0])).to.deep.equal([...names, 'unknown']);
    });
  });

  describe('CloudFormation semantics kept in JavaScript', () => {
    const p = (definition: Partial<TemplateParameter>): TemplateParameter => ({ Type: 'String', ...definition });
    const refused = (definition: Partial<TemplateParameter>, value: string) =>
      refusal('P', p(definition), given(value)) !== undefined;

    it('matches the whole value, so a pattern without anchors still refuses extra text', () => {
      expect(refused({ AllowedPattern: '[a-z]+' }, 'abc')).to.equal(false);
      expect(refused({ AllowedPattern: '[a-z]+' }, 'abc1')).to.equal(true);
      expect(refused({ AllowedPattern: '^[a-z]+$' }, 'abc\n')).to.equal(true);
    });

    it('reads Java-style escaped punctuation (\\-, \\_, \\@) as the literal character', () => {
      expect(refused({ AllowedPattern: '^a\\-b\\_c\\@d$' }, 'a-b_c@d')).to.equal(false);
      expect(refused({ AllowedPattern: '^[a\\-z]+$' }, 'a-z')).to.equal(false);
      expect(refused({ AllowedPattern: '^[a\\-z]+$' }, 'b')).to.equal(true);
    });

    it('counts a character outside the BMP as one, as Java’s regex does', () => {
      expect(refused({ AllowedPattern: '^[^/]{1}$' }, '😀')).to.equal(false);
    });

    it('keeps \\d to ASCII digits, as Java does (Python’s \\d would take Arabic-Indic digits)', () => {
      expect(refused({ AllowedPattern: '^\\d+$' }, '١٢٣')).to.equal(true);
    });

    for (const javaOnly of ['\\Aabc\\z', '(?i)abc', 'a*+', '\\Qa.b\\E'])
      it(`refuses to guess at Java-only syntax ${javaOnly} and says so`, () => {
        expect(() => allowedPattern(javaOnly)).to.throw(InputError, /cannot be checked as a JavaScript RegExp/);
      });

    it('refuses \\p{…} classes, whose meaning differs (Java’s \\p{Alpha} is ASCII, JavaScript’s Unicode), but not a literal \\\\p', () => {
      expect(() => allowedPattern('^\\p{Alpha}+$')).to.throw(InputError, /p\{…\} classes differ/);
      expect(allowedPattern('^a\\\\p$').test('a\\p')).to.equal(true);
    });

    it('treats Number as plain decimal text and compares AllowedValues as text', () => {
      const n = { Type: 'Number', MinValue: 1, MaxValue: 10 };
      expect(['1', '10', '2.5', '-0'].filter((v) => refused(n, v))).to.deep.equal(['-0']);
      expect(['', ' 1', '1e1', '0x1', 'Infinity'].every((v) => refused(n, v))).to.equal(true);
      expect(refused({ Type: 'Number', AllowedValues: [0, 25] }, '25')).to.equal(false);
      expect(refused({ Type: 'Number', AllowedValues: [0, 25] }, '25.0')).to.equal(true);
    });

    it('checks MinLength and MaxLength in UTF-16 units, like Java’s String.length()', () => {
      expect(refusal('P', p({ MaxLength: 3 }), given('abcd'))).to.match(/4 characters, over MaxLength 3/);
      expect(refusal('P', p({ MinLength: 2 }), given(''))).to.match(/0 characters, under MinLength 2/);
    });

    it('checks each item of a CommaDelimitedList and a List<Number>', () => {
      expect(refused({ Type: 'CommaDelimitedList', AllowedPattern: '[a-z]+' }, 'a,b')).to.equal(false);
      expect(refused({ Type: 'CommaDelimitedList', AllowedPattern: '[a-z]+' }, 'a,B')).to.equal(true);
      expect(refused({ Type: 'List<Number>', MaxValue: 5 }, '1,6')).to.equal(true);
      expect(refused({ Type: 'List<Number>', MaxValue: 5 }, '1,5')).to.equal(false);
    });

    it('reads a parameter without a Type as a String, as CloudFormation does', () => {
      expect(refused({ Type: undefined as never, AllowedValues: ['a'] }, 'b')).to.equal(true);
      expect(refused({ Type: undefined as never, AllowedValues: ['a'] }, 'a')).to.equal(false);
    });

    it('checks the ID form of an AWS-specific type and leaves its existence to CloudFormation', () => {
      expect(refused({ Type: 'AWS::EC2::VPC::Id' }, 'vpc-0123456789abcdef0')).to.equal(false);
      expect(refused({ Type: 'AWS::EC2::VPC::Id' }, 'anything')).to.equal(true);
      expect(refused({ Type: 'List<AWS::EC2::Subnet::Id>' }, 'subnet-0a1b2c3d,subnet-0123456789abcdef0')).to.equal(
        false,
      );
      expect(refused({ Type: 'List<AWS::EC2::Subnet::Id>' }, 'subnet-0a1b2c3d,vpc-0a1b2c3d')).to.equal(true);
      expect(refusal('Vpc', p({ Type: 'AWS::EC2::VPC::Id' }), given('vpc-1'))).to.include(
        '"vpc-1" is not an ID of the form the type AWS::EC2::VPC::Id takes',
      );
      // A type without a known ID form is CloudFormation's to check.
      expect(refused({ Type: 'AWS::EC2::KeyPair::KeyName' }, 'anything')).to.equal(false);
    });

    it('hides a NoEcho value and describes the rule when there is no ConstraintDescription', () => {
      const line = refusal('Token', p({ NoEcho: true, MinLength: 8 }), given('secret'));
      expect(line).to.equal(
        'Token (NoEcho value hidden) from --test is refused (6 characters, under MinLength 8); allowed: a string, at least 8 characters',
      );
      expect(line).to.not.include('secret"');
    });

    it('cuts a very long value so the line stays readable', () => {
      const line = refusal('P', p({ MaxLength: 5 }), given('x'.repeat(500))) as string;
      expect(line).to.include('(500 characters)');
      expect(line.length).to.be.lessThan(300);
    });
  });
});
