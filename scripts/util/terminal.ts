import { checkById } from '../../checks/catalogue.ts';
import type { Observation } from '../../checks/events.ts';
import { Scrubber } from './scrub.ts';

/** Where progress goes: the terminal for the CLI, a buffer in tests. Every line is scrubbed of secrets. */
export interface Ui {
  info(line: string): void;
  warn(line: string): void;
  verbose: boolean;
  scrubber: Scrubber;
}

const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '-', inconclusive: '?' } as const;

export function observationLine(observation: Observation): string {
  const def = checkById(observation.id);
  // As the verdict will show it: a SHOULD rule that fails is a warning, not a failure.
  const obs = observation.status === 'fail' && def.level !== 'MUST' ? { ...observation, status: 'warn' as const } : observation;
  const detail =
    obs.status === 'skip'
      ? `skipped: ${obs.reason ?? ''}`
      : obs.status === 'inconclusive'
        ? `${def.title}: inconclusive: ${obs.reason ?? obs.observed}`
        : obs.status === 'pass'
          ? def.title
          : `${def.title}: ${obs.observed}`;
  return `  ${MARK[obs.status]} ${obs.id.padEnd(17)} ${(obs.status === 'inconclusive' ? 'inc.' : obs.status).padEnd(4)}  ${detail}`;
}

export function consoleUi(verbose: boolean): Ui {
  const scrubber = new Scrubber();
  return {
    verbose,
    scrubber,
    info: (line) => process.stdout.write(`${scrubber.apply(line)}\n`),
    warn: (line) => process.stderr.write(`${scrubber.apply(line)}\n`),
  };
}
