import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';

export interface BankTls {
  cert: string | Buffer;
  key: string | Buffer;
  /** When set, every client must present a certificate this CA signed (mutual TLS). */
  clientCa?: string | Buffer;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A plain HTTP server, or HTTPS when `tls` is given; both share every request-level behaviour. */
export function createTransport(tls: BankTls | undefined, handler: RequestHandler, onTlsRefusal: (error: Error) => void): HttpServer | HttpsServer {
  if (tls === undefined) return createHttpServer(handler);
  let server;
  try {
    server = createHttpsServer(
      {
        cert: tls.cert,
        key: tls.key,
        ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
      },
      handler,
    );
  } catch (cause) {
    throw new Error('reference bank could not use its TLS certificate, key or client CA (PEM expected)', { cause });
  }
  // A refused handshake is the client's problem (no certificate, wrong CA); the bank only notes it and keeps serving.
  server.on('tlsClientError', onTlsRefusal);
  return server;
}

/** The URL a client dials: a wildcard host becomes loopback, and under TLS loopback becomes the name the certificate carries. */
export function dialUrl(host: string, port: number, tls: boolean): string {
  let dial = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  if (tls && dial === '127.0.0.1') dial = 'localhost';
  else if (dial.includes(':')) dial = `[${dial}]`;
  return `${tls ? 'https' : 'http'}://${dial}:${port}`;
}
