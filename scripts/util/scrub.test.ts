import { describe, expect, it } from 'vitest';
import { REDACTED, redactExchange, redactText } from '../../checks/redact.ts';
import { Scrubber } from './scrub.ts';

describe('redaction of evidence', () => {
  it('masks authCode in JSON bodies (string or number) and the Signature header', () => {
    const ex = redactExchange(
      {
        step: 's',
        request: { method: 'POST', url: 'u', headers: { Signature: 'abc=', 'Content-Type': 'application/json' }, body: '{"authCode":"1234","x":1}' },
        response: { status: 200, headers: {}, body: '{"echo":{"authCode": 1234}}', durationMs: 1 },
      },
      [],
    );
    expect(ex.request.headers.Signature).toBe(REDACTED);
    expect(ex.request.body).toBe(`{"authCode":"${REDACTED}","x":1}`);
    expect(ex.response?.body).not.toContain('1234');
  });

  it('masks known secret values anywhere', () => {
    expect(redactText('the secret is s3cr3t!', ['s3cr3t!'])).toBe(`the secret is ${REDACTED}`);
  });

  it('masks a PIN in evidence only where it stands alone: an amount of 12345 stays what was sent', () => {
    expect(redactText('{"clientTxnRef":12345,"pin":"1234","ref":"bc-1-1234-c"}', ['1234'])).toBe(
      `{"clientTxnRef":12345,"pin":"${REDACTED}","ref":"bc-1-${REDACTED}-c"}`,
    );
  });
});

describe('Scrubber', () => {
  it('masks raw, JSON-escaped and HTML-escaped forms, longest first', () => {
    const s = new Scrubber();
    s.add(['a"b<c', 'a"b<c-longer']);
    expect(s.apply('x a"b<c-longer y')).toBe(`x ${REDACTED} y`);
    expect(s.apply(JSON.stringify({ k: 'a"b<c' }))).not.toContain('a\\"b<c');
    expect(s.apply('a&quot;b&lt;c')).toBe(REDACTED);
  });

  it('masks a short secret (a PIN) only where it stands alone, never inside a UUID or an amount', () => {
    const s = new Scrubber();
    s.add(['1234']);
    expect(s.apply('pin 1234 rejected; ref 9f81234a-0000; amount 12345')).toBe(`pin ${REDACTED} rejected; ref 9f81234a-0000; amount 12345`);
    expect(s.apply('{"authCode":"1234"}')).toBe(`{"authCode":"${REDACTED}"}`);
  });
});
