import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { starterConfigText } from '../../scripts/config/starter.ts';

/** DIR/bankcert.config.json: the starter config pointed at `baseUrl`, with `edits` applied. */
export function writeConfig(dir: string, baseUrl: string, edits: [string[], unknown][]): string {
  let text = starterConfigText();
  for (const [path, value] of [[['target', 'baseUrl'], baseUrl] as [string[], unknown], ...edits]) {
    text = applyEdits(text, modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  const file = join(dir, 'bankcert.config.json');
  writeFileSync(file, text);
  return file;
}
