import { createRequire } from 'node:module';

const req = createRequire(`${process.cwd()}/`);

/**
 * A Node built-in loaded on first use. Read commands must start almost as fast as bare
 * Node, and child_process or crypto cost milliseconds to load that a cached query never
 * needs.
 */
export function lazyBuiltin<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= req(name) as T);
}
