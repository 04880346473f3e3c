import Handlebars from 'handlebars';
import { REDACTED } from '../../checks/redact.ts';

/**
 * Last line of defence for house rule 4: every byte bankcert writes (terminal, logs, reports) passes
 * through here, so a secret that slipped into a message, a k6 error or a bank's echo is masked.
 * Secrets shorter than 4 characters are still masked: a PIN is short.
 */
export class Scrubber {
  private secrets: string[] = [];

  add(values: readonly string[]): void {
    // A secret also appears in its JSON-escaped form (result.json) and HTML-escaped form (report.html).
    const forms = values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1), Handlebars.Utils.escapeExpression(v)]);
    for (const v of forms) if (v.length > 0 && !this.secrets.includes(v)) this.secrets.push(v);
    // Longest first, so a secret that contains another is masked whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  apply(text: string): string {
    let out = text;
    for (const s of this.secrets) {
      if (!out.includes(s)) continue;
      // A short secret (a 4-digit PIN) also occurs by chance inside UUIDs and amounts: mask it only where it
      // stands alone. Fields that carry it (authCode) are redacted by name in checks/redact.ts anyway.
      out = s.length < SHORT ? out.replace(standalone(s), REDACTED) : out.split(s).join(REDACTED);
    }
    return out;
  }
}


const SHORT = 8;

function standalone(secret: string): RegExp {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`, 'g');
}
