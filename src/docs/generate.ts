// Everything `cfn-cicd docs` writes, generated from the emitted templates (no I/O here).
import type { BuildConfig } from '../config.js';
import { DEFAULT_CONFIG } from '../config.js';
import { PIPELINE_TEMPLATE_FILE } from '../naming.js';
import { accountsDot } from './accounts-dot.js';
import { dashboardLayout, dashboardSvg } from './dashboard-svg.js';
import { toDot } from './dot.js';
import { architectureGraph } from './graph.js';
import type { ArchitectureGraph } from './graph.js';
import { toMermaid } from './mermaid.js';
import { permissionsMarkdown } from './permissions.js';
import { parameterSummary, referenceMarkdown } from './reference.js';
import type { DocTemplate } from './source.js';
import { emittedTemplates } from './source.js';

export interface GeneratedDocs {
  readonly templates: readonly DocTemplate[];
  readonly reference: string;
  readonly permissions: string;
  /** The template the diagram draws: the pipeline (the Service Catalog template only wraps it). */
  readonly diagramTemplate: string;
  readonly graph: ArchitectureGraph;
  readonly dot: string;
  readonly mermaid: string;
  /** The pipeline template's CloudWatch dashboard, drawn as SVG. */
  readonly dashboard: string;
  /** The pipeline template's parameters in one table, for the README. */
  readonly parameterSummary: string;
  /** The promoting pipeline (build once, then each environment's stage) as a Graphviz graph. */
  readonly promotionDot: string;
  /** The accounts and Regions of the promoting pipeline across accounts, as a Graphviz graph. */
  readonly accountsDot: string;
}

/** Where the promoting pipeline's templates are written, under templates/. */
export const ENVIRONMENTS_DIR = 'environments';
/** Where the promoting pipeline across accounts and Regions is written, under templates/. */
export const ACCOUNTS_DIR = 'accounts';

/**
 * The docs of the single-stack templates of `config` and, when `environments` is given, of the
 * promoting pipeline's templates too (under environments/), and of `accounts`' (under accounts/).
 */
export function generateDocs(
  config: BuildConfig = DEFAULT_CONFIG,
  environments?: BuildConfig,
  accounts?: BuildConfig,
): GeneratedDocs {
  const under = (dir: string, variant: BuildConfig | undefined) =>
    variant === undefined ? [] : emittedTemplates(variant).map((t) => ({ ...t, file: `${dir}/${t.file}` }));
  const promoting = under(ENVIRONMENTS_DIR, environments);
  const templates = [...emittedTemplates(config), ...promoting, ...under(ACCOUNTS_DIR, accounts)];
  const drawn = templates.find((t) => t.file === PIPELINE_TEMPLATE_FILE) as DocTemplate;
  const graph = architectureGraph(drawn.model);
  const promotion = promoting.find((t) => t.file === `${ENVIRONMENTS_DIR}/${PIPELINE_TEMPLATE_FILE}`);
  return {
    promotionDot:
      promotion === undefined ? '' : toDot(architectureGraph(promotion.model), `cfn-cicd: templates/${promotion.file}`),
    accountsDot:
      accounts === undefined
        ? ''
        : accountsDot(accounts, `cfn-cicd: templates/${ACCOUNTS_DIR} (configs/accounts.json)`),
    templates,
    reference: referenceMarkdown(templates),
    permissions: permissionsMarkdown(templates),
    diagramTemplate: drawn.file,
    graph,
    dot: toDot(graph, `cfn-cicd: templates/${drawn.file}`),
    mermaid: toMermaid(graph),
    dashboard: dashboardSvg(dashboardLayout(drawn.model, drawn.file), `cfn-cicd: templates/${drawn.file} dashboard`),
    parameterSummary: parameterSummary(drawn.model),
  };
}
