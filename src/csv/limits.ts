/**
 * Longest row (in characters) the parser will hold: far beyond any real row, and what stops a never-closed
 * quote, or a file with no line breaks, from pulling the whole file into memory.
 */
export const maxRowCharacters = 1_000_000;
