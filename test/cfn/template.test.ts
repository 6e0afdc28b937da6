import { expect } from 'chai';
import { Topic } from '../../src/cfn/resources.js';
import { part, resources } from '../../src/cfn/template.js';

describe('cfn/template: the template object the builders produce', () => {
  it('keys resources by logical ID in the order given', () => {
    const alerts = new Topic({ TopicName: 'alerts' });
    const audit = new Topic({ TopicName: 'audit' });
    const out = resources([part('Alerts', alerts), part('Audit', audit)]);
    expect(Object.keys(out)).to.deep.equal(['Alerts', 'Audit']);
    expect(out['Audit']).to.equal(audit);
  });

  it('refuses a logical ID given twice, naming it', () => {
    const topic = () => new Topic({ TopicName: 't' });
    expect(() => resources([part('Alerts', topic()), part('Alerts', topic())])).to.throw(
      /^duplicate logical ID Alerts$/,
    );
  });
});
