import { expect } from 'chai';
import { dashboardLayout, dashboardSvg, GRID } from '../../src/docs/dashboard-svg.js';
import { generateDocs } from '../../src/docs/generate.js';
import { InputError } from '../../src/errors.js';
import type { JsonObject } from '../../src/model/json.js';
import { TemplateModel } from '../../src/model/template.js';
import { emittedTemplates, SHIPPED_VARIANTS } from '../helpers.js';

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The widget rectangles of an SVG, read back from its text. */
const rectangles = (svg: string): Box[] =>
  [...svg.matchAll(/<rect class="widget" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    width: Number(m[3]),
    height: Number(m[4]),
  }));

/** Every drawn text's content, unescaped. */
const texts = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] as string)
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );

/** A template holding one dashboard with `widgets` as its body (a `!Sub` like the builder's). */
function withDashboard(widgets: unknown, extra: JsonObject = {}): TemplateModel {
  return new TemplateModel({
    Resources: {
      Board: {
        Type: 'AWS::CloudWatch::Dashboard',
        Properties: { DashboardName: 'board', DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets }) } },
      },
      ...extra,
    },
  });
}

const metric = (props: Record<string, unknown>, place = { x: 0, y: 0, width: 8, height: 6 }) => ({
  type: 'metric',
  properties: props,
  ...place,
});

