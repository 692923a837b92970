// JobAnswers in the shapes rudder-server decodes: routerTransform / batch items (DestinationJobT)
// and processor items (TransformerResponse).
import type { JobAnswer } from './job-answer.js';
import { echoMetadata, type JobMetadata, type RouterJob, type RouterOutput, type StatTags } from './protocol.js';
import { statTags } from './stat-tags.js';

export function routerOutputs(
  answers: readonly JobAnswer[],
  jobs: readonly RouterJob[],
  definition: string,
  feature: StatTags['feature'] = 'router',
): RouterOutput[] {
  return answers.map((a) => {
    const metadata = a.jobs.map((i) => jobs[i].metadata);
    const destination = jobs[a.jobs[0]].destination;
    if (a.kind === 'requests') {
      return {
        batchedRequest: a.requests.length === 1 ? a.requests[0] : a.requests,
        metadata,
        batched: a.jobs.length > 1,
        statusCode: 200,
        destination,
      };
    }
    const out: RouterOutput = { metadata, batched: false, statusCode: a.statusCode, destination, error: a.error };
    if (a.statusCode >= 400)
      out.statTags = statTags(a.statusCode, a.source, { definition, feature, metadata: metadata[0] });
    if (a.authErrorCategory !== undefined) out.authErrorCategory = a.authErrorCategory;
    return out;
  });
}

export interface ProcessorItem {
  output?: Record<string, unknown>;
  metadata: JobMetadata;
  statusCode: number;
  error?: string;
  statTags?: StatTags;
}

/**
 * Processor items are one per event (or several for one event). Jobs whose writes were merged into
 * one request are delivered by the first of them; the others are answered 298 naming it, since
 * their fields travel in its request. Each item echoes its job's metadata without `secret`:
 * rudder-server's processor reads the answer's metadata into its `Metadata` struct
 * (processor/types), which has no such field, and sends none itself; a secret only makes the
 * answer longer and puts credentials where nobody needs them.
 */
export function processorItems(
  answers: readonly JobAnswer[],
  jobs: readonly RouterJob[],
  definition: string,
): ProcessorItem[] {
  const items: ProcessorItem[] = [];
  for (const a of answers) {
    if (a.kind === 'requests') {
      const [carrier, ...carried] = a.jobs;
      const metadata = echoMetadata(jobs[carrier].metadata);
      for (const request of a.requests)
        items.push({ output: request as unknown as Record<string, unknown>, metadata, statusCode: 200 });
      for (const i of carried) {
        items.push({
          metadata: echoMetadata(jobs[i].metadata),
          statusCode: 298,
          error: `written by the request of the event with messageId ${String(jobs[carrier].metadata.messageId ?? '?')} (jobId ${jobs[carrier].metadata.jobId}): both write the same record`,
        });
      }
      continue;
    }
    for (const i of a.jobs) {
      const item: ProcessorItem = {
        metadata: echoMetadata(jobs[i].metadata),
        statusCode: a.statusCode,
        error: a.error,
      };
      if (a.statusCode >= 400)
        item.statTags = statTags(a.statusCode, a.source, {
          definition,
          feature: 'processor',
          metadata: jobs[i].metadata,
        });
      items.push(item);
    }
  }
  return items;
}
