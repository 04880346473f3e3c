import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';

export interface TlsFiles {
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  insecureSkipVerify?: boolean | undefined;
}

export interface NodeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
}

/** One HTTP request from Node (preflight, cleanup), with the target's TLS settings and a hard deadline. */
export function send(
  method: string,
  url: string,
  options: { body?: string; headers?: Record<string, string>; tls?: TlsFiles | undefined; timeoutMs: number },
): Promise<NodeAnswer> {
  const target = new URL(url);
  const tls = options.tls ?? {};
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method,
        headers: { ...(options.headers ?? {}), ...(options.body === undefined ? {} : { 'Content-Length': Buffer.byteLength(options.body) }) },
        ...(target.protocol === 'https:'
          ? {
              ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
              cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
              key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
              rejectUnauthorized: !tls.insecureSkipVerify,
            }
          : {}),
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    // `timeout` only fires on idle sockets; the overall deadline also covers a bank that trickles bytes.
    const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })), options.timeoutMs);
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.on('close', () => clearTimeout(deadline));
    req.end(options.body);
  });
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ENOTFOUND: 'unknown host (DNS lookup failed)',
  EAI_AGAIN: 'host name could not be resolved right now',
  ETIMEDOUT: 'no answer in time',
  ECONNRESET: 'connection reset by the server',
  EHOSTUNREACH: 'host unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate (set target.tls.caFile to its CA)',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: certificate signed by an unknown CA (set target.tls.caFile)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate signed by an unknown CA (set target.tls.caFile)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the host name',
  CERT_HAS_EXPIRED: 'TLS: certificate has expired',
};

/** A network error as a short human reason. */
export function describeNetworkError(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code && REASONS[code]) return REASONS[code];
  const message = err instanceof Error ? err.message : String(err);
  return code ? `${message} (${code})` : message;
}
