// A deliberately small, strict checker: enough to prove escaping held and tags balance, without a parser dependency.

const NAME = '[A-Za-z_][\\w.:-]*';
const ENTITY = '&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);';
const ATTRIBUTE = `\\s+${NAME}="(?:[^"<&]|${ENTITY})*"`;
const START_TAG = new RegExp(`^<(${NAME})(?:${ATTRIBUTE})*\\s*(/?)>$`);
const END_TAG = new RegExp(`^</(${NAME})\\s*>$`);
const TEXT = new RegExp(`^(?:[^<&]|${ENTITY})*$`);
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export interface MarkupProblems {
  problems: string[];
  /** Element names in document order, for counting. */
  elements: string[];
}

/**
 * Tokenises `text` into tags and character data and checks: legal XML characters, well-formed tags and
 * attributes, entity-only ampersands, balanced nesting, one root. `voidElements` allows HTML's unclosed tags.
 */
export function checkMarkup(text: string, options: { voidElements?: readonly string[]; skipRawText?: readonly string[] } = {}): MarkupProblems {
  const problems: string[] = [];
  const elements: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  if (XML_ILLEGAL.test(text)) problems.push('illegal XML character');
  // Declarations, doctype and comments carry no data; raw-text elements (style) are checked by the caller.
  let body = text
    .replace(/^<\?xml[^>]*\?>/, '')
    .replace(/<!doctype[^>]*>/i, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  for (const raw of options.skipRawText ?? []) body = body.replace(new RegExp(`(<${raw}>)[\\s\\S]*?(</${raw}>)`, 'g'), '$1$2');
  for (const token of body.match(/<[^>]*>|[^<]+|</g) ?? []) {
    if (!token.startsWith('<')) {
      if (!TEXT.test(token)) problems.push(`bad character data: ${token.slice(0, 60)}`);
      if (stack.length === 0 && token.trim() !== '') problems.push('text outside the root element');
      continue;
    }
    const end = END_TAG.exec(token);
    if (end) {
      const open = stack.pop();
      if (open !== end[1]) problems.push(`</${end[1]}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    const start = START_TAG.exec(token);
    if (!start || !start[1]) {
      problems.push(`bad tag: ${token.slice(0, 80)}`);
      continue;
    }
    const name = start[1];
    elements.push(name);
    if (stack.length === 0) roots += 1;
    if (start[2] !== '/' && !(options.voidElements ?? []).includes(name.toLowerCase())) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return { problems, elements };
}

/** Attribute values of every `<tag ...>` element, decoded enough to compare numbers and plain names. */
export function attributesOf(xml: string, tag: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const match of xml.matchAll(new RegExp(`<${tag}((?:\\s+${NAME}="[^"]*")*)\\s*/?>`, 'g'))) {
    const attributes: Record<string, string> = {};
    for (const a of (match[1] ?? '').matchAll(new RegExp(`(${NAME})="([^"]*)"`, 'g'))) {
      if (a[1] !== undefined && a[2] !== undefined) attributes[a[1]] = a[2];
    }
    found.push(attributes);
  }
  return found;
}
