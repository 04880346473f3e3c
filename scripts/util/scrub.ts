import Handlebars from 'handlebars';
import { maskSecret } from '../../checks/redact.ts';

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
    // A short secret (a 4-digit PIN) is masked only where it stands alone, as in evidence (checks/redact.ts).
    for (const s of this.secrets) out = maskSecret(out, s);
    return out;
  }
}
