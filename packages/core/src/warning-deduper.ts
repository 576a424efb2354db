/**
 * Logs a configuration warning once, however many route policies inherit it from the global options: adapters that
 * compile one policy per route wrap their logger once per route (`where`), and a warning repeated under another
 * route's name is recognised by its text after the `polycors: <where>: ` prefix.
 */
import type { CorsLogger } from './options.js';

export class WarningDeduper {
  private readonly seen = new Set<string>();

  wrap(logger: CorsLogger, where: string): CorsLogger {
    const prefix = `polycors: ${where}: `;
    return {
      warn: (message) => {
        const key = message.startsWith(prefix) ? `polycors: ${message.slice(prefix.length)}` : message;
        if (this.seen.has(key)) return;
        this.seen.add(key);
        logger.warn(message);
      },
      error: (message, error) => logger.error(message, error),
    };
  }
}
