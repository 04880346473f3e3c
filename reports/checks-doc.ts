import type { CheckDefinition } from '../checks/define.ts';
import { FIXTURE_KEYS } from '../checks/plan.ts';
import { SOURCES } from '../checks/sources.ts';

const LEVEL_WORDS = { MUST: 'MUST (fails certification)', SHOULD: 'SHOULD (a warning)', INFO: 'INFO (informs)' } as const;

/**
 * docs/checks.md: every check of the catalogue, what it proves, how it is observed, what it costs the
 * bank's test accounts and where the rule comes from. Generated (`npm run docs`); a test keeps it current.
 */
export function renderChecksDoc(catalogue: readonly CheckDefinition[]): string {
  const lines = [
    '# bankcert checks',
    '',
    '<!-- Generated from the check catalogue (checks/definitions/*.ts) by `npm run docs`; a test fails when it is stale. -->',
    '',
    'Each row of a bankcert certificate is one of these checks. MUST checks decide certification, SHOULD checks can only warn,',
    'INFO checks inform. A check is skipped only when the configuration makes it not applicable (a fixture account left out,',
    'signing off); a check that could not see what it asserts is inconclusive, and a MUST check that is inconclusive makes the',
    'whole run inconclusive.',
    '',
    '| id | level | suite | title |',
    '|---|---|---|---|',
    ...catalogue.map((c) => `| [${c.id}](#${anchor(c.id)}) | ${c.level} | ${c.suite} | ${c.title} |`),
    '',
  ];
  for (const c of catalogue) {
    lines.push(
      `<a id="${anchor(c.id)}"></a>`,
      `## ${c.id}: ${c.title}`,
      '',
      `- **Level:** ${LEVEL_WORDS[c.level]}${c.appliesWhen === 'signing' ? ', only when request signing is enabled' : ''}`,
      `- **Suite:** ${c.suite}${c.needs.length > 0 ? `; needs ${c.needs.map((n) => (typeof n === 'string' ? `\`${FIXTURE_KEYS[n]}\`` : n.map((k) => `\`${FIXTURE_KEYS[k]}\``).join(' or '))).join(', ')}` : ''}`,
      `- **What the bank must do:** ${c.remediation}`,
      `- **How it is observed:** ${c.observedBy}`,
      `- **Traffic and money:** ${c.cost}`,
      ...(c.reading ? [`- **bankcert's reading:** ${c.reading}`] : []),
      `- **Sources:** ${c.sources.map((s) => (s.source === 'bankcert' ? `bankcert's reading above` : `[${SOURCES[s.source].title}](${SOURCES[s.source].url}), ${s.section}`)).join('; ')}`,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function anchor(id: string): string {
  return id.toLowerCase();
}
