import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createBankLogic } from './bank-logic.ts';
import type { ChaosMode } from './chaos.ts';
import { sendChaos } from './chaos.ts';
import type { FaultName } from './faults.ts';
import { createHandlers } from './handlers.ts';
import type { HttpReply } from './handlers.ts';
import { BODY_LIMIT_BYTES, readBody, sendReply } from './http-io.ts';
import type { LedgerState } from './ledger.ts';
import type { Clock, Wait } from './load-faults.ts';
import { createReservePacer, DEFAULT_SERVICE_MS, realWait } from './load-faults.ts';
import type { Personality } from './minimal.ts';
import { rawSignatureMatches } from './signature.ts';
import { readStateFile, writeStateFile } from './state-file.ts';
import type { BankTls } from './transport.ts';
import { createTransport, dialUrl } from './transport.ts';

export interface ReferenceBankOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Request signing is required when set. */
  secret?: string;
  faults?: readonly FaultName[];
  /** One line per request: method, path, status, code. Never the body, authCode or signature. */
  log?: (line: string) => void;
  /** Every reserveFunds and transactResult answer waits this long first (a slow core banking system). */
  latencyMs?: number;
  /**
   * After this many reserveFunds, every further one is applied (funds held) but never answered: the
   * platform's view of a bank whose answers are lost. Lets tests interrupt a run at a known moment.
   */
  stallAfter?: number;
  /** Test seam: the reserveFundsTxnRef generator (default: UUIDs, or 80 characters under long-reference). */
  newReference?: () => string;
  /** Answer 2020 for an unknown sourceIdentifier, as the public errors table documents (not a fault). */
  unknownAs2020?: boolean;
  /** Serve HTTPS with this certificate; with clientCa, clients must present a certificate it signed. */
  tls?: BankTls;
  /** one-at-a-time's fixed time per reserveFunds, in ms (default 20): capacity is 1000 / serviceMs per second. */
  serviceMs?: number;
  /** Test seam: the clock shed-load counts reserveFunds arrivals by (default: performance.now). */
  now?: Clock;

  /** Test seam: how the load faults and one-at-a-time wait (default: a timer). */
  wait?: Wait;
  /** Test seam: milliseconds now, for expiring-holds (default: Date.now). */
  clock?: () => number;
  /** Default strict. Faults break the strict bank's rules, so `minimal` takes none. */
  personality?: Personality;
  /**
   * Balances, reservations and answers are kept in this file, rewritten before every answer that changed
   * them, so a bank killed and started again with the same file continues where it stopped.
   */
  stateFile?: string;
  /** Every reserveFunds answer is sent this broken way (after the decision, so funds may be held). Strict personality only. */
  chaos?: ChaosMode;
}

export interface BankState extends LedgerState {
  faults: FaultName[];
  signing: boolean;
  personality: Personality;
  chaos: ChaosMode | null;
}

export interface RunningBank {
  /**
   * http://HOST:PORT, with a wildcard host replaced by 127.0.0.1 so it can be dialled; under TLS
   * https://, with 127.0.0.1 named localhost as certificates are.
   */
  url: string;
  port: number;
  close(): Promise<void>;
  state(): BankState;
}

export const STATE_PATH = '/__reference/state';

interface Route {
  method: 'GET' | 'POST';
  /** POST routes get the raw body, already signature-checked. */
  handle(raw: Buffer): HttpReply | Promise<HttpReply>;
}

const INVALID_SIGNATURE: HttpReply = { status: 401, body: { responseCode: '2090', message: 'invalid signature' }, note: '2090' };
const TOO_LARGE: HttpReply = { status: 413, body: { responseCode: '2090', message: `body over ${BODY_LIMIT_BYTES} bytes` }, note: '2090' };
const INTERNAL_ERROR: HttpReply = { status: 500, body: { responseCode: '2090', message: 'internal error' }, note: '2090' };
const NOT_FOUND: HttpReply = { status: 404, body: { message: 'not found' } };
// Connections that outlive close() (a client's keep-alive in use) are cut after this grace period.
const CLOSE_GRACE_MS = 2_000;

