/**
 * Public suffixes from the full Public Suffix List (ICANN and private sections, through tldts): names under which
 * strangers can register their own sites (`com`, `co.il`, `github.io`, `myshopify.com`, `blob.core.windows.net`).
 * A `*.` pattern on one of them lets any such stranger read credentialed responses.
 */
import { parse } from 'tldts';

const PSL_OPTIONS = { allowPrivateDomains: true, extractHostname: false, validateHostname: false, detectIp: true } as const;

/** `suffix` is the part after `*.` (`example.com`, `github.io`). Single labels count too (`*.internal`: the list's default rule). Startup only. */
export function isPublicSuffix(suffix: string): boolean {
  const parts = parse(suffix, PSL_OPTIONS);
  return !parts.isIp && parts.publicSuffix === suffix;
}

/**
 * The length of `host`'s public suffix, and whether the host is the registrable domain right under it
 * (`attacker.github.io`, `example.com`) and the suffix is in the list's private section (shared hosting).
 * Undefined for IP addresses and hosts without a registrable domain.
 */
export interface HostSuffix {
  publicSuffix: string;
  /** The host is one label above its public suffix. */
  directlyUnder: boolean;
  /** The suffix comes from the list's private section (a hosting company's customers, not a registry's). */
  privateSection: boolean;
}

export function hostSuffix(host: string): HostSuffix | undefined {
  const parts = parse(host, PSL_OPTIONS);
  if (parts.isIp || parts.publicSuffix === null || parts.domain === null) return undefined;
  return { publicSuffix: parts.publicSuffix, directlyUnder: parts.domain === host, privateSection: parts.isPrivate === true };
}
