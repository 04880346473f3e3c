import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

/**
 * JSON Schema of what a user writes (io "input": defaults are optional and shown as `default`),
 * for editor completion and validation. Cross-field rules (min < max, distinct accounts, ...)
 * cannot be expressed there; bankcert itself still enforces them.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    title: 'bankcert configuration',
    description:
      'Configuration of bankcert, the certification harness for Clickatell Bank Interfaces (reserveFunds, transactResult). Secrets never go in this file: authCodes are test PINs, the signing secret comes from the environment variable named by signing.secretEnv.',
  };
}
