/**
 * Contact lists and call results hold personal data (phone numbers, names, transcripts): files we write are
 * readable by their owner only, whatever the process umask, and so are the folders that hold them.
 */
export const ownerOnly = 0o600;
export const ownerOnlyDirectory = 0o700;
