import { ServiceError } from '@temporalio/client';
import { followCampaign, maxMissedLooks } from '../../src/campaigns/follow';
import type { CampaignHandle } from '../../src/campaigns/handle';
import type { CampaignProgress } from '../../src/workflows/definitions';

/**
 * Following a campaign outlasts a server too busy to answer for a while (as a loaded dev server was, in CI), and
 * still stops at once on an error no retry can fix. The handle is scripted: the faults are gRPC errors as the SDK
 * wraps them, which a real server gives only under load no test should have to produce.
 */

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}
const deadlineExceeded = () =>
  new ServiceError('Failed to describe workflow', { cause: grpcError(4, 'Deadline exceeded') });
const notFound = () => new ServiceError('Failed to describe workflow', { cause: grpcError(5, 'not found') });

const progress = { phase: 'completed' } as CampaignProgress;

/** A handle whose describe answers with `script` in turn (an error is thrown), then with a closed workflow. */
function scriptedHandle(script: Error[]): { handle: CampaignHandle; looks: () => number } {
  let looks = 0;
  const handle = {
    describe: () => {
      const fault = script[looks];
      looks += 1;
      return fault ? Promise.reject(fault) : Promise.resolve({ status: { name: 'COMPLETED' } });
    },
    query: () => Promise.resolve(progress),
  } as unknown as CampaignHandle;
  return { handle, looks: () => looks };
}

test('looks the server could not answer in time are skipped, and following ends with the campaign', async () => {
  const { handle, looks } = scriptedHandle([deadlineExceeded(), deadlineExceeded()]);
  const seen: CampaignProgress[] = [];
  await expect(followCampaign(handle, { intervalMs: 1, onProgress: (p) => seen.push(p) })).resolves.toBe(
    progress,
  );
  expect(looks()).toBe(3);
  expect(seen).toEqual([progress]);
});

test(`${maxMissedLooks} missed looks in a row end the following with the last error`, async () => {
  const faults = Array.from({ length: maxMissedLooks }, deadlineExceeded);
  const { handle, looks } = scriptedHandle(faults);
  await expect(followCampaign(handle, { intervalMs: 1, onProgress: () => undefined })).rejects.toBe(
    faults.at(-1),
  );
  expect(looks()).toBe(maxMissedLooks);
});

test('an error a retry cannot fix ends the following at once', async () => {
  const fault = notFound();
  const { handle, looks } = scriptedHandle([fault]);
  await expect(followCampaign(handle, { intervalMs: 1, onProgress: () => undefined })).rejects.toBe(fault);
  expect(looks()).toBe(1);
});
