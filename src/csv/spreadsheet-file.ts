import { open } from 'node:fs/promises';

/**
 * People often hand over the workbook instead of exporting it. Its first bytes give it away: .xlsx/.ods are zip
 * archives (`PK\x03\x04`), old .xls files are OLE compound documents. Parsing one as CSV would only produce
 * baffling complaints about the binary header.
 */
const signatures: { kind: string; bytes: number[] }[] = [
  { kind: 'a spreadsheet workbook (.xlsx or .ods)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'an old Excel workbook (.xls)', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
];

/** What kind of workbook the file is, or undefined when it does not look like one. */
export async function workbookKind(path: string): Promise<string | undefined> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return signatures.find(
      ({ bytes }) => bytesRead >= bytes.length && bytes.every((byte, i) => head[i] === byte),
    )?.kind;
  } finally {
    await file.close();
  }
}
