import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // Mirrors esbuild's "text" loader for templates so tests import exactly what the bundle does.
      name: 'hbs-as-text',
      load(id) {
        if (!id.endsWith('.hbs')) return null;
        return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts', 'checks/**/*.test.ts', 'scripts/**/*.test.ts', 'reports/**/*.test.ts', 'reference-bank/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    // One file at a time: end-to-end files run k6, a bank and the CLI on a 2-core machine, and load
    // figures must not be distorted by another file's traffic.
    fileParallelism: false,
    hookTimeout: 900_000,
  },
});
