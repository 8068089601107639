import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { parse } from 'csv-parse';
import type { Recipient } from './batch-store';

export interface UploadedForm {
  fields: Record<string, string[]>;
  file?: { filename: string; bytes: number; rows: Recipient[]; columns: string[]; error?: string };
}

/**
 * Reads a multipart/form-data body as it streams in. The CSV part goes straight through csv-parse, so a large
 * upload is never buffered whole.
 */
export async function readMultipart(req: IncomingMessage): Promise<UploadedForm> {
  const form: UploadedForm = { fields: {} };
  const parser = busboy({ headers: req.headers, limits: { fieldSize: 1024 * 1024 } });
  const done = new Promise<void>((resolve, reject) => {
    const fileDone: Promise<void>[] = [];
    parser.on('field', (name, value) => (form.fields[name] ??= []).push(value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || form.file) {
        stream.resume();
        return;
      }
      const file: NonNullable<UploadedForm['file']> = {
        filename: info.filename ?? '',
        bytes: 0,
        rows: [],
        columns: [],
      };
      form.file = file;
      stream.on('data', (chunk: Buffer) => (file.bytes += chunk.length));
      const csv = stream.pipe(
        parse({
          bom: true,
          columns: (header: string[]) => (file.columns = header.map((h) => h.trim())),
          skip_empty_lines: true,
          relax_column_count: true,
        }),
      );
      fileDone.push(
        (async () => {
          try {
            for await (const row of csv) file.rows.push(row as Recipient);
          } catch (error) {
            file.error = error instanceof Error ? error.message : String(error);
            stream.resume();
          }
        })(),
      );
    });
    parser.on('close', () => void Promise.all(fileDone).then(() => resolve(), reject));
    parser.on('error', reject);
  });
  req.pipe(parser);
  await done;
  return form;
}
