import type { Category } from '../model/schema.js';

/**
 * A column, list or status name of another tracker (Trello lists, Jira and Linear
 * statuses) as a Tack state: the name made a slug, the category guessed from the words.
 */
const CATEGORY_BY_NAME: Array<[RegExp, Category]> = [
  [/won.?t|cancel|reject|abandon/i, 'canceled'],
  [/done|complete|finish|shipped|closed|released/i, 'completed'],
  [/doing|progress|review|testing|active|started|wip/i, 'started'],
  [/backlog|icebox|someday|ideas?$|later/i, 'backlog'],
];

/** A list name as a state name: lower case, runs of other characters as `-`. */
export function listState(name: string): { name: string; category: Category } {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'list';
  return { name: slug, category: CATEGORY_BY_NAME.find(([re]) => re.test(name))?.[1] ?? 'unstarted' };
}
