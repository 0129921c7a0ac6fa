import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { listRefs, readRef } from '../git/refs.js';
import { planRef, type Store } from '../store/store.js';

export const branchNameArg = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit')
  .describe('plan branch name');

export interface PlanBranch {
  name: string;
  ref: string;
  head: string;
}

/** The base store (never a plan): plan branches hang off it. */
export function baseStore(store: Store): Store {
  if (store.mode === 'inline') {
    throw new TackError(
      'invalid_input',
      'inline stores live on your git branches, so plans are git branches; expected a branch-mode store (tack init)',
    );
  }
  if (store.plan) {
    throw new TackError(
      'invalid_input',
      `--branch ${store.plan}: plan branches are managed from the main store; run \`tack branch\` without --branch`,
      { branch: store.plan },
    );
  }
  return store;
}

export function listPlans(store: Store): PlanBranch[] {
  const prefix = `${store.ref}-`;
  return listRefs(store.repo, `${prefix}*`).map((r) => ({
    name: r.name.slice(prefix.length),
    ref: r.name,
    head: r.sha,
  }));
}

export function requirePlan(store: Store, name: string): PlanBranch {
  const ref = planRef(store.ref, name);
  const head = readRef(store.repo, ref);
  if (!head) {
    const names = listPlans(store).map((p) => p.name);
    throw new TackError(
      'not_found',
      `no plan branch "${name}"; expected one of: ${names.join(', ') || '(none; make one with `tack branch create NAME`)'}`,
      { branch: name },
    );
  }
  return { name, ref, head };
}
