// The delivery-metrics function: a Lambda handler in Python, run by EventBridge when the production
// stage or a whole pipeline execution ends, that prints one JSON line per figure into its own log
// group, where the template's metric filters turn each line into a CloudWatch metric. It computes
// only what CloudWatch cannot: differences of times that live in different events and API answers.
//
// - The production stage ended: a ProductionDeployment line with its result, and on success the lead
//   time, from the commit (the source action's CommitterDate, else AuthorDate, as ListActionExecutions
//   returns its output variables; CodePipeline User Guide, "Variables reference") to the event's time.
// - An execution succeeded or failed: how long each of its stages took (first action start to last
//   action update, retries included), and, when its outcome ends a streak of the other outcome, the
//   time to recover (start of the first failed execution to the start of the next successful
//   one) or time between failures (start of the first successful execution to the start of the next
//   failed one), from ListPipelineExecutions. Superseded and stopped executions are no outcome.
//
// Inline (CloudFormation's ZipFile, at most 4096 characters) so reviewers read it in the template;
// tests run it against a local CodePipeline endpoint fed from recorded pipeline events.

/** The `metric` field of each line the handler prints; the template's metric filters match on it. */
export const METRIC_LINES = {
  deployment: 'ProductionDeployment',
  leadTime: 'LeadTime',
  stageDuration: 'StageDuration',
  timeToRecover: 'TimeToRecover',
  timeBetweenFailures: 'TimeBetweenFailures',
} as const;

/** The environment variable naming the stage whose success is a production deployment. */
export const PRODUCTION_STAGE_VARIABLE = 'PRODUCTION_STAGE';

export const DELIVERY_METRICS_HANDLER = `import json
import os
from datetime import datetime

import boto3

PIPELINES = boto3.client('codepipeline')
ENDED = ('Succeeded', 'Failed')


def at(text):
    return datetime.fromisoformat(text)


def emit(metric, detail, spent=None, **fields):
    line = {'metric': metric, 'pipeline': detail['pipeline'], 'execution': detail['execution-id'], **fields}
    if spent is not None:
        line['seconds'] = round(spent.total_seconds(), 3)
    print(json.dumps(line))


def action_runs(detail):
    pages = PIPELINES.get_paginator('list_action_executions').paginate(
        pipelineName=detail['pipeline'], filter={'pipelineExecutionId': detail['execution-id']})
    return [run for page in pages for run in page['actionExecutionDetails']]


def commit_time(runs):
    """When the released commit was made: the source action's CommitterDate, else its AuthorDate."""
    for run in runs:
        if run['input']['actionTypeId']['category'] == 'Source':
            found = run.get('output', {}).get('outputVariables', {})
            stamp = found.get('CommitterDate') or found.get('AuthorDate')
            if stamp:
                return at(stamp)
    return None


def ended_from(detail):
    """This execution and those before it that succeeded or failed, newest first."""
    seen = False
    for page in PIPELINES.get_paginator('list_pipeline_executions').paginate(pipelineName=detail['pipeline']):
        for run in page['pipelineExecutionSummaries']:
            seen = seen or run['pipelineExecutionId'] == detail['execution-id']
            if seen and run['status'] in ENDED:
                yield run


def streak_ended(detail):
    """Time to recover when a success ends failures; time between failures when a failure ends successes."""
    runs = ended_from(detail)
    current = next(runs, None)
    if current is None or current['pipelineExecutionId'] != detail['execution-id']:
        return
    start = None
    for run in runs:
        if run['status'] == current['status']:
            break
        start = run
    if start is not None:
        metric = '${METRIC_LINES.timeToRecover}' if current['status'] == 'Succeeded' else '${METRIC_LINES.timeBetweenFailures}'
        emit(metric, detail, current['startTime'] - start['startTime'])


def handler(event, context):
    detail = event['detail']
    if 'stage' not in detail:
        stages = {}
        for run in action_runs(detail):
            stages.setdefault(run['stageName'], []).append(run)
        for stage, runs in stages.items():
            spent = max(r['lastUpdateTime'] for r in runs) - min(r['startTime'] for r in runs)
            emit('${METRIC_LINES.stageDuration}', detail, spent, stage=stage)
        streak_ended(detail)
    elif detail['stage'] == os.environ['${PRODUCTION_STAGE_VARIABLE}']:
        emit('${METRIC_LINES.deployment}', detail, result=detail['state'])
        commit = commit_time(action_runs(detail)) if detail['state'] == 'SUCCEEDED' else None
        if commit is not None:
            emit('${METRIC_LINES.leadTime}', detail, at(event['time']) - commit)
`;
