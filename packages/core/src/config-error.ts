/** One thing wrong with a configuration: where (`origin[2]`), what (a stable code) and how to fix it. */
export interface CorsConfigProblem {
  path: string;
  code: ConfigProblemCode;
  message: string;
}

export type ConfigProblemCode =
  | 'option-unknown'
  | 'option-type'
  | 'origin-missing'
  | 'origin-invalid'
  | 'origin-null'
  | 'origin-file-scheme'
  | 'origin-path'
  | 'origin-trailing-slash'
  | 'origin-query'
  | 'origin-userinfo'
  | 'origin-uppercase'
  | 'origin-non-ascii'
  | 'origin-default-port'
  | 'origin-wildcard-position'
  | 'origin-any-with-credentials'
  | 'origin-public-suffix-wildcard'
  | 'origin-insecure-with-credentials'
  | 'origin-regex-unanchored'
  | 'origin-regex-catastrophic'
  | 'origin-regex-flags'
  | 'origin-regex-unescaped-dot'
  | 'origin-rule-ignored'
  | 'private-network-any-origin'
  | 'method-forbidden'
  | 'method-invalid'
  | 'header-forbidden'
  | 'header-invalid'
  | 'allowed-headers-wildcard-with-credentials'
  | 'exposed-headers-set-cookie'
  | 'exposed-headers-wildcard-with-credentials'
  | 'max-age-range'
  | 'max-age-above-chromium-cap'
  | 'options-success-status'
  | 'origin-cache'
  | 'origin-cache-key-missing'
  | 'origin-timeout'
  | 'reflection-warning'
  | 'max-request-headers-length'
  | 'enable-cors-duplicate'
  | 'route-registered-before-cors'
  | 'sub-app-unreachable';

/**
 * Thrown by `createCorsPolicy` (and adapters at startup) with every problem found, not just the first.
 */
export class CorsConfigError extends Error {
  readonly problems: readonly CorsConfigProblem[];

  constructor(problems: readonly CorsConfigProblem[], where?: string) {
    const heading = `Invalid CORS configuration${where ? ` for ${where}` : ''} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`;
    super([heading, ...problems.map((p) => `  - ${p.path}: ${p.message} [${p.code}]`)].join('\n'));
    this.name = 'CorsConfigError';
    this.problems = problems;
  }
}