describe('dashboard picture', () => {
  for (const variant of SHIPPED_VARIANTS) {
    it(`draws one rectangle per widget at its scaled grid place (${variant.label})`, () => {
      const pipeline = emittedTemplates([variant]).find((t) => t.file.endsWith('cicd-pipeline.yaml'));
      const resources = (pipeline?.template as unknown as JsonObject)['Resources'] as Record<string, JsonObject>;
      const dashboards = Object.values(resources).filter((r) => r['Type'] === 'AWS::CloudWatch::Dashboard');
      expect(dashboards).to.have.length(1);
      const sub = ((dashboards[0] as JsonObject)['Properties'] as JsonObject)['DashboardBody'] as JsonObject;
      const text = (Array.isArray(sub['Fn::Sub']) ? sub['Fn::Sub'][0] : sub['Fn::Sub']) as string;
      const widgets = (JSON.parse(text) as { widgets: (Box & { properties: { title: string } })[] }).widgets;
      expect(widgets.length, 'the dashboard has widgets to draw').to.be.greaterThan(5);

      const svg = dashboardSvg(
        dashboardLayout(new TemplateModel(pipeline?.template as unknown as JsonObject), 'pipeline'),
        'title',
      );
      expect(rectangles(svg)).to.deep.equal(
        widgets.map((w) => ({
          x: GRID.margin + w.x * GRID.column,
          y: GRID.margin + GRID.header + w.y * GRID.row,
          width: w.width * GRID.column,
          height: w.height * GRID.row,
        })),
      );
      const shown = texts(svg);
      const tooltips = [...svg.matchAll(/<g>\n\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);
      expect(tooltips, 'each box carries its full title').to.deep.equal(widgets.map((w) => w.properties.title));
      for (const w of widgets) {
        const title = w.properties.title;
        expect(
          shown.some((t) => t === title || (t.endsWith('…') && title.startsWith(t.slice(0, -1)))),
          `${title} is drawn, whole or cut`,
        ).to.equal(true);
      }
      expect(shown).to.include('alarm status');
      expect(shown).to.include('cicd-dashboard-<suffix>');
    });
  }

  it('is the same bytes on every run', () => {
    const first = generateDocs().dashboard;
    expect(generateDocs().dashboard).to.equal(first);
    expect(first).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(first).to.include('<title>cfn-cicd: templates/cicd-pipeline.yaml dashboard</title>');
  });

  it('escapes every text: titles, metric names, alarm names and the dashboard name', () => {
    const model = new TemplateModel({
      Resources: {
        Board: {
          Type: 'AWS::CloudWatch::Dashboard',
          Properties: {
            DashboardName: { 'Fn::Sub': 'a<&>b-${EnvironmentSuffix}' },
            DashboardBody: {
              'Fn::Sub': [
                JSON.stringify({
                  widgets: [
                    metric({ title: 'Errors <&> "quoted"', metrics: [['Ns', 'M<1>&2', { label: '<b>' }]] }),
                    {
                      type: 'alarm',
                      properties: { title: "<script>alert('x')</script>", alarms: ['${Alarm.Arn}'] },
                      x: 8,
                      y: 0,
                      width: 8,
                      height: 6,
                    },
                  ],
                }),
                {},
              ],
            },
          },
        },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: { 'Fn::Sub': 'x&y-${EnvironmentSuffix}' } } },
      },
    });
    const svg = dashboardSvg(dashboardLayout(model, 'test'), 'T <&>');
    expect(svg).to.include('>Errors &lt;&amp;&gt; &quot;quoted&quot;</text>');
    expect(svg).to.include(">&lt;script&gt;alert('x')&lt;/script&gt;</text>");
    expect(svg).to.include('<title>T &lt;&amp;&gt;</title>');
    expect(texts(svg)).to.include.members(['M<1>&2 (<b>)', 'x&y-<suffix>', 'a<&>b-<suffix>']);
    // Between tags only escaped text: no raw markup, every & starts an entity.
    for (const [, between] of svg.matchAll(/>([^<]*)</g)) {
      expect(between).to.not.match(/&(?!(amp|lt|gt|quot);)/);
      expect(between).to.not.include('>');
    }
  });

  it('names each widget kind and what it shows', () => {
    const layout = dashboardLayout(
      new TemplateModel({
        Resources: {
          Board: {
            Type: 'AWS::CloudWatch::Dashboard',
            Properties: {
              DashboardBody: JSON.stringify({
                widgets: [
                  metric({ view: 'singleValue', metrics: [['Ns', 'Count'], [{ id: 'e', expression: 'm1 * 2' }]] }),
                  metric({ view: 'pie' }),
                  metric({ view: 'radar' }),
                  { type: 'text', properties: { markdown: '# hi' }, x: 0, y: 6, width: 24, height: 2 },
                  {
                    type: 'alarm',
                    properties: {
                      alarms: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:outside', '${Gone.Arn}', 7],
                    },
                    x: 0,
                    y: 8,
                    width: 6,
                    height: 6,
                  },
                  metric({ metrics: ['not a line', [{ id: 'x' }]] }),
                  { type: 'log', x: 6, y: 8, width: 6, height: 6 },
                ],
              }),
            },
          },
        },
      }),
      'kinds',
    );
    expect(layout.name, 'the logical ID when the dashboard has no name').to.equal('Board');
    expect(layout.widgets.map((w) => [w.kind, w.title, w.items])).to.deep.equal([
      ['number', '(untitled)', ['Count', '= m1 * 2']],
      ['pie', '(untitled)', []],
      ['radar', '(untitled)', []],
      ['text', '(untitled)', []],
      ['alarm status', '(untitled)', ['outside', 'Gone']],
      ['line', '(untitled)', []],
      ['log', '(untitled)', []],
    ]);
  });

  it('cuts long text to the box and says how many items did not fit', () => {
    const many = Array.from({ length: 30 }, (_, i) => ['Ns', `Metric${i}`]);
    const long = 'T'.repeat(200);
    const svg = dashboardSvg(
      dashboardLayout(
        withDashboard([metric({ title: long, metrics: many }, { x: 20, y: 0, width: 4, height: 4 })]),
        't',
      ),
      't',
    );
    const shown = texts(svg);
    const title = shown.find((t) => t.startsWith('TTT')) as string;
    expect(title.endsWith('…')).to.equal(true);
    expect(title.length).to.be.lessThan(long.length);
    // 4 rows of 40 px: room for the title, the kind and (160 - 20 - 34) / 14 = 7 lines.
    const lines = shown.filter((t) => t.startsWith('Metric') || t.startsWith('+'));
    expect(lines).to.deep.equal([...many.slice(0, 6).map((m) => m[1]), '+24 more']);
  });

  const refusals: [string, TemplateModel, RegExp][] = [
    [
      'no dashboard',
      new TemplateModel({ Resources: {} }),
      /^r: has 0 AWS::CloudWatch::Dashboard resources, expected one$/,
    ],
    [
      'two dashboards',
      withDashboard([], { Other: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} } }),
      /^r: has 2 AWS::CloudWatch::Dashboard resources, expected one$/,
    ],
    [
      'a body that is not JSON',
      new TemplateModel({
        Resources: {
          Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{ "widgets": [ ${X} ] }' } },
        },
      }),
      /^r: Board's DashboardBody is not JSON text$/,
    ],
    [
      'a body that is no string',
      new TemplateModel({ Resources: { Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} } } }),
      /^r: Board's DashboardBody is not JSON text$/,
    ],
    ['a body without widgets', withDashboard(undefined), /^r: Board's DashboardBody has no widgets list$/],
    [
      'a body that is a list',
      new TemplateModel({
        Resources: { Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '[]' } } },
      }),
      /^r: Board's DashboardBody has no widgets list$/,
    ],
    ['a widget that is not an object', withDashboard([3]), /^r: Board: widget 1 is not an object$/],
    [
      'a widget without a place',
      withDashboard([metric({}), { type: 'metric', properties: {}, width: 6, height: 6 }]),
      /^r: Board: widget 2 needs whole x, y, width and height \(x, y >= 0; width, height >= 1\)$/,
    ],
    [
      'a widget of no width',
      withDashboard([metric({}, { x: 0, y: 0, width: 0, height: 6 })]),
      /^r: Board: widget 1 needs whole x, y, width and height/,
    ],
    [
      'a widget past the last column',
      withDashboard([metric({}, { x: 20, y: 0, width: 8, height: 6 })]),
      /^r: Board: widget 1 ends at column 28, past 24$/,
    ],
  ];
  for (const [what, model, message] of refusals) {
    it(`refuses ${what} with one line`, () => {
      expect(() => dashboardLayout(model, 'r'))
        .to.throw(InputError)
        .with.property('message')
        .that.matches(message);
    });
  }
});
