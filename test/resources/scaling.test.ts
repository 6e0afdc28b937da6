// Autoscaling of the service's task count, in both engines: what scales, on which metrics, how it
// lives with blue/green, and that stack updates leave the scaler's count alone.
import { expect } from 'chai';
import type { CfnTemplate } from '../helpers.js';
import { brokenRules, renderedServing, resource, resourcesOfType, SHIPPED_VARIANTS } from '../helpers.js';

const SCALING_TYPES = ['AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ApplicationAutoScaling::ScalingPolicy'];

/** The target-tracking configuration of the policy with this logical ID. */
const tracking = (template: CfnTemplate, id: string) =>
  resource(template, id).Properties.TargetTrackingScalingPolicyConfiguration as Record<string, unknown>;

interface MetricQuery {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: {
    Stat: string;
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] };
  };
}

for (const { label, config } of SHIPPED_VARIANTS) {
  const template = renderedServing(config);

  describe(`autoscaling (${label})`, () => {
    it('exists only with Autoscaling enabled: the target and both policies carry HasAutoscaling', () => {
      const scaling = SCALING_TYPES.flatMap((type) => resourcesOfType(template, type));
      expect(scaling.map(([id]) => id).sort()).to.deep.equal([
        'CpuScalingPolicy',
        'RequestScalingPolicy',
        'ServiceScalableTarget',
      ]);
      for (const [id, r] of scaling) expect(r.Condition, id).to.equal('HasAutoscaling');
      expect(template.Conditions?.['HasAutoscaling']).to.deep.equal({
        'Fn::Equals': [{ Ref: 'Autoscaling' }, 'enabled'],
      });
    });

    it("scales the service's desired count between MinTasks and MaxTasks, through the service-linked role", () => {
      const target = resource(template, 'ServiceScalableTarget').Properties;
      expect(target).to.deep.include({
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        ResourceId: { 'Fn::Sub': 'service/${Cluster}/${Service.Name}' },
        MinCapacity: { Ref: 'MinTasks' },
        MaxCapacity: { Ref: 'MaxTasks' },
      });
      // No RoleARN: Application Auto Scaling uses (and creates) AWSServiceRoleForApplicationAutoScaling_ECSService.
      expect(target).to.not.have.property('RoleARN');
      // Nothing suspended: scale-out must go on during a deployment (scale-in ECS pauses by itself).
      expect(target).to.not.have.property('SuspendedState');
    });

    it('tracks average CPU at ScalingCpuTarget', () => {
      const cpu = tracking(template, 'CpuScalingPolicy');
      expect(cpu).to.deep.include({
        TargetValue: { Ref: 'ScalingCpuTarget' },
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      });
      expect(cpu).to.not.have.property('DisableScaleIn');
      expect(resource(template, 'CpuScalingPolicy').Properties.ScalingTargetId).to.deep.equal({
        Ref: 'ServiceScalableTarget',
      });
    });

    it('tracks requests per task over both target groups, each FILLed with 0, so it follows production through a blue/green swap', () => {
      const requests = tracking(template, 'RequestScalingPolicy');
      expect(requests['TargetValue']).to.deep.equal({ Ref: 'ScalingRequestsPerTask' });
      expect(requests).to.not.have.property('PredefinedMetricSpecification');
      const queries = (requests['CustomizedMetricSpecification'] as { Metrics: MetricQuery[] }).Metrics;
      const metrics = queries.filter((q) => q.MetricStat !== undefined);
      const returned = queries.filter((q) => q.ReturnData !== false);
      expect(returned, 'exactly one query is the policy’s metric').to.have.length(1);
      const expression = returned[0]?.Expression ?? '';
      for (const metric of metrics) {
        expect(metric.MetricStat).to.deep.include({ Stat: 'Sum' });
        expect(metric.MetricStat?.Metric).to.deep.include({
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'RequestCountPerTarget',
        });
        // An idle group publishes no data point, and target tracking does not scale on missing data.
        expect(expression, metric.Id).to.include(`FILL(${metric.Id}, 0)`);
      }
      const groups = metrics.map((m) => m.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'TargetGroup')?.Value);
      const everyGroup = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([id]) => ({
        'Fn::GetAtt': [id, 'TargetGroupFullName'],
      }));
      expect(everyGroup).to.have.length(2);
      expect(groups).to.have.deep.members(everyGroup);
    });

    it('leaves DesiredCount out of the service with Autoscaling enabled, so a stack update does not reset the count', () => {
      expect(resource(template, 'Service').Properties.DesiredCount).to.deep.equal({
        'Fn::If': ['HasAutoscaling', { Ref: 'AWS::NoValue' }, { Ref: 'DesiredCount' }],
      });
    });

    it('refuses MaxTasks below MinTasks before any change, only with Autoscaling enabled', () => {
      const broken = (given: Record<string, string>) =>
        brokenRules(template, given).filter((p) => p.includes('MaxTasks'));
      expect(broken({ Autoscaling: 'enabled', MinTasks: '3', MaxTasks: '2' })).to.deep.equal([
        'rule MaxTasksAtLeastMinTasks is broken: MaxTasks must be at least MinTasks (3)',
      ]);
      expect(broken({ Autoscaling: 'enabled', MinTasks: '10', MaxTasks: '9' })).to.have.length(1);
      expect(broken({ Autoscaling: 'enabled', MinTasks: '3', MaxTasks: '3' })).to.deep.equal([]);
      expect(broken({ Autoscaling: 'enabled', MinTasks: '2', MaxTasks: '20' })).to.deep.equal([]);
      expect(broken({ Autoscaling: 'disabled', MinTasks: '3', MaxTasks: '2' })).to.deep.equal([]);
      expect(broken({ Autoscaling: 'enabled' }), 'the defaults').to.deep.equal([]);
    });
  });
}
