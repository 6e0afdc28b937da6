// All 237 AWS Control Tower proactive controls (the pinned rules in .guard) on every emitted
// template: a control that names a resource is either met in the builders or listed, with its
// reason, in CONTROL_TOWER_EXCEPTIONS, which this test holds exactly. An exception the rule
// misreads is shown to pass on a copy rewritten into the spelling the rule reads.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CONTROL_TOWER_EXCEPTIONS } from '../../src/guard/control-tower.js';
import type { JsonObject } from '../../src/model/json.js';
import { parseTemplate } from '../../src/model/template.js';
import { TemplateModel } from '../../src/model/template.js';
import { BOOTSTRAP_STACKSET_TEMPLATE_FILE, PIPELINE_TEMPLATE_FILE } from '../../src/naming.js';
import type { ControlException } from '../../src/guard/control-tower.js';
import type { ControlTowerControl, GuardReport } from '../../src/tools/cfn-guard.js';
import { cfnGuard, CONTROL_TOWER_RULES, controlTowerControls, formatFailure } from '../../src/tools/cfn-guard.js';
import { PACKAGE_ROOT } from '../../src/tools/locate.js';
import { renderYaml } from '../../src/render/yaml.js';
import {
  appliesTo,
  CONFIGURATIONS,
  EXAMPLE_CERTIFICATE_ARN,
  REQUIRED_EXAMPLES,
  resolveConfiguration,
} from '../configurations.js';
import type { EmittedTemplate } from '../helpers.js';
import { emittedTemplates } from '../helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rewrites reach into arbitrary property trees
type Loose = any;

/** The template as CloudFormation reads it: long-form intrinsics, `!GetAtt X.Attr` as [X, Attr]. */
const longForm = (yaml: string, file: string): JsonObject => parseTemplate(yaml, file).body;

/**
 * For each `misread` exception: the template rewritten into the spelling the control reads, same
 * meaning. The control must pass on it.
 */
const SPELT_FOR_THE_RULE: Readonly<Record<string, (yaml: string, file: string) => JsonObject>> = {
  'CT.CLOUDWATCH.PR.3': longForm,
  'CT.CODEBUILD.PR.1': (yaml, file) => {
    const body = longForm(yaml, file) as Loose;
    // The repository URL as CloudFormation resolves it for the example owner and repository.
    for (const definition of Object.values(body.Resources as Record<string, Loose>)) {
      const source = definition.Type === 'AWS::CodeBuild::Project' ? definition.Properties.Source : undefined;
      if (source?.Location?.['Fn::Sub'] === undefined) continue;
      source.Location = (source.Location['Fn::Sub'] as string).replace(
        /\$\{(\w+)\}/g,
        (_: string, name: string) => REQUIRED_EXAMPLES[name] as string,
      );
    }
    return body;
  },
  'CT.ECS.PR.7': (yaml, file) => {
    const body = longForm(yaml, file) as Loose;
    // The lookup as CloudFormation resolves it for the default TaskSize.
    for (const definition of Object.values(body.Resources as Record<string, Loose>)) {
      if (definition.Type !== 'AWS::ECS::TaskDefinition') continue;
      for (const container of definition.Properties.ContainerDefinitions) {
        const [map, size, key] = container.Memory['Fn::FindInMap'];
        container.Memory = body.Mappings[map][body.Parameters[size.Ref].Default][key];
      }
    }
    return body;
  },
  'CT.ELASTICLOADBALANCING.PR.2': (yaml, file) => {
    const body = longForm(yaml, file) as Loose;
    // The parameter as CloudFormation resolves it for a stack launched with a certificate.
    for (const listener of Object.values(body.Resources as Record<string, Loose>)) {
      if (listener.Type !== 'AWS::ElasticLoadBalancingV2::Listener' || listener.Properties.Protocol !== 'HTTPS')
        continue;
      listener.Properties.Certificates = [{ CertificateArn: EXAMPLE_CERTIFICATE_ARN }];
    }
    return body;
  },
  'CT.LAMBDA.PR.2': longForm,
  'CT.S3.PR.8': (yaml, file) => {
    const body = longForm(yaml, file) as Loose;
    for (const policy of Object.values(body.Resources as Record<string, Loose>)) {
      if (policy.Type !== 'AWS::S3::BucketPolicy') continue;
      const bucket = policy.Properties.Bucket.Ref as string;
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        // A statement under a condition (Fn::If) names no Resource of its own here.
        if (!Array.isArray(statement.Resource)) continue;
        statement.Resource = statement.Resource.map((r: Loose) =>
          r['Fn::Sub'] === `\${${bucket}.Arn}/*` ? { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] } : r,
        );
      }
    }
    return body;
  },
};

