import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { executionSchema } from '../bolna/schemas';

/** The fields of an execution the report reads; the rest (transcripts, numbers, names) is never kept. */
const reportedExecutionSchema = executionSchema
  .pick({
    id: true,
    status: true,
    answered_by_voice_mail: true,
    conversation_duration: true,
    conversation_time: true,
    total_cost: true,
    extracted_data: true,
    created_at: true,
    updated_at: true,
    telephony_data: true,
  })
  .strip();

export type ReportedExecution = z.infer<typeof reportedExecutionSchema>;

/** A line of an executions file: an execution, or a line that is none (a file cut short, a stray line). */
export type ExecutionLine = { execution: ReportedExecution } | { unreadable: true };

/**
 * The executions of JSON Lines files (as the results writer writes them), one line at a time: a file of hundreds
 * of MB is never held in memory, only the line being read.
 */
export async function* readExecutionLines(files: readonly string[]): AsyncGenerator<ExecutionLine> {
  for (const file of files) {
    const lines = createInterface({
      input: createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      yield parseLine(line);
    }
  }
}

function parseLine(line: string): ExecutionLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { unreadable: true };
  }
  const parsed = reportedExecutionSchema.safeParse(value);
  return parsed.success ? { execution: parsed.data } : { unreadable: true };
}
