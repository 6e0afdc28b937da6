// The dashboard of each shipped template: every widget's metric is one the template really creates
// (a delivery metric filter's metric, a metric of the template's load balancer and target groups),
// every alarm widget names the template's alarms, and every `${…}` in the body resolves in the stack.
import { expect } from 'chai';
import { DELIVERY_METRICS, DELIVERY_NAMESPACE } from '../../src/resources/delivery-metrics.js';
import type { CfnTemplate } from '../helpers.js';
import { emittedTemplates, resource, resourcesOfType, subText } from '../helpers.js';

/**
 * The Application Load Balancer metrics the dashboard may show (Elastic Load Balancing User Guide for
 * Application Load Balancers, "CloudWatch metrics for your Application Load Balancer"): each with the
 * dimensions it is published under.
 */
const ALB_METRICS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  RequestCount: [['LoadBalancer'], ['TargetGroup', 'LoadBalancer']],
  HTTPCode_Target_5XX_Count: [['LoadBalancer'], ['TargetGroup', 'LoadBalancer']],
  TargetResponseTime: [['LoadBalancer'], ['TargetGroup', 'LoadBalancer']],
  HealthyHostCount: [['TargetGroup', 'LoadBalancer']],
};

/** The attribute a dimension's `${Resource.Attr}` must read, and the type of that resource. */
const ALB_DIMENSIONS: Readonly<Record<string, { type: string; attribute: string }>> = {
  LoadBalancer: { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', attribute: 'LoadBalancerFullName' },
  TargetGroup: { type: 'AWS::ElasticLoadBalancingV2::TargetGroup', attribute: 'TargetGroupFullName' },
};

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title: string; metrics?: unknown[][]; alarms?: string[]; region?: string };
}

/** A metric line of a widget: namespace, name, dimension pairs, options. */
interface MetricLine {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  options: Record<string, unknown>;
}

/** `${Id}` or `${Id.Attr}` → the resource it names and the attribute, or the pseudo parameter. */
function reference(placeholder: string): { id: string; attribute?: string } {
  const [, id, attribute] = /^\$\{([A-Za-z0-9:]+)(?:\.([A-Za-z]+))?\}$/.exec(placeholder) ?? [];
  if (id === undefined) throw new Error(`not a single reference: ${placeholder}`);
  return { id, ...(attribute && { attribute }) };
}

function dashboardOf(template: CfnTemplate): { text: string; widgets: Widget[] } {
  const text = subText(resource(template, 'PipelineDashboard').Properties.DashboardBody);
  return { text, widgets: (JSON.parse(text) as { widgets: Widget[] }).widgets };
}

function metricLines(widget: Widget): MetricLine[] {
  return (widget.properties.metrics ?? [])
    .filter((line) => typeof line[0] === 'string')
    .map((line) => {
      const last = line.at(-1);
      const options = typeof last === 'object' ? (last as Record<string, unknown>) : {};
      const fields = (typeof last === 'object' ? line.slice(0, -1) : line) as string[];
      const [namespace, name, ...pairs] = fields as [string, string, ...string[]];
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
      return { namespace, name, dimensions, options };
    });
}

