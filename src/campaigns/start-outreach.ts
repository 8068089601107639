import type { ScheduleRules } from '../bolna/schedule-time';
import { bolnaScheduleRules } from '../bolna/schedule-time';
import type { CsvSummary } from '../csv';
import { checkOutreachInput } from '../inputs/outreach-input';
import { displayUrl } from '../platform/display-url';
import { defaultTaskQueue } from '../workflows/definitions';
import { outreachWorkflowId, outreachWorkflowType } from '../workflows/outreach-definitions';
import type { OutreachInput } from '../workflows/outreach-definitions';
import { checkInputLocally, defaultCampaignName } from './checked-input';
import type { OutreachHandle } from './handle';
import type { StartCampaignOptions } from './start';

export interface StartOutreachOptions extends Omit<StartCampaignOptions, 'input'> {
  input: OutreachInput;
  /**
   * Bolna's scheduling rules the workers run with (BOLNA_SCHEDULE_LEAD_SECONDS, BOLNA_SCHEDULE_ROUNDING_SECONDS):
   * the limits that come from them (a retry delay or window no shorter than the rounding, a deadline after the first
   * possible start) follow them. Default Bolna's own (2 minutes, 10 minutes).
   */
  rules?: ScheduleRules;
}

/** The outreach campaign just started, and what the local check found in its CSV. */
export interface StartedOutreach {
  /** `outreach-<name>`. */
  workflowId: string;
  handle: OutreachHandle;
  /** Present when the CSV was checked locally. */
  csv?: CsvSummary;
}

/**
 * Starts `outreachCampaign`: a campaign of waves (retries, calling windows, deadline, budget, goal, do-not-call).
 * Checked as `startCampaign` checks a batch campaign (input, local CSV pinned by its SHA-256), plus the outreach
 * settings (checkOutreachInput) and that local do-not-call lists are readable. The workflow ID is
 * `outreach-<name>`, so it never collides with a batch campaign of the same name; a second start of one name is
 * refused (WorkflowExecutionAlreadyStartedError) unless the first failed.
 */
export async function startOutreach(options: StartOutreachOptions): Promise<StartedOutreach> {
  const { input } = options;
  const rules = options.rules ?? bolnaScheduleRules;
  const { sent, csv } = await checkInputLocally(input, {
    checkInput: (each, nowMs) => checkOutreachInput(each, nowMs, rules),
    validateLocally: options.validateLocally !== false,
    pinDigest: true,
  });
  const name = options.name ?? defaultCampaignName(input.csv);
  const workflowId = outreachWorkflowId(name);
  const contacts = csv ? `${csv.rows} contacts` : displayUrl(input.csv);
  const handle = await options.client.workflow.start(outreachWorkflowType, {
    workflowId,
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    args: [{ campaignName: name, ...sent }],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    staticSummary: `Bolna outreach ${name}: ${contacts} · agent ${input.agentId}`,
    staticDetails: outreachDetails(name, contacts, sent),
  });
  return { workflowId, handle, ...(csv ? { csv } : {}) };
}

/** What the Web UI shows about an outreach campaign from its start: whom it calls, when, and until what. */
function outreachDetails(name: string, contacts: string, input: OutreachInput): string {
  const { retry, window, budget, goal } = input;
  const rows: [string, string | undefined][] = [
    ['name', name],
    ['agent', input.agentId],
    ['contacts', contacts],
    ['requested start', input.startAt ?? 'as soon as Bolna allows'],
    ['retry', retry && `${retry.on.join(', ')}: up to ${retry.maxAttempts} calls, ${retry.after} apart`],
    [
      'window',
      window &&
        `${window.start}-${window.end} ${window.days?.join(',') ?? 'every day'} (${window.timeZone ?? 'recipient'})`,
    ],
    ['deadline', input.deadline],
    ['budget', budget && `${budget.maxCost} cents`],
    ['goal', goal && `${goal.count} × ${goal.field} = ${String(goal.equals)}`],
    ['do-not-call lists', input.suppress && `${input.suppress.length}`],
    ['calls per number per day', input.maxCallsPerNumberPerDay?.toString()],
  ];
  return [
    '| outreach campaign | |',
    '| --- | --- |',
    ...rows.filter(([, value]) => value !== undefined).map(([field, value]) => `| ${field} | ${value} |`),
  ].join('\n');
}
