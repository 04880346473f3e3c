import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { configJsonSchema } from '../config/json-schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { usageError } from '../util/errors.ts';

/** `bankcert init`: a starter config that certifies the reference bank as is, plus its JSON Schema for editors. */
function initConfig(opts: { output: string; force?: boolean }, print: (line: string) => void): void {
  const path = resolve(opts.output);
  if (existsSync(path) && !opts.force) throw usageError(`${opts.output} already exists`, ['Use --force to overwrite it, or --output to write elsewhere.']);
  const schemaPath = join(dirname(path), 'bankcert.config.schema.json');
  try {
    writeFileSync(path, starterConfigText());
    writeFileSync(schemaPath, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  } catch (err) {
    // The user's path, not a bug: one line naming the option (exit 2).
    throw usageError(
      `--output ${opts.output}: cannot write it: ${(err as Error).message}`,
      ['Give a file in a folder that exists and that you can write.'],
      err,
    );
  }
  print(`wrote ${opts.output} and ${schemaPath}`);
  print('next: edit target.baseUrl, limits and the fixture accounts for your bank, then run');
  print(`  bankcert certify --config ${opts.output} --out bankcert-report`);
  print('try it first against the reference bank: `bankcert bank` in one terminal, the command above in another.');
}

export function register(program: Command): void {
  program
    .command('init')
    .description('write a commented starter config (and its JSON Schema) for the reference bank, to edit for your bank')
    .option('-o, --output <file>', 'config file to write', 'bankcert.config.json')
    .option('--force', 'overwrite an existing file')
    .action((opts: { output: string; force?: boolean }) => {
      initConfig(opts, (l) => process.stdout.write(`${l}\n`));
    });
}
