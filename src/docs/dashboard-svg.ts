// A picture of the pipeline's CloudWatch dashboard for reviewers: each widget of the emitted
// DashboardBody drawn as a box at its place on CloudWatch's 24-column grid, with its title, its
// kind and the metrics or alarms it shows. Plain string building; every text is XML-escaped.
import { InputError } from '../errors.js';
import type { Json, JsonObject } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import { nameText, propertiesOf } from '../model/resource.js';
import type { TemplateModel } from '../model/template.js';

/** Pixels per grid unit, and the grid's width in columns (CloudWatch's). */
export const GRID = { columns: 24, column: 50, row: 40, margin: 16, header: 40 } as const;

const PAD = 10;
const TITLE_SIZE = 13;
const SMALL_SIZE = 10;
const LINE_STEP = 14;
/** Average glyph width as a share of the font size (bold runs wider), for truncating to a box's width. */
const GLYPH = { plain: 0.6, bold: 0.68 } as const;

/** One widget as the picture draws it: grid place, title, kind and the metric or alarm names. */
export interface DashboardWidget {
  /** Column of the left edge, 0 to 23. */
  readonly x: number;
  /** Row of the top edge. */
  readonly y: number;
  /** Columns wide. */
  readonly width: number;
  /** Rows high. */
  readonly height: number;
  /** The widget's title. @default `(untitled)` */
  readonly title: string;
  /** What it draws: `line`, `number`, `alarm status`, or the view or type name for the rest. */
  readonly kind: string;
  /** The metric names (with their labels), math expressions (`= label`) or alarm names it shows. */
  readonly items: readonly string[];
}

/** The dashboard a template declares: its name (suffix shown as `<suffix>`) and its widgets. */
export interface DashboardLayout {
  /** DashboardName with `${EnvironmentSuffix}` as `<suffix>`. @default the logical ID */
  readonly name: string;
  /** The widgets in body order. */
  readonly widgets: readonly DashboardWidget[];
}

/** Metric views named as a reviewer says them; other views (gauge, bar, pie) keep their own name. */
const KINDS: Readonly<Record<string, string>> = { timeSeries: 'line', singleValue: 'number' };

const withSuffix = (text: string): string => text.replace(/\$\{EnvironmentSuffix\}/g, '<suffix>');

/** The body's JSON text: a plain string or the text of a `!Sub` (its placeholders stay in the strings). */
function bodyText(value: Json | undefined): string | undefined {
  const sub = isJsonObject(value) ? value['Fn::Sub'] : undefined;
  const text = Array.isArray(sub) ? sub[0] : (sub ?? value);
  return typeof text === 'string' ? text : undefined;
}

/** A metric line's name: `Name (label)`, or `= label` for a math expression. */
function metricItem(line: Json): string | undefined {
  if (!Array.isArray(line)) return undefined;
  const options = line.find(isJsonObject);
  const label = typeof options?.['label'] === 'string' ? options['label'] : undefined;
  if (typeof options?.['expression'] === 'string') return `= ${label ?? options['expression']}`;
  const name = line[1];
  if (typeof name !== 'string') return undefined;
  return label === undefined ? name : `${name} (${label})`;
}

/** An alarm ARN as its AlarmName: `${Id.Arn}` resolved through the template, else the ARN's last part. */
function alarmItem(arn: Json, model: TemplateModel): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const id = /^\$\{([^.}]+)\.Arn\}$/.exec(arn)?.[1];
  const resource = id === undefined ? undefined : model.section('Resources')[id];
  const name = isJsonObject(resource) ? nameText(propertiesOf(resource)['AlarmName']) : undefined;
  return withSuffix(name ?? id ?? (arn.split(':').pop() as string));
}

function widgetOf(node: Json, index: number, model: TemplateModel, source: string): DashboardWidget {
  const where = `${source}: widget ${index + 1}`;
  if (!isJsonObject(node)) throw new InputError(`${where} is not an object`);
  const place = ['x', 'y', 'width', 'height'].map((key) => node[key]);
  const [x, y, width, height] = place as [number, number, number, number];
  if (!place.every((n) => Number.isInteger(n)) || x < 0 || y < 0 || width < 1 || height < 1) {
    throw new InputError(`${where} needs whole x, y, width and height (x, y >= 0; width, height >= 1)`);
  }
  if (x + width > GRID.columns) throw new InputError(`${where} ends at column ${x + width}, past ${GRID.columns}`);
  const properties: JsonObject = isJsonObject(node['properties']) ? node['properties'] : {};
  const type = String(node['type']);
  const view = typeof properties['view'] === 'string' ? properties['view'] : 'timeSeries';
  const kind = type === 'alarm' ? 'alarm status' : type === 'metric' ? (KINDS[view] ?? view) : type;
  const listed = (key: string): Json[] => (Array.isArray(properties[key]) ? (properties[key] as Json[]) : []);
  const items = (
    type === 'alarm' ? listed('alarms').map((a) => alarmItem(a, model)) : listed('metrics').map(metricItem)
  ).filter((item): item is string => item !== undefined);
  const title = typeof properties['title'] === 'string' ? properties['title'] : '(untitled)';
  return { x, y, width, height, title, kind, items };
}

