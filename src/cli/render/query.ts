/** Human renderers for the query commands, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {};
