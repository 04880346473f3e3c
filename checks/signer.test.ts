import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sign, signatureMatches } from './signer.ts';
import vectors from './signature-vectors.json';
import { nodeHmac } from '../scripts/util/digest.ts';
import { ROOT } from '../scripts/util/paths.ts';

describe('signer (Node HMAC)', () => {
  it.each(vectors.vectors.map((v, i) => ({ ...v, n: i + 1 })))('vector $n ($name) matches', (v) => {
    expect(sign(v.body, v.secret, nodeHmac)).toBe(v.signature);
    expect(signatureMatches(v.body, v.secret, v.signature, nodeHmac)).toBe(true);
  });

  it('one changed byte, another secret or a missing header never match', () => {
    const v = vectors.vectors[0]!;
    expect(signatureMatches(`${v.body} `, v.secret, v.signature, nodeHmac)).toBe(false);
    expect(signatureMatches(v.body, `${v.secret}x`, v.signature, nodeHmac)).toBe(false);
    expect(signatureMatches(v.body, v.secret, undefined, nodeHmac)).toBe(false);
    expect(signatureMatches(v.body, v.secret, '', nodeHmac)).toBe(false);
  });

  it("the in-repo vectors are the spec's vectors, unchanged", () => {
    const shared = join(ROOT, '..', 'shared', 'spec', 'signature-vectors.json');
    if (!existsSync(shared)) return; // a clone without the spec folder beside it
    expect(JSON.parse(readFileSync(shared, 'utf8'))).toEqual(vectors);
  });
});
