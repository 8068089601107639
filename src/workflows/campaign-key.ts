/**
 * The name of what one campaign leaves behind: its results folder, and the file name its CSV is uploaded under
 * (which is how a retried create recognises the batch an earlier attempt made). Unique per run chain: the workflow
 * ID made safe as one path segment, plus the whole first run ID, which continue-as-new and reset keep and a new
 * start under the same workflow ID changes. So campaigns never share or overwrite each other's files or batches,
 * even when their IDs differ only in characters the file system cannot take.
 */
export function campaignKey(workflowId: string, firstExecutionRunId: string): string {
  return `${safeFileName(workflowId)}-${firstExecutionRunId}`;
}

/** `text` as a single path segment: no separators, no leading dot, nothing a file system or Bolna might mangle. */
export function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
}
