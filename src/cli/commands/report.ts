import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { describeCampaign, getCampaign } from '../../campaigns';
import type { CampaignReport } from '../../campaigns';
import type { CampaignReport as ReportFigures } from '../../report/report-data';
import { checkCampaignArgument } from '../checks';
import type { CliContext } from '../context';
import { CliExit, exitCodes } from '../exit-codes';
import { print, reportHeadline } from '../output';
import { readStoredFile } from '../stored-file';

export function addReportCommand(program: Command, { action }: CliContext): void {
  program
    .command('report <campaign>')
    .description(
      "where a campaign's report is (report.html to open, report.json for scripts), with its headline",
    )
    .option('--wait', 'wait for a running campaign to end and its report to be written')
    .option('--json', 'machine-readable output')
    .action(
      action(
        (campaign: string, options: { wait?: boolean; json?: boolean }) => {
          checkCampaignArgument(campaign);
          return { campaign, options };
        },
        async ({ campaign, options }, client) => {
          const found = await getCampaign(client, campaign);
          const { handle } = found;
          if (!options.wait) {
            const { status, phase } = await describeCampaign(handle);
            if (status === 'RUNNING') {
              throw new CliExit(
                exitCodes.notFound,
                `Campaign ${handle.workflowId} is still ${phase ?? 'running'}: its report is written when its ` +
                  'results are collected (add --wait to wait for it)',
              );
            }
          }
          const report = await found.report();
          if (!report) {
            throw new CliExit(
              exitCodes.notFound,
              `Campaign ${handle.workflowId} ended without a report: no call results were collected`,
            );
          }
          const figures = await readFigures(report);
          print(
            Boolean(options.json),
            { ...report, ...(figures ? { figures } : {}) },
            reportHeadline(report, figures),
          );
          return exitCodes.ok;
        },
      ),
    );
}

/**
 * The report's figures, when this host can read them: from the workers' results volume, or from object storage
 * with this host's BOLNA_S3_* settings and AWS credentials.
 */
async function readFigures(report: CampaignReport): Promise<ReportFigures | undefined> {
  try {
    return JSON.parse(await text(await readStoredFile(report.json))) as ReportFigures;
  } catch {
    return undefined;
  }
}
