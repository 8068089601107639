// npx tsx examples/start-campaign.ts <agent-uuid> <contacts.csv>   (Temporal from TEMPORAL_ADDRESS etc.)
import { connectClient, followCampaign, startCampaign, waitForEnd } from '../src/campaigns';
import { loadConfig } from '../src/config';

async function main(): Promise<void> {
  const [agentId, csv] = process.argv.slice(2);
  if (!agentId || !csv) throw new Error('usage: start-campaign.ts <agent-uuid> <contacts.csv>');
  const client = await connectClient(); // TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY / TLS
  try {
    // The CSV is checked here first: a bad row throws, naming it, before anything starts.
    const started = await startCampaign({
      client,
      name: `reminders-${Date.now()}`, // the workflow ID is campaign-<name>; a second start of it is refused
      input: { agentId, csv },
      taskQueue: loadConfig().taskQueue, // TEMPORAL_TASK_QUEUE, as the workers use
    });
    console.log(`started ${started.workflowId} with ${started.csv?.rows} contacts`);

    let phase = '';
    await followCampaign(started.handle, {
      onProgress: (progress) => {
        if (progress.phase !== phase) console.log(`phase ${progress.phase}`);
        phase = progress.phase;
      },
    });

    const ending = await waitForEnd(started.handle); // a cancelled campaign reads as stopped
    if (ending.how === 'returned') {
      const { outcome, totalCalls = 0, answered = 0, files } = ending.result;
      console.log(`${outcome}: ${totalCalls} calls, ${answered} answered; results in ${files?.csv ?? '-'}`);
    } else {
      console.log(`${ending.outcome} (${ending.how})`);
    }
  } finally {
    await client.connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
