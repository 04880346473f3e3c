import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Plan } from '../../checks/plan.ts';

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
    // How far the request got tells a silent bank from an unreachable one (or a DNS that never answers).
    let reached: 'start' | 'resolved' | 'connected' = 'start';
    req.on('socket', (socket) => {
      // A kept-alive socket from the agent is connected already and emits neither event again: no
      // listeners on it then (they would pile up, one per request, on a socket that lives on).
      if (!socket.connecting) {
        reached = 'connected';
        return;
      }
      socket.once('lookup', () => (reached = 'resolved'));
      socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => (reached = 'connected'));
    });
    const timedOut = (): Error => {
      const within = `within ${options.timeoutMs} ms`;
      // No lookup event for an IP literal: then 'start' means the connection was never made.
      const unresolved = reached === 'start' && isIP(target.hostname.replace(/^\[|\]$/g, '')) === 0;
      const message =
        reached === 'connected' ? `connected, but no answer ${within}` : unresolved ? `host name not resolved ${within}` : `no connection ${within}`;
      return Object.assign(new Error(message), { code: 'ETIMEDOUT', deadline: true });
    };
    // `timeout` only fires on idle sockets; the overall deadline also covers a bank that trickles bytes.
    const deadline = setTimeout(() => req.destroy(timedOut()), options.timeoutMs);
    req.on('timeout', () => req.destroy(timedOut()));
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
  ENETUNREACH: 'network unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate (set target.tls.caFile to its CA)',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: certificate signed by an unknown CA (set target.tls.caFile)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate signed by an unknown CA (set target.tls.caFile)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: certificate signed by an unknown CA (set target.tls.caFile)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: certificate does not match the host name',
  CERT_HAS_EXPIRED: 'TLS: certificate has expired',
  CERT_NOT_YET_VALID: 'TLS: certificate is not valid yet',
  // The server's alerts about our (missing or refused) client certificate.
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'TLS: the bank requires a client certificate (set target.tls.certFile and keyFile)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'TLS: the bank refused the client certificate (check target.tls.certFile and keyFile)',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'TLS: the bank does not trust the CA of the client certificate (check target.tls.certFile)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'TLS: handshake refused by the bank (client certificate or protocol version)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS: the server does not speak TLS there (plain HTTP? then use http:// in target.baseUrl)',
};

/**
 * OpenSSL messages span lines and name C source files ("…:SSL routines:ssl3_get_record:wrong version
 * number:../deps/openssl/…"): keep only the reason, so the CLI's error stays one line.
 */
function opensslReason(message: string): string | undefined {
  const m = /SSL routines:[^:]*:([^:]+)/.exec(message);
  return m?.[1]?.trim();
}

/** A network error as a short human reason, always one line. */
export function describeNetworkError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  // Our own deadline says whether the connection was made; the OS's ETIMEDOUT does not.
  if ((err as { deadline?: boolean }).deadline) return message;
  if (code && REASONS[code]) return REASONS[code];
  const ssl = opensslReason(message);
  if (ssl === 'wrong version number') return REASONS.ERR_SSL_WRONG_VERSION_NUMBER as string;
  if (ssl) return `TLS: ${ssl}${code ? ` (${code})` : ''}`;
  const oneLine = message.replace(/\s*\n\s*/g, ' ').trim();
  return code && !oneLine.includes(code) ? `${oneLine} (${code})` : oneLine;
}

/** The TLS files and verification choice of a plan, as send() takes them. */
export function tlsOf(plan: Plan): TlsFiles | undefined {
  return plan.target.tls || plan.target.insecureSkipVerify ? { ...plan.target.tls, insecureSkipVerify: plan.target.insecureSkipVerify } : undefined;
}
