import type { Exchange } from '../checks/events.ts';
import { REDACTED } from '../checks/redact.ts';
import { SIGNATURE_HEADER } from '../checks/signer.ts';

/** A command line holds this much body; longer ones are re-sent with `bankcert replay`. */
export const CURL_BODY_LIMIT = 16 * 1024;

/** What the reports show under a failing exchange: a shell command, or why there is none. */
export interface CurlView {
  command: string | null;
  skipped: string | null;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CLIPPED = /… \[\d+ more characters\]$/;
/** The authCode field as evidence redacts it (checks/redact.ts). */
const authCodeField = () => /("authCode"\s*:\s*)"\[redacted\]"/g;

/** A POSIX shell word holding exactly `text` (single quotes keep every byte but the quote itself). */
function quote(text: string): string {
  return `'${text.split("'").join(`'\\''`)}'`;
}

/** `text` as one shell word in which each `splices` key is replaced by the quoted variable it names. */
function spliced(text: string, splices: ReadonlyMap<string, string>): string {
  if (splices.size === 0) return quote(text);
  const keys = [...splices.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text
    .split(new RegExp(`(${keys.join('|')})`))
    .map((part, i) => (i % 2 === 1 ? `"${splices.get(part) ?? ''}"` : part === '' ? '' : quote(part)))
    .join('');
}

/**
 * An equivalent of a failing exchange for a shell: the same body bytes (with fresh references when it
 * carries the run's), signed with `openssl` from the variable named by signing.secretEnv (the secret is
 * never in the command), and sent with curl. The body reaches openssl and curl through `printf '%s'`,
 * so it is exactly the recorded bytes, trailing newlines included. No command for a body the evidence
 * kept shortened, one too long for a command line, one with a NUL character, or one holding a redacted
 * secret other than the authCode field (read from AUTH_CODE).
 */
export function curlCommand(exchange: Exchange, runId: string, secretEnv: string | undefined): CurlView {
  const skip = (why: string): CurlView => ({ command: null, skipped: `No curl command: ${why}; \`bankcert replay DIR CHECK-ID\` re-sends it.` });
  const { body, url, headers, method } = exchange.request;
  if (CLIPPED.test(body)) return skip('the evidence keeps only the start of this body');
  if (body.length > CURL_BODY_LIMIT) return skip(`the body (${body.length} characters) is too large for a command line`);
  if (body.includes('\u0000')) return skip('the body holds a NUL character, which a shell cannot pass on');
  if (secretEnv !== undefined && !ENV_NAME.test(secretEnv)) return skip(`signing.secretEnv (${secretEnv}) is not a shell variable name`);
  const withCode = body.replace(authCodeField(), `$1"\u0000AUTH\u0000"`);
  const needsAuthCode = withCode !== body;
  if (withCode.includes(REDACTED)) return skip('the body holds a redacted secret');

  // The run's references (bc-RUNID-suite-vu-seq-c / -r) become fresh ones: a bank answers a repeated raasTxnRef with its first answer.
  const bases = [...new Set([...withCode.matchAll(new RegExp(`bc-${runId}-[A-Za-z0-9.]+-\\d+-\\d+(?=-[cr]\\b)`, 'g'))].map((m) => m[0]))];
  const splices = new Map<string, string>(bases.map((b, i) => [b, bases.length === 1 ? '$REF' : `$REF-${i + 1}`]));
  if (needsAuthCode) splices.set('\u0000AUTH\u0000', '$AUTH_CODE');

  const lines = [`# ${exchange.step.replace(/[\r\n]+/g, ' ')}`];
  if (bases.length > 0) lines.push('REF="bc-curl-$(date +%s)-$$"');
  if (needsAuthCode) lines.push(`: "\${AUTH_CODE:?set AUTH_CODE to the authCode this request carried (the account's, or a wrong one for RF-2020)}"`);
  lines.push(`BODY=${spliced(withCode, splices)}`);
  const sent = Object.entries(headers).filter(([name]) => name.toLowerCase() !== SIGNATURE_HEADER.toLowerCase() && name.toLowerCase() !== 'content-length');
  const signed = secretEnv !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === SIGNATURE_HEADER.toLowerCase());
  if (signed) lines.push(`SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "\${${secretEnv}:?export ${secretEnv} first}" -binary | openssl base64 -A)`);
  const headerArgs = [...sent.map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`), ...(signed ? [`-H "${SIGNATURE_HEADER}: $SIG"`] : [])];
  lines.push(`printf '%s' "$BODY" | curl -sS -i -X ${method} ${quote(url)} ${headerArgs.join(' ')} --data-binary @-`);
  return { command: lines.join('\n'), skipped: null };
}
