import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { failureTypes } from '../platform/failures';

/**
 * The state a continued run picks up (`resume` in its input). Only a run that continued as new from this campaign
 * may carry one: from any other start, `resume` would skip validation and let the caller poll, stop or collect
 * any batch of the account.
 */
export function resumedState<State>(input: { resume?: State } | undefined): State | undefined {
  // `temporal workflow start` without `--input` passes nothing: the first step refuses that with a clear error.
  if (input?.resume === undefined) return undefined;
  if (workflowInfo().continuedFromExecutionRunId === undefined) {
    throw ApplicationFailure.create({
      type: failureTypes.InvalidCampaignInput,
      message:
        'resume: is set by the campaign itself when it continues as new; a new campaign must not set it',
      nonRetryable: true,
    });
  }
  return input.resume;
}
