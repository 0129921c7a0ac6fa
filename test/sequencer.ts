import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest test files first, from the times in test/durations.json (scripts/testDurations.mjs),
 * so that no long file starts last and runs alone at the end. vitest orders by its own cache
 * of past runs, which a fresh clone (CI) does not have: it then starts the largest files
 * first, and a short large file is no long one. Projects keep vitest's order (the isolated
 * end-to-end files, then the units that share processes); a file missing from the list
 * counts as one of a second.
 */
export class DurationSequencer extends BaseSequencer {
  private readonly times: Record<string, number> = JSON.parse(
    readFileSync(resolve(import.meta.dirname, 'durations.json'), 'utf8'),
  );

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const time = (s: TestSpecification) => this.times[relative(root, s.moduleId)] ?? 1;
    const group = (s: TestSpecification) => (s.project.config.isolate ? 0 : 1);
    return [...files].sort((a, b) => group(a) - group(b) || time(b) - time(a));
  }
}
