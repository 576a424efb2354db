/**
 * One HTTP exchange with node's own client, so that Origin can be set (fetch() in Node forbids nothing, but
 * undici folds repeated response headers) and repeated response headers stay separate (`rawHeaders`).
 */
import http from 'node:http';
import https from 'node:https';

export interface SentRequest {
  method: string;
  url: string;
  headers: [string, string][];
}

export interface ReceivedResponse {
  status: number;
  statusText: string;
  /** Every header line, in order, names as the server wrote them. */
  headers: [string, string][];
}

export type NetworkErrorKind = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'other';

export class NetworkError extends Error {
  constructor(
    readonly kind: NetworkErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|DEPTH_ZERO/;

function describe(error: NodeJS.ErrnoException, url: URL, timeoutMs: number): NetworkError {
  const host = url.host;
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return new NetworkError('refused', `Connection refused by ${host}: nothing is listening there.`, code);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA')
    return new NetworkError('dns', `Cannot resolve ${url.hostname} (DNS ${code}).`, code);
  if (code === 'ETIMEDOUT' || code === 'POLYCORS_TIMEOUT')
    return new NetworkError('timeout', `No answer from ${host} within ${timeoutMs} ms.`, code);
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'HPE_INVALID_CONSTANT')
    return new NetworkError('reset', `${host} closed the connection without an HTTP answer (${code}).`, code);
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(error.message))
    return new NetworkError('tls', `TLS handshake with ${host} failed: ${error.message} (${code || 'TLS'}).`, code);
  return new NetworkError('other', `Request to ${host} failed: ${error.message}${code ? ` (${code})` : ''}.`, code);
}

export interface ExchangeOptions {
  timeoutMs: number;
  agent?: { http: http.Agent; https: https.Agent };
  /** Skip certificate verification (self-signed development servers). */
  insecure?: boolean;
}

export function exchange(request: SentRequest, options: ExchangeOptions): Promise<ReceivedResponse> {
  const url = new URL(request.url);
  const isHttps = url.protocol === 'https:';
  const lib = isHttps ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      reject(describe(error, url, options.timeoutMs));
    };
    const req = lib.request(
      url,
      {
        method: request.method,
        headers: Object.fromEntries(request.headers),
        agent: options.agent ? (isHttps ? options.agent.https : options.agent.http) : undefined,
        ...(isHttps && options.insecure ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const raw = res.rawHeaders;
        const headers: [string, string][] = [];
        for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
        res.resume();
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers });
        });
        res.on('error', fail);
      },
    );
    req.setTimeout(options.timeoutMs, () => {
      const error: NodeJS.ErrnoException = new Error('timeout');
      error.code = 'POLYCORS_TIMEOUT';
      fail(error);
      req.destroy();
    });
    req.on('error', fail);
    req.end();
  });
}
