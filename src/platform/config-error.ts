/**
 * A setting the environment gets wrong. Its own module because every process reads some settings (the worker's,
 * the codec server's, the CLI's): each parser throws it, and the CLI and entry points tell it apart from a failure.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