for (const { file, template } of emittedTemplates().filter((t) => t.file.endsWith('cicd-pipeline.yaml'))) {
  describe(`dashboard of ${file}`, () => {
    const { text, widgets } = dashboardOf(template);
    const lines = widgets.flatMap(metricLines);
    const typeOf = (id: string) => template.Resources[id]?.Type;
    const servesHere = Object.values(template.Resources).some(
      (r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    );

    it('resolves every placeholder of its body to a resource of the stack or the Region', () => {
      const placeholders = text.match(/\$\{[^}]+\}/g) ?? [];
      expect(placeholders.length).to.be.greaterThan(0);
      for (const placeholder of placeholders) {
        const { id } = reference(placeholder);
        if (id === 'AWS::Region') continue;
        expect(typeOf(id), placeholder).to.be.a('string');
      }
      expect(widgets.every((w) => w.type !== 'metric' || w.properties.region === '${AWS::Region}')).to.equal(true);
    });

    it('shows only delivery metrics that a metric filter of the template publishes, with the filter’s dimensions', () => {
      const published = resourcesOfType(template, 'AWS::Logs::MetricFilter').map(([, f]) => {
        const t = f.Properties.MetricTransformations[0];
        return {
          key: `${t.MetricNamespace} ${t.MetricName}`,
          dimensions: (t.Dimensions as { Key: string }[]).map((d) => d.Key).sort(),
        };
      });
      const delivery = lines.filter((l) => l.namespace === DELIVERY_NAMESPACE);
      expect(delivery.length).to.be.greaterThan(0);
      for (const line of delivery) {
        const filter = published.find((p) => p.key === `${line.namespace} ${line.name}`);
        expect(filter, line.name).to.not.equal(undefined);
        expect(Object.keys(line.dimensions).sort(), line.name).to.deep.equal(filter?.dimensions);
        // The filters take the pipeline's name from the event; the dashboard names the same pipeline.
        expect(typeOf(reference(line.dimensions['Pipeline'] as string).id)).to.equal('AWS::CodePipeline::Pipeline');
      }
    });

    it('shows every delivery metric the template publishes', () => {
      const shown = new Set(lines.filter((l) => l.namespace === DELIVERY_NAMESPACE).map((l) => l.name));
      const published = resourcesOfType(template, 'AWS::Logs::MetricFilter').map(
        ([, f]) => f.Properties.MetricTransformations[0].MetricName as string,
      );
      expect([...shown].sort()).to.deep.equal([...new Set(published)].sort());
    });

    it('draws one stage-duration line per stage of the pipeline, in order', () => {
      const stages = (resource(template, 'Pipeline').Properties.Stages as { Name: string }[]).map((s) => s.Name);
      const drawn = lines
        .filter((l) => l.name === DELIVERY_METRICS.stageDuration.name)
        .map((l) => l.dimensions['Stage']);
      expect(drawn).to.deep.equal(stages);
    });

    it('shows load balancer metrics of the template’s load balancer and target groups, under their documented dimensions', () => {
      const alb = lines.filter((l) => l.namespace === 'AWS/ApplicationELB');
      // A promoting pipeline has no load balancer of its own: each environment's stack holds one.
      if (!servesHere) return void expect(alb).to.deep.equal([]);
      expect(alb.map((l) => l.name)).to.include.members(Object.keys(ALB_METRICS));
      for (const line of alb) {
        const forms = ALB_METRICS[line.name];
        expect(forms, line.name).to.not.equal(undefined);
        expect(
          forms?.map((f) => f.join(' ')),
          line.name,
        ).to.include(Object.keys(line.dimensions).join(' '));
        for (const [dimension, value] of Object.entries(line.dimensions)) {
          const { id, attribute } = reference(value);
          const expected = ALB_DIMENSIONS[dimension];
          expect(typeOf(id), `${line.name} ${dimension}`).to.equal(expected?.type);
          expect(attribute, `${line.name} ${dimension}`).to.equal(expected?.attribute);
        }
      }
      // Both target groups: a deployment moves traffic from one to the other.
      const targetGroups = new Set(alb.map((l) => l.dimensions['TargetGroup']).filter(Boolean));
      expect(targetGroups.size).to.equal(resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').length);
    });

    it('uses no namespace but the delivery metrics and the load balancer', () => {
      expect([...new Set(lines.map((l) => l.namespace))].sort()).to.deep.equal(
        servesHere ? ['AWS/ApplicationELB', DELIVERY_NAMESPACE] : [DELIVERY_NAMESPACE],
      );
    });

    it('computes each expression from metrics of its own widget', () => {
      const expressions = widgets.flatMap((w) => {
        const ids = new Set(metricLines(w).map((l) => l.options['id']));
        return (w.properties.metrics ?? [])
          .filter((line) => typeof line[0] === 'object' && 'expression' in (line[0] as object))
          .map((line) => ({ ids, expression: (line[0] as { expression: string }).expression }));
      });
      // Change failure rate and the three times in hours.
      expect(expressions).to.have.length(4);
      for (const { ids, expression } of expressions) {
        const used = expression.replace(/FILL\(/g, '(').match(/\b[a-z][a-z0-9_]*\b/g) ?? [];
        expect(used.length, expression).to.be.greaterThan(0);
        for (const id of used) expect(ids.has(id), `${expression}: ${id}`).to.equal(true);
      }
    });

    it('shows the state of exactly the template’s alarms, each of which notifies the topic', () => {
      const alarms = widgets.flatMap((w) => w.properties.alarms ?? []).map(reference);
      const declared = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
      expect(alarms.map((a) => a.id).sort()).to.deep.equal(declared.map(([id]) => id).sort());
      expect(alarms.every((a) => a.attribute === 'Arn')).to.equal(true);
      for (const [id, alarm] of declared) {
        expect(alarm.Properties.AlarmActions, id).to.deep.equal([{ Ref: 'NotificationTopic' }]);
        expect(alarm.Properties.OKActions, id).to.deep.equal([{ Ref: 'NotificationTopic' }]);
      }
    });

    it('lays the widgets on the 24-column grid without overlap', () => {
      const cells = new Set<string>();
      for (const w of widgets) {
        expect(w.x + w.width, w.properties.title).to.be.at.most(24);
        for (let x = w.x; x < w.x + w.width; x++)
          for (let y = w.y; y < w.y + w.height; y++) {
            expect(cells.has(`${x},${y}`), w.properties.title).to.equal(false);
            cells.add(`${x},${y}`);
          }
      }
    });
  });
}