/** The rows of the first markdown table under `heading` in docs/SECURITY.md, cells trimmed, `\|` unescaped. */
function securityTable(heading: string): string[][] {
  const page = readFileSync(join(PACKAGE_ROOT, 'docs', 'SECURITY.md'), 'utf8');
  const section = page.split(/^#+ /m).find((s) => s.startsWith(`${heading}\n`)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, '|')),
    );
}

/** `control → sorted resources` of a report's failures. */
function findings(report: GuardReport): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of report.failures.flatMap(formatFailure)) {
    const [control, resource] = line.split(' ') as [string, string];
    out[control] = [...(out[control] ?? []), resource].sort();
  }
  return out;
}

describe('guard/control-tower (all 237 AWS Control Tower proactive controls, on every emitted template)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cfn-cicd-control-tower-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  /** Every emitted template, and each pipeline template as deployed in each configuration the tests use. */
  const templates: EmittedTemplate[] = [
    ...emittedTemplates(),
    ...emittedTemplates().flatMap(({ file, template }) =>
      CONFIGURATIONS.filter(
        // Every configuration a template declares the parameters of; the defaults where it runs the service.
        (c) =>
          appliesTo(c, template as unknown as JsonObject) &&
          (Object.keys(c.values).length > 0 ||
            Object.values(template.Resources).some((r) => r.Type === 'AWS::ECS::Service')),
      ).map((configuration) => {
        const resolved = resolveConfiguration(template as unknown as JsonObject, configuration.values);
        return {
          file: file.replace(/\.yaml$/, `.${configuration.name}.yaml`),
          yaml: renderYaml(resolved),
          template: resolved as unknown as EmittedTemplate['template'],
        };
      }),
    ),
  ];
  const controls = controlTowerControls();
  const byRule = new Map([...controls.values()].map((c) => [c.rule, c]));
  const reports = new Map<string, GuardReport>();
  /** The default pipeline template (ECS engine). */
  const pipelineModel = () =>
    new TemplateModel(templates.find((t) => t.file === PIPELINE_TEMPLATE_FILE)?.template as never);
  /**
   * The resources an exception names in the default pipeline template (ECS engine) or in any
   * configuration of it, as docs/SECURITY.md's exception table lists them.
   */
  const pipelineResources = (exception: ControlException): string[] => {
    const copies = templates.filter(
      (t) => t.file === PIPELINE_TEMPLATE_FILE || /^cicd-pipeline\.[a-z-]+\.yaml$/.test(t.file),
    );
    const own = CONFIGURATIONS.filter((c) => appliesTo(c, pipelineModel().body));
    expect(copies).to.have.length(1 + own.length);
    return [...new Set(copies.flatMap((t) => exception.resources(new TemplateModel(t.template as never))))].sort();
  };

  before(async function () {
    // cfn-guard over every template and configuration: minutes on a shared machine.
    this.timeout(600_000);
    const paths = templates.map(({ file, yaml }) => {
      const path = join(scratch, file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, yaml);
      return path;
    });
    // A few templates a run: one run over all of them prints more than runTool's 32 MB bound.
    const BATCH = 4;
    for (let start = 0; start < paths.length; start += BATCH) {
      const found = await cfnGuard([CONTROL_TOWER_RULES], paths.slice(start, start + BATCH));
      found.forEach((report, i) => reports.set(templates[start + i]?.file as string, report));
    }
  });

  it('runs every one of the 237 controls on every template', () => {
    expect(controls.size).to.equal(237);
    for (const { file } of templates) {
      const report = reports.get(file) as GuardReport;
      const seen = [...report.compliant, ...report.notApplicable, ...report.failures.map((f) => f.rule)];
      expect(seen.slice().sort(), file).to.deep.equal([...byRule.keys()].sort());
    }
  });

  for (const { file, template } of templates) {
    describe(file, () => {
      it('fails no control beyond the exceptions, and every exception still fails: the table is exact', () => {
        const model = new TemplateModel(template as never);
        const expected = Object.fromEntries(
          Object.entries(CONTROL_TOWER_EXCEPTIONS)
            .map(([id, e]) => [id, e.resources(model)] as const)
            .filter(([, ids]) => ids.length > 0),
        );
        expect(findings(reports.get(file) as GuardReport)).to.deep.equal(expected);
      });

      it('names a control and resources of the types it evaluates in every failure', () => {
        for (const failure of (reports.get(file) as GuardReport).failures) {
          const control = byRule.get(failure.rule) as ControlTowerControl;
          expect(failure.control, failure.rule).to.equal(control.id);
          for (const id of failure.resources) {
            expect(control.resourceTypes, `${control.id} ${id}`).to.include(template.Resources[id]?.Type);
          }
        }
      });

      it('passes the controls that apply to it', () => {
        const report = reports.get(file) as GuardReport;
        const passed = report.compliant;
        // No control evaluates a StackSet: the bootstrap it carries is checked as its own file.
        if (file.endsWith(BOOTSTRAP_STACKSET_TEMPLATE_FILE)) expect(report.notApplicable).to.have.length(byRule.size);
        else expect(passed.length).to.be.greaterThan(0);
        for (const rule of passed) expect(byRule.has(rule), rule).to.equal(true);
      });
    });
  }

  describe('docs/SECURITY.md', () => {
    it('gives the figures of the run for each emitted template', () => {
      const page = readFileSync(join(PACKAGE_ROOT, 'docs', 'SECURITY.md'), 'utf8').replace(/\s+/g, ' ');
      const sentences = emittedTemplates().map(({ file }) => {
        const r = reports.get(file) as GuardReport;
        return `\`templates/${file}\` ${r.compliant.length} controls pass, ${r.failures.length} fail and ${r.notApplicable.length} do not apply`;
      });
      expect(sentences.filter((s) => !page.includes(s))).to.deep.equal([]);
    });

    it('lists every control that passes, with its severity, and no other, under Met', () => {
      const passed = new Set(templates.flatMap(({ file }) => (reports.get(file) as GuardReport).compliant));
      const rows = securityTable('Met');
      expect(rows.map(([id]) => id).sort()).to.deep.equal(
        [...passed].map((rule) => (byRule.get(rule) as ControlTowerControl).id).sort(),
      );
      for (const [id, severity, resources, where] of rows) {
        expect(severity, id).to.equal(controls.get(id as string)?.severity);
        expect(resources, id).to.not.equal('');
        expect(where, id).to.not.equal('');
      }
    });

    it('lists the exceptions as the table holds them: control, kind, resources and reason', () => {
      const rows = securityTable('Exceptions');
      expect(rows).to.deep.equal(
        Object.entries(CONTROL_TOWER_EXCEPTIONS).map(([id, e]) => [
          id,
          e.kind,
          pipelineResources(e)
            .map((r) => `\`${r}\``)
            .join(', '),
          e.reason,
        ]),
      );
    });

    it('is right that CT.EC2.PR.3 and PR.4 skip parameter ingress, and pass at the defaults', async () => {
      const pipeline = templates.find((t) => t.file === PIPELINE_TEMPLATE_FILE);
      const body = longForm(pipeline?.yaml as string, PIPELINE_TEMPLATE_FILE) as Loose;
      const defaults = (name: string): unknown => body.Parameters[name]?.Default;
      const groups = Object.values(body.Resources as Record<string, Loose>).filter(
        (r) => r.Type === 'AWS::EC2::SecurityGroup',
      );
      for (const group of groups) {
        for (const rule of group.Properties.SecurityGroupIngress ?? []) {
          for (const key of ['CidrIp', 'FromPort', 'ToPort']) {
            const ref = rule[key]?.Ref as string | undefined;
            if (ref !== undefined && defaults(ref) !== undefined) rule[key] = defaults(ref);
          }
        }
      }
      const path = join(scratch, 'ingress-at-defaults.json');
      writeFileSync(path, JSON.stringify(body));
      const rules = ['CT.EC2.PR.3', 'CT.EC2.PR.4'].map((id) => controls.get(id) as ControlTowerControl);
      const report = reports.get(PIPELINE_TEMPLATE_FILE) as GuardReport;
      for (const c of rules) expect(report.notApplicable, c.id).to.include(c.rule);
      const [atDefaults] = await cfnGuard(
        rules.map((c) => c.file),
        [path],
      );
      expect(atDefaults?.compliant.slice().sort()).to.deep.equal(rules.map((c) => c.rule).sort());
    });
  });

  describe('each exception', () => {
    for (const [id, exception] of Object.entries(CONTROL_TOWER_EXCEPTIONS)) {
      it(`${id} (${exception.kind}): ${exception.reason}`, () => {
        expect(controls.has(id), `${id} is a control of the pinned package`).to.equal(true);
        expect(exception.reason.length).to.be.greaterThan(40);
        const everywhere = templates.flatMap(({ template }) =>
          exception.resources(new TemplateModel(template as never)),
        );
        expect(everywhere).to.not.deep.equal([]);
      });
    }

    it('that the rule misreads passes on a copy spelt the way the rule reads, the rest still fail there', async () => {
      const misread = Object.entries(CONTROL_TOWER_EXCEPTIONS).filter(([, e]) => e.kind === 'misread');
      expect(misread.map(([id]) => id).sort()).to.deep.equal(Object.keys(SPELT_FOR_THE_RULE).sort());
      const pipeline = templates.find((t) => t.file === PIPELINE_TEMPLATE_FILE);
      const rewrites = misread.map(([id]) => {
        const path = join(scratch, `${id}.json`);
        writeFileSync(
          path,
          JSON.stringify(
            (SPELT_FOR_THE_RULE[id] as (y: string, f: string) => JsonObject)(
              pipeline?.yaml as string,
              PIPELINE_TEMPLATE_FILE,
            ),
          ),
        );
        return path;
      });
      // The excepted controls alone: the rest pass on the template already.
      const excepted = Object.keys(CONTROL_TOWER_EXCEPTIONS).map(
        (id) => (controls.get(id) as ControlTowerControl).file,
      );
      const found = await cfnGuard(excepted, rewrites);
      found.forEach((report, i) => {
        const [id] = misread[i] as [string, unknown];
        const failed = Object.keys(findings(report));
        expect(failed, id).to.not.include(id);
        // The rewrite changes only the spelling: every exception that is not misread still fails.
        const others = Object.entries(CONTROL_TOWER_EXCEPTIONS)
          .filter(([other, e]) => other !== id && e.resources(pipelineModel()).length > 0)
          .map(([other]) => other);
        expect(failed, id).to.include.members(others.filter((o) => !(o in SPELT_FOR_THE_RULE)));
      });
    });
  });
});