/** The template's one dashboard as a layout; refuses (InputError, one line) what it cannot draw. */
export function dashboardLayout(model: TemplateModel, source: string): DashboardLayout {
  const dashboards = model.ofType('AWS::CloudWatch::Dashboard');
  if (dashboards.length !== 1) {
    throw new InputError(`${source}: has ${dashboards.length} AWS::CloudWatch::Dashboard resources, expected one`);
  }
  const [id, resource] = dashboards[0] as [string, JsonObject];
  const properties = propertiesOf(resource);
  const text = bodyText(properties['DashboardBody']);
  let body: Json;
  try {
    body = JSON.parse(text ?? '') as Json;
  } catch {
    throw new InputError(`${source}: ${id}'s DashboardBody is not JSON text`);
  }
  const widgets = isJsonObject(body) ? body['widgets'] : undefined;
  if (!Array.isArray(widgets)) throw new InputError(`${source}: ${id}'s DashboardBody has no widgets list`);
  return {
    name: withSuffix(nameText(properties['DashboardName']) ?? id),
    widgets: widgets.map((w, i) => widgetOf(w, i, model, `${source}: ${id}`)),
  };
}

export const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `text` cut to what fits `pixels` at `size`, an ellipsis marking the cut. */
function fit(text: string, pixels: number, size: number, glyph: number): string {
  const chars = [...text];
  const room = Math.max(1, Math.floor(pixels / (size * glyph)));
  return chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`;
}

/** The pixel box of a widget: its grid place scaled, below the header. */
export function widgetBox(w: Pick<DashboardWidget, 'x' | 'y' | 'width' | 'height'>) {
  return {
    x: GRID.margin + w.x * GRID.column,
    y: GRID.margin + GRID.header + w.y * GRID.row,
    width: w.width * GRID.column,
    height: w.height * GRID.row,
  };
}

const FILLS: Readonly<Record<string, string>> = { 'alarm status': '#fdf0f3', number: '#eefaf2' };

function widgetSvg(w: DashboardWidget): string[] {
  const box = widgetBox(w);
  const room = box.width - 2 * PAD;
  const left = box.x + PAD;
  const lines = Math.max(1, Math.floor((box.height - 2 * PAD - 34) / LINE_STEP));
  // When the items overflow, the last line that fits says how many more there are.
  const shown =
    w.items.length <= lines ? w.items : [...w.items.slice(0, lines - 1), `+${w.items.length - lines + 1} more`];
  const text = (y: number, size: number, body: string, glyph: number, extra = '') =>
    `    <text x="${left}" y="${y}" font-size="${size}"${extra}>${xmlEscape(fit(body, room, size, glyph))}</text>`;
  return [
    '  <g>',
    // The full title as the box's tooltip, since the drawn one may be cut.
    `    <title>${xmlEscape(w.title)}</title>`,
    `    <rect class="widget" x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="${FILLS[w.kind] ?? '#eef4ff'}" stroke="#8fa3c4"/>`,
    text(box.y + PAD + TITLE_SIZE, TITLE_SIZE, w.title, GLYPH.bold, ' font-weight="bold"'),
    text(box.y + PAD + TITLE_SIZE + 16, SMALL_SIZE, w.kind, GLYPH.plain, ' fill="#6b778c" font-style="italic"'),
    ...shown.map((item, i) => text(box.y + PAD + 34 + (i + 1) * LINE_STEP, SMALL_SIZE, item, GLYPH.plain)),
    '  </g>',
  ];
}

/** The layout as SVG. Deterministic: widgets in body order, whole-pixel coordinates. */
export function dashboardSvg(layout: DashboardLayout, title: string): string {
  const bottom = Math.max(0, ...layout.widgets.map((w) => w.y + w.height));
  const width = 2 * GRID.margin + GRID.columns * GRID.column;
  const height = 2 * GRID.margin + GRID.header + bottom * GRID.row;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica,Arial,sans-serif">`,
    `  <title>${xmlEscape(title)}</title>`,
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `  <text x="${GRID.margin}" y="${GRID.margin + 18}" font-size="16" font-weight="bold">${xmlEscape(layout.name)}</text>`,
    ...layout.widgets.flatMap(widgetSvg),
    '</svg>',
    '',
  ].join('\n');
}
