/** Human renderers for the history commands, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {};
