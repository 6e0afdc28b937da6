// `cfn-cicd publish`: upload the pipeline template under its content address, then deploy the
// Service Catalog product stack pointing at it. Unchanged input changes nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { InputError } from '../errors.js';
import { readInput, readInputIfExists } from '../files.js';
import { parseTemplate, TEMPLATE_LIMIT } from '../model/template.js';
import { Params, PIPELINE_TEMPLATE_FILE, SERVICE_CATALOG_TEMPLATE_FILE, ServiceCatalogParams } from '../naming.js';
import { renderYaml } from '../render/yaml.js';
import type { PipelineFacts } from '../resources/service-catalog.js';
import { pipelineFacts } from '../resources/service-catalog.js';
import { pipelineTemplate, serviceCatalogTemplate } from '../template.js';
import type { TemplateArtifact } from './artifact.js';
import { objectUrl, templateArtifact } from './artifact.js';
import type { PublishOptions } from './options.js';
import { bucketRegion, objectExists, putTemplate } from './s3.js';
import type { StackOutcome } from './stack.js';
import { deployProductStack } from './stack.js';

/** Where `build` writes the templates, relative to the working directory. */
export const TEMPLATES_DIR = 'templates';

export interface PublishResult {
  readonly artifact: TemplateArtifact;
  readonly url: string;
  readonly uploaded: boolean;
  readonly version: string;
  readonly stack: StackOutcome;
}

/** What a pipeline template declares; throws InputError when it is not a template. */
function factsOf(body: Buffer, source: string): PipelineFacts {
  const model = parseTemplate(body.toString('utf8'), source);
  if (model.resources().length === 0) {
    throw new InputError(`${source}: has no resources; name a CloudFormation template`);
  }
  return pipelineFacts(model);
}

/** The pipeline template's bytes and the product template's text that goes with it. */
async function templates(templateFile: string | undefined): Promise<{ pipeline: Buffer; product: string }> {
  if (templateFile !== undefined) {
    const pipeline = await readInput(templateFile, `--template-file ${templateFile}`, TEMPLATE_LIMIT);
    // The launch role must be able to create exactly what this file declares.
    const facts = factsOf(pipeline, `--template-file ${templateFile}`);
    return { pipeline, product: renderYaml(serviceCatalogTemplate(DEFAULT_CONFIG, facts)) };
  }
  const builtPath = join(TEMPLATES_DIR, PIPELINE_TEMPLATE_FILE);
  const built = await readInputIfExists(builtPath, builtPath, TEMPLATE_LIMIT);
  if (built !== undefined) {
    const productPath = join(TEMPLATES_DIR, SERVICE_CATALOG_TEMPLATE_FILE);
    const product = await readInputIfExists(productPath, productPath, TEMPLATE_LIMIT);
    return {
      pipeline: built,
      product:
        product?.toString('utf8') ?? renderYaml(serviceCatalogTemplate(DEFAULT_CONFIG, factsOf(built, builtPath))),
    };
  }
  return {
    pipeline: Buffer.from(renderYaml(pipelineTemplate(DEFAULT_CONFIG))),
    product: renderYaml(serviceCatalogTemplate(DEFAULT_CONFIG)),
  };
}

/** Uploads the template if its key is new, then creates or updates the product stack; `signal` stops it, cleaned up. */
export async function publish(options: PublishOptions, signal: AbortSignal): Promise<PublishResult> {
  const { pipeline, product } = await templates(options.templateFile);
  const artifact = templateArtifact(pipeline);
  const version = options.version ?? artifact.defaultVersion;
  const { bucket, connection } = options;
  const region = await bucketRegion(bucket, connection, signal);
  const work = await mkdtemp(join(tmpdir(), 'cfn-cicd-publish-'));
  try {
    const uploaded = !(await objectExists(bucket, artifact.key, connection, signal));
    if (uploaded) {
      const body = join(work, PIPELINE_TEMPLATE_FILE);
      await writeFile(body, artifact.body);
      await putTemplate(bucket, artifact.key, body, artifact.sha256, connection, signal);
    }
    const url = objectUrl(bucket, region, artifact.key);
    const productFile = join(work, SERVICE_CATALOG_TEMPLATE_FILE);
    await writeFile(productFile, product);
    const stack = await deployProductStack({
      stackName: options.stackName,
      templateFile: productFile,
      templateBody: product,
      parameters: {
        [Params.EnvironmentSuffix]: options.envSuffix,
        [ServiceCatalogParams.PipelineTemplateUrl]: url,
        [ServiceCatalogParams.ProvisioningArtifactName]: version,
        ...(options.principalArn !== undefined && { [ServiceCatalogParams.PrincipalArn]: options.principalArn }),
      },
      connection,
      signal,
    });
    return { artifact, url, uploaded, version, stack };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
