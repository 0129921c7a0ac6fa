/** Human renderers for the admin commands, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {};
