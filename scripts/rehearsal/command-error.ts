/** An Error for a command that failed, carrying what it printed (execFile's error holds its stdout and stderr). */
export function commandFailed(what: string, error: unknown): Error {
  const { stdout, stderr } = error as { stdout?: unknown; stderr?: unknown };
  const printed = [stdout, stderr]
    .filter((text) => typeof text === 'string' && text.trim() !== '')
    .join('\n');
  return new Error(
    `${what} failed:\n${printed || (error instanceof Error ? error.message : String(error))}`,
    {
      cause: error,
    },
  );
}
