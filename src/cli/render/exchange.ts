/** Human output of `tack export`: the exported text itself (or where it was written). */
export const renderers: Record<string, (out: unknown) => string> = {
  export: (out) => {
    const o = out as { text?: string; message?: string };
    return typeof o.text === 'string' ? o.text.replace(/\n$/, '') : String(o.message ?? '');
  },
};
