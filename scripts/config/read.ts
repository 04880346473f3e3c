import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from './errors.ts';
import { describeIssues } from './issues.ts';
import { parseJsonc } from './jsonc.ts';
import { ConfigSchema, type Config } from './schema.ts';

const INIT_HINT = 'check the path, or run `bankcert init` to write a starter config.';

/**
 * Reads, parses and validates a config file. TLS file paths come back absolute (resolved against
 * the config file's directory, so a config works from any working directory) and are checked
 * readable now rather than when k6 is already running.
 */
export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read config ${path}: ${fsReason(error)}. Fix: ${INIT_HINT}`], { cause: error, file: path });
  }
  const config = parseConfigText(text, path);
  return resolveTlsFiles(config, dirname(resolve(path)), path);
}

/** Parses and validates config text; `file` only labels the messages. Paths are left as written. */
export function parseConfigText(text: string, file: string): Config {
  // Windows editors may save a BOM, which JSON does not allow.
  const parsed = parseJsonc(text.replace(/^\uFEFF/, ''), file);
  if (!parsed.ok) throw new ConfigError(parsed.problems, { file });
  const result = ConfigSchema.safeParse(parsed.value);
  if (!result.success) throw new ConfigError(describeIssues(result.error.issues, parsed.value, parsed.locate), { cause: result.error, file });
  return result.data;
}

const TLS_FILES = ['caFile', 'certFile', 'keyFile'] as const;

function resolveTlsFiles(config: Config, baseDir: string, file: string): Config {
  const tls = config.target.tls;
  if (tls === undefined) return config;
  const problems: string[] = [];
  const resolved = { ...tls };
  for (const key of TLS_FILES) {
    const given = tls[key];
    if (given === undefined) continue;
    const absolute = isAbsolute(given) ? given : resolve(baseDir, given);
    resolved[key] = absolute;
    const problem = pemProblem(absolute);
    if (problem !== undefined) {
      const relative = isAbsolute(given) ? '' : ` (relative paths are resolved against ${baseDir})`;
      problems.push(`config target.tls.${key}: cannot use ${JSON.stringify(absolute)}: ${problem}. Fix: check the path${relative}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, { file });
  return { ...config, target: { ...config.target, tls: resolved } };
}

/** k6 (Go) takes PEM only; a DER file or a directory fails much later with a vaguer message. */
function pemProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'it is not a file';
    // Only the marker is inspected; the content (possibly a private key) is never printed.
    if (!readFileSync(path, 'latin1').includes('-----BEGIN ')) return 'it is not a PEM file (no "-----BEGIN" line)';
    return undefined;
  } catch (error) {
    return fsReason(error);
  }
}

function fsReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? (error as NodeJS.ErrnoException).code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
