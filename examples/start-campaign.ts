// npx tsx start-campaign.ts <agent-uuid> <contacts.csv>   (Temporal from TEMPORAL_ADDRESS etc.)
import { connectClient, defaultTaskQueue, getCampaign, startCampaign } from 'bolna-batch-campaigns';

async function main(): Promise<void> {
  const [agentId, csv] = process.argv.slice(2);
  if (!agentId || !csv) throw new Error('usage: start-campaign.ts <agent-uuid> <contacts.csv>');
  const client = await connectClient(); // TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY / TLS
  try {
    // The CSV is checked here first: a bad row throws, naming it, before anything starts.
    const name = `reminders-${Date.now()}`; // the workflow ID is campaign-<name>; a second start of it is refused
    const started = await startCampaign({
      client,
      name,
      input: { agentId, csv },
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? defaultTaskQueue, // the queue the workers poll
    });
    console.log(`started ${started.workflowId} with ${started.csv?.rows} contacts`);

    // Any process can get a campaign back by its name (or workflow ID) and work with it.
    const campaign = await getCampaign(client, name);
    let { phase } = await campaign.progress();
    console.log(`phase ${phase}`);
    await campaign.follow({
      onProgress: (progress) => {
        if (progress.phase !== phase) console.log(`phase ${progress.phase}`);
        phase = progress.phase;
      },
    });

    const ending = await campaign.result(); // how it ended; a failed or cancelled campaign resolves too
    if (ending.how === 'returned') {
      const { outcome, totalCalls = 0, answered = 0, files } = ending.result;
      console.log(`${outcome}: ${totalCalls} calls, ${answered} answered; results in ${files?.csv ?? '-'}`);
    } else {
      console.log(`${ending.outcome} (${ending.how})`);
    }
    const report = await campaign.report();
    console.log(report ? `report in ${report.html}` : 'no report');
  } finally {
    await client.connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
