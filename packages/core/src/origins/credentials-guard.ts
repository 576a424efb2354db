/**
 * The checks string rules get at startup, applied per request to origins that only a RegExp or an origin function
 * allowed, when the policy sends credentials: such rules cannot be judged statically, so their answers are.
 * Verdicts are remembered per origin (bounded), so the Public Suffix List is consulted once per origin.
 */
import type { CorsReason } from '../options.js';
import { reasons } from '../reasons.js';
import { isLoopbackHost } from './parse-rule.js';
import { hostSuffix } from './public-suffix.js';
import { parseRequestOrigin } from './request-origin.js';

export type OpaqueRule = 'regexp' | 'function';

const MAX_REMEMBERED = 1000;

export class CredentialsGuard {
  private readonly verdicts = { regexp: new Map<string, CorsReason | null>(), function: new Map<string, CorsReason | null>() };

  /** `regExpsMatch` answers whether the policy's RegExps match another origin (the probe below). */
  constructor(private readonly regExpsMatch: (origin: string) => boolean) {}

  /** Undefined when `origin` may be answered with credentials; otherwise why not. */
  refusal(rule: OpaqueRule, origin: string): CorsReason | undefined {
    const remembered = this.verdicts[rule];
    let verdict = remembered.get(origin);
    if (verdict === undefined) {
      verdict = this.judge(rule, origin) ?? null;
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(origin, verdict);
    }
    return verdict ?? undefined;
  }

  private judge(rule: OpaqueRule, origin: string): CorsReason | undefined {
    if (origin === 'null') return reasons.credentialsOriginUnsafe(origin, "'null' is sent by sandboxed iframes and file:// pages of any site");
    const parts = parseRequestOrigin(origin);
    if (parts === undefined) return reasons.originMalformed(origin.slice(0, 200));
    const { scheme, host, port } = parts;
    if (scheme !== 'https' && !(scheme === 'http' && isLoopbackHost(host))) {
      return reasons.credentialsOriginUnsafe(origin, `its scheme is ${scheme}, not https (only loopback may use http), so anyone on the network can read or inject its traffic`);
    }
    const suffix = hostSuffix(host);
    if (suffix === undefined) return undefined;
    if (rule === 'function') {
      // An opaque function cannot be probed; a site right under a shared-hosting suffix belongs to a stranger.
      if (suffix.directlyUnder && suffix.privateSection) {
        return reasons.credentialsOriginUnsafe(origin, `it is a site directly under the public suffix '${suffix.publicSuffix}', where anyone can create one`);
      }
      return undefined;
    }
    // Probe: the same origin with the label right under its public suffix changed (same length and character classes).
    // If the RegExps allow that too, they allow strangers' domains under the suffix, like /^https:\/\/[a-z0-9-]+\.github\.io$/.
    const labelEnd = host.length - suffix.publicSuffix.length - 1;
    const labelStart = host.lastIndexOf('.', labelEnd - 1) + 1;
    const probeHost = `${host.slice(0, labelStart)}${shiftLabel(host.slice(labelStart, labelEnd))}${host.slice(labelEnd)}`;
    if (this.regExpsMatch(`${scheme}://${probeHost}${port === '' ? '' : `:${port}`}`)) {
      return reasons.credentialsOriginUnsafe(origin, `the RegExp allows any domain under the public suffix '${suffix.publicSuffix}' (it also matches '${probeHost}'), and strangers can register those`);
    }
    return undefined;
  }
}

/** Another label of the same shape: each letter and digit moved one place on (z -> a, 9 -> 0), hyphens kept. */
function shiftLabel(label: string): string {
  let shifted = '';
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) shifted += String.fromCharCode(c === 0x7a ? 0x61 : c + 1);
    else if (c >= 0x30 && c <= 0x39) shifted += String.fromCharCode(c === 0x39 ? 0x30 : c + 1);
    else shifted += label[i];
  }
  return shifted;
}