export async function startReferenceBank(options: ReferenceBankOptions = {}): Promise<RunningBank> {
  const host = options.host ?? '127.0.0.1';
  const faults = new Set<FaultName>(options.faults ?? []);
  const personality = options.personality ?? 'strict';
  if (personality === 'minimal' && faults.size > 0) throw new RangeError('faults apply to the strict personality only, not to the minimal bank');
  // What a chaos answer held can only be released by a cancel by raasTxnRef, which the minimal bank does not match.
  if (personality === 'minimal' && options.chaos !== undefined)
    throw new RangeError('chaos modes apply to the strict personality only, not to the minimal bank');
  const secret = options.secret !== undefined && options.secret !== '' ? options.secret : undefined;
  const log = options.log;
  const chaos = options.chaos;
  const stateFile = options.stateFile;
  const restore = stateFile === undefined ? undefined : readStateFile(stateFile);
  const logic = createBankLogic({
    faults,
    personality,
    ...(options.newReference ? { newReference: options.newReference } : {}),
    ...(options.unknownAs2020 ? { unknownAs2020: true } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(restore ? { restore } : {}),
    ...(stateFile === undefined ? {} : { onChange: () => writeStateFile(stateFile, logic.dump()) }),
  });
  const handlers = createHandlers(logic, faults, personality);

  const state = (): BankState => ({ ...logic.state(), faults: [...faults], signing: secret !== undefined, personality, chaos: chaos ?? null });

  const latencyMs = options.latencyMs ?? 0;
  const slow = <T>(work: () => T | Promise<T>): Promise<T> | T =>
    latencyMs > 0 ? new Promise<T>((resolve, reject) => setTimeout(() => void Promise.resolve().then(work).then(resolve, reject), latencyMs)) : work();
  const serviceMs = options.serviceMs ?? DEFAULT_SERVICE_MS;
  if (!Number.isFinite(serviceMs) || serviceMs <= 0) throw new RangeError(`serviceMs must be a positive number of milliseconds, not ${serviceMs}`);
  const pace = createReservePacer(faults, { serviceMs, wait: options.wait ?? realWait, ...(options.now ? { now: options.now } : {}) });
  let reserves = 0;
  const reserve = async (raw: Buffer): Promise<HttpReply> => {
    reserves += 1;
    const n = reserves;
    const reply = await pace(n, () => handlers.reserveFunds(raw));
    if (options.stallAfter !== undefined && n > options.stallAfter) return new Promise<HttpReply>(() => {});
    return reply;
  };
  const routes = new Map<string, Route>([
    ['/reserveFunds', { method: 'POST', handle: (raw) => slow(() => reserve(raw)) }],
    ['/transactResult', { method: 'POST', handle: (raw) => slow(() => handlers.transactResult(raw)) }],
    ['/health', { method: 'GET', handle: () => ({ status: 200, body: { status: 'ok' } }) }],
    [STATE_PATH, { method: 'GET', handle: () => ({ status: 200, body: { ...state() } }) }],
  ]);

  async function respond(req: IncomingMessage, path: string): Promise<{ reply: HttpReply; headers?: Record<string, string> }> {
    const route = routes.get(path);
    if (!route) return { reply: NOT_FOUND };
    if (req.method !== route.method) {
      return { reply: { status: 405, body: { message: `use ${route.method}` } }, headers: { allow: route.method } };
    }
    if (route.method === 'GET') return { reply: await route.handle(Buffer.alloc(0)) };

    const body = await readBody(req, BODY_LIMIT_BYTES);
    if (body.kind === 'too-large') return { reply: TOO_LARGE, headers: { connection: 'close' } };
    if (body.kind === 'aborted') return { reply: { status: 400, note: 'aborted' } };
    // Before parsing: an unsigned body must not reach any decision, not even a validation message.
    const unsignedOutcome = faults.has('outcome-unsigned') && path === '/transactResult';
    if (secret !== undefined && !faults.has('accept-any-signature') && !unsignedOutcome) {
      const given = req.headers['signature'];
      if (typeof given !== 'string' || !rawSignatureMatches(body.body, secret, given)) return { reply: INVALID_SIGNATURE };
    }
    return { reply: await route.handle(body.body) };
  }

  // A throwing log callback is the caller's bug, but it must not take the bank down with it.
  const note = (line: string): void => {
    try {
      log?.(line);
    } catch {
      // ignored on purpose
    }
  };

  // Sockets a chaos answer leaves open (or half-open) on purpose: close() cuts them at once.
  const chaosSockets = new Set<Socket>();
  const send = (res: ServerResponse, path: string, method: string, reply: HttpReply, headers?: Record<string, string>): string => {
    if (chaos === undefined || path !== '/reserveFunds' || method !== 'POST' || !res.socket) {
      sendReply(res, reply, headers);
      return '';
    }
    const socket = res.socket;
    chaosSockets.add(socket);
    socket.once('close', () => chaosSockets.delete(socket));
    sendChaos(res, chaos, reply);
    return ` chaos ${chaos}`;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const method = req.method ?? '?';
    void respond(req, path)
      .catch((error: unknown): { reply: HttpReply; headers?: Record<string, string> } => {
        note(`error in ${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
        return { reply: INTERNAL_ERROR };
      })
      .then(({ reply, headers }) => {
        const how = send(res, path, method, reply, headers);
        note(`${method} ${path} ${reply.status}${reply.note !== undefined ? ` ${reply.note}` : ''}${how}`);
      })
      .catch(() => res.destroy());
  };
  const server = createTransport(options.tls, onRequest, (error) => note(`TLS handshake refused: ${error.message}`));

  // Load generators keep connections open between iterations; Node's 5 s default lets the bank close
  // one just as a client reuses it, which shows up as a transport error under low arrival rates.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((cause: unknown) => {
    throw new Error(`reference bank could not listen on ${host}:${options.port ?? 0}`, { cause });
  });

  // Only once the port is ours (a second bank refused the port must not overwrite the first one's file),
  // and at once: a file that cannot be written is found at start, not at the first reservation.
  if (stateFile !== undefined && restore === undefined) {
    try {
      writeStateFile(stateFile, logic.dump());
    } catch (cause) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw new Error(`--state ${stateFile}: cannot write the file (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    }
  }

  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    url: dialUrl(host, port, options.tls !== undefined),
    port,
    state,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(new Error('reference bank did not close cleanly', { cause: error })) : resolve()));
        server.closeIdleConnections();
        for (const socket of chaosSockets) socket.destroy();
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      });
      return closing;
    },
  };
}
