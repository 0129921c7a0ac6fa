// Actions the open page offers to the command palette (the ticket page: set status, priority...).
export interface PageAction {
  key: string;
  label: string;
  run: () => void;
}

let actions: PageAction[] = [];

export function setPageActions(a: PageAction[]): () => void {
  actions = a;
  return () => {
    if (actions === a) actions = [];
  };
}

export const pageActions = (): PageAction[] => actions;
