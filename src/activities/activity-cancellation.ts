import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { failureTypes } from '../platform/failures';

/**
 * An activity's cancellation, reaching the requests it waits on. Temporal cancels a running activity when its
 * workflow no longer needs it, and when its worker shuts down (SIGTERM, a deploy) and the shutdown grace has run
 * out. Requests that went on regardless would keep a stopping worker alive until its container is killed, and the
 * step would wait out its heartbeat timeout before another worker took it over.
 */

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity: a CLI command, a test
  }
}

/** The running activity's cancellation as an AbortSignal; undefined outside an activity. */
export function runningActivitySignal(): AbortSignal | undefined {
  return currentContext()?.cancellationSignal;
}

/**
 * What a cancelled activity reports, whatever error its aborted requests threw: given up by a shutting-down worker,
 * a retryable failure, so that another worker takes the step over at once; cancelled by its workflow (or paused,
 * reset), Temporal's own CancelledFailure. Undefined while the activity is not cancelled.
 */
export function cancellationFailure(): Error | undefined {
  const context = currentContext();
  if (!context?.cancellationSignal.aborted) return undefined;
  const reason: unknown = context.cancellationSignal.reason;
  if (
    context.cancellationDetails?.workerShutdown ||
    (reason instanceof Error && reason.message === 'WORKER_SHUTDOWN')
  ) {
    return ApplicationFailure.create({
      type: failureTypes.WorkerShutdown,
      message: 'the worker shut down during this step; another worker takes it over',
    });
  }
  return reason instanceof CancelledFailure ? reason : new CancelledFailure(String(reason));
}
