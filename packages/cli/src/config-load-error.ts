/** A configuration file (or the adapter that reads it) that cannot be loaded: exit 2, not a verdict on the options. */
export class ConfigLoadError extends Error {
  override name = 'ConfigLoadError';
}
