import { z } from 'zod';
import { parseYamlFile } from '../model/boundedYaml.js';
import { treePaths } from '../index/docVersions.js';
import { storeHead } from '../store/store.js';
import { readStoreFile } from '../store/storeReader.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { nameOfViewPath, VIEWS_DIR } from './viewShared.js';

export interface SavedView {
  name: string;
  path: string;
  description: string | null;
  filters: Record<string, string>;
  /** Set when the file is not a readable view; it is listed so it can be fixed or deleted. */
  problem?: string;
}

export default defineOp({
  name: 'view-list',
  summary: 'The saved views (views/*.yaml in the store) and their filters',
  kind: 'read',
  input: z.object({}),
  output: lazyShape(() =>
    z.array(
      z.strictObject({
        name: z.string(),
        path: z.string(),
        description: z.string().nullable(),
        filters: z.record(z.string(), z.string()),
        problem: z.string().optional(),
      }),
    ),
  ),
  async run(ctx) {
    const store = ctx.store();
    const db = (await ctx.index()).db;
    const head = storeHead(store);
    if (!head) return [];
    return treePaths(db, VIEWS_DIR)
      .filter((p) => p.endsWith('.yaml'))
      .map((path): SavedView => {
        const name = nameOfViewPath(path);
        try {
          const v = parseYamlFile(readStoreFile(store, head, path) ?? '', `${store.prefix}${path}`) as {
            description?: unknown;
            filters?: unknown;
          } | null;
          const filters =
            v && typeof v.filters === 'object' && v.filters && !Array.isArray(v.filters)
              ? (v.filters as SavedView['filters'])
              : {};
          return { name, path, description: typeof v?.description === 'string' ? v.description : null, filters };
        } catch (e) {
          return { name, path, description: null, filters: {}, problem: (e as Error).message };
        }
      });
  },
});
