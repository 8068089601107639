import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { badRequest } from './http-reply';

export interface FilePart {
  name: string;
  /** Undefined when the part was a file only by its content type (no `filename` in its disposition). */
  filename: string | undefined;
  /** The part's bytes as they arrive; the consumer reads it as a stream, so nothing is buffered whole. */
  stream: Readable;
}

export interface MultipartForm {
  fields: Record<string, string[]>;
  files: { name: string; filename: string | undefined; bytes: number }[];
}

/** Bolna's form fields are short; a larger value is a client bug, not something to buffer. */
const maxFieldBytes = 1024 * 1024;

/**
 * Reads a multipart/form-data body as it streams in, handing each file part to `onFile` while it arrives.
 * Bolna's endpoints are documented as multipart, so any other body is a 400. A file part `onFile` stops reading
 * (on a CSV error, say) is drained, never destroyed, so the rest of the form is still read and the client gets its
 * 400 instead of a reset connection; its error is thrown once the whole body has been read.
 */
export async function readMultipart(
  req: IncomingMessage,
  onFile: (part: FilePart) => Promise<void>,
): Promise<MultipartForm> {
  if (!/^multipart\/form-data\s*;/i.test(req.headers['content-type'] ?? '')) {
    req.resume();
    throw badRequest('The request body must be multipart/form-data');
  }
  let parser: busboy.Busboy;
  try {
    // Filenames arrive as raw UTF-8 from browsers, undici and curl alike.
    parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fieldSize: maxFieldBytes } });
  } catch {
    req.resume();
    throw badRequest('The multipart/form-data Content-Type has no boundary');
  }

  const form: MultipartForm = { fields: {}, files: [] };
  const consumers: Promise<void>[] = [];
  let firstError: Error | undefined;

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated)
      firstError ??= badRequest(`The field ${name} is longer than ${maxFieldBytes} bytes`);
    (form.fields[name] ??= []).push(value);
  });
  parser.on('file', (name, source, info) => {
    const file = { name, filename: info.filename, bytes: 0 };
    form.files.push(file);
    const counted = source.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          file.bytes += chunk.length;
          done(null, chunk);
        },
      }),
    );
    source.on('error', (error) => counted.destroy(error));
    consumers.push(
      onFile({ name, filename: info.filename, stream: counted })
        .catch((error: unknown) => {
          firstError ??= error instanceof Error ? error : new Error(String(error));
        })
        .finally(() => {
          counted.unpipe();
          counted.resume();
        }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', (error: Error) => {
      req.unpipe(parser);
      req.resume();
      reject(badRequest(`Malformed multipart/form-data body: ${error.message}`));
    });
    req.on('error', (error) => reject(badRequest(`The upload was interrupted: ${error.message}`)));
    req.pipe(parser);
  });
  await Promise.all(consumers);
  if (firstError !== undefined) throw firstError;
  return form;
}
