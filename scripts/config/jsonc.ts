import { findNodeAtLocation, parse, parseTree, printParseErrorCode, stripComments, visit, type Node, type ParseError } from 'jsonc-parser';

/**
 * JSON with comments and trailing commas, as editors write it. Syntax problems are reported with
 * FILE:LINE:COL (1-based, as editors count) and never quote the offending text: it may be a PIN.
 */

export type JsoncResult =
  { ok: true; value: unknown; locate: (path: readonly PropertyKey[], at: 'key' | 'value') => string | undefined } | { ok: false; problems: string[] };

const OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/** Readable text and a fix per jsonc-parser error name (the enum is const, so names are the stable handle). */
const SYNTAX: Record<string, [string, string]> = {
  InvalidSymbol: ['unexpected character', 'check for a missing quote or a stray character (JSON needs double quotes, not single)'],
  InvalidNumberFormat: ['invalid number', 'write numbers as plain digits (no leading zeros, no "+"); quote identifiers and PINs'],
  PropertyNameExpected: ['expected a property name', 'put the key in double quotes, e.g. "bank"'],
  ValueExpected: ['expected a value', 'add the value, or remove the dangling key or comma'],
  ColonExpected: ['expected ":" after the property name', 'write "key": value'],
  CommaExpected: ['expected a comma', 'separate entries with ","'],
  CloseBraceExpected: ['expected "}"', 'close the object with "}"'],
  CloseBracketExpected: ['expected "]"', 'close the list with "]"'],
  EndOfFileExpected: ['unexpected content after the end of the configuration', 'remove what follows the final "}" (a config is one JSON object)'],
  InvalidCommentToken: ['invalid comment', 'use // line comments or /* block comments */'],
  UnexpectedEndOfComment: ['unterminated block comment', 'close it with */'],
  UnexpectedEndOfString: ['unterminated string', 'add the closing double quote'],
  UnexpectedEndOfNumber: ['incomplete number', 'complete the number'],
  InvalidUnicode: ['invalid \\u escape', 'use four hex digits, e.g. \\u00e9'],
  InvalidEscapeCharacter: ['invalid escape', 'escape only \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX'],
  InvalidCharacter: ['invalid character in a string', 'escape control characters (a line break inside a string is \\n)'],
};

export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

export function parseJsonc(text: string, file: string): JsoncResult {
  const where = (offset: number): string => {
    const { line, column } = lineCol(text, offset);
    return `${file}:${line}:${column}`;
  };
  if (stripComments(text).trim() === '') {
    return { ok: false, problems: [`config file ${file} is empty. Fix: run \`bankcert init\` to write a starter config, or copy one in.`] };
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, OPTIONS);
  if (errors.length > 0) {
    return {
      ok: false,
      problems: errors.map((e) => {
        const name = printParseErrorCode(e.error);
        const [what, fix] = SYNTAX[name] ?? [name, 'check the JSON syntax'];
        return `${where(e.offset)}: syntax error: ${what}. Fix: ${fix}`;
      }),
    };
  }
  const duplicates = duplicateKeys(text, where);
  if (duplicates.length > 0) return { ok: false, problems: duplicates };

  const tree = parseTree(text, [], OPTIONS);
  const locate = (path: readonly PropertyKey[], at: 'key' | 'value'): string | undefined => {
    if (tree === undefined) return undefined;
    // A missing field has no node: point at the nearest enclosing one that exists.
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(
        tree,
        path.slice(0, n).map((k) => (typeof k === 'number' ? k : String(k))),
      );
      if (node === undefined) continue;
      const keyNode: Node | undefined = at === 'key' && n === path.length ? node.parent?.children?.[0] : undefined;
      return where((keyNode ?? node).offset);
    }
    return undefined;
  };
  return { ok: true, value, locate };
}

/** JSON keeps only the last of two equal keys; in a config that silently drops a setting. */
function duplicateKeys(text: string, where: (offset: number) => string): string[] {
  const problems: string[] = [];
  const stack: Set<string>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        stack.push(new Set());
      },
      onObjectEnd: () => {
        stack.pop();
      },
      onObjectProperty: (property, offset, _length, _line, _col, pathSupplier) => {
        const keys = stack[stack.length - 1];
        if (keys === undefined) return;
        if (keys.has(property)) {
          const parent = pathSupplier().join('.');
          problems.push(`${where(offset)}: duplicate key "${property}"${parent ? ` in ${parent}` : ''}: JSON keeps only the last one. Fix: remove one of them`);
        }
        keys.add(property);
      },
    },
    OPTIONS,
  );
  return problems;
}
