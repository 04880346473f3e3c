/**
 * The documents a certificate cites: public Clickatell pages a bank engineer can open, plus bankcert's
 * own reading (docs/checks.md in this repository) where the documents are silent or disagree.
 */
export const SOURCES = {
  apiReference: {
    title: 'Bank Interfaces API reference',
    url: 'https://guides.clickatell.com/clickatell-chat-commerce-platform/developer/marketplace/marketplace-apis/bank-interfaces-api/api-reference',
  },
  gettingStarted: {
    title: 'Bank Interfaces getting started',
    url: 'https://docs.clickatell.com/marketplace/bank-interfaces/bank-interfaces-documentation/',
  },
  signature: {
    title: 'Signature checksum calculation',
    url: 'https://docs.clickatell.com/marketplace/transact/signature-checksum-calculation/',
  },
  errorsTable: {
    title: 'Transact errors table',
    url: 'https://docs.clickatell.com/marketplace/transact/errors-table/',
  },
  transactResultApi: {
    title: 'Transact result API',
    url: 'https://docs.clickatell.com/marketplace/transact-result-api/transact-result-api-documentation/',
  },
  bankcert: {
    title: "bankcert's reading (where the documents are silent or disagree)",
    url: 'docs/checks.md',
  },
} as const satisfies Record<string, { title: string; url: string }>;

export type SourceId = keyof typeof SOURCES;

/** One citation: a document and the section of it the rule comes from. */
export interface SpecRef {
  source: SourceId;
  section: string;
}

/** A citation as result.json stores it: self-contained, so a report needs nothing else to link it. */
export interface Citation {
  title: string;
  section: string;
  url: string;
}

export function cite(refs: readonly SpecRef[]): Citation[] {
  return refs.map((r) => ({ title: SOURCES[r.source].title, section: r.section, url: SOURCES[r.source].url }));
}

/** The one-line form (result.json's specRef, JUnit, terminal): "Document, section; Document, section". */
export function specRefLine(refs: readonly SpecRef[]): string {
  return refs.map((r) => `${SOURCES[r.source].title}, ${r.section}`).join('; ');
}
