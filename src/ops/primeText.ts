/** What `tack prime` knows; the text is made from it and kept under PRIME_LIMIT bytes. */
export interface PrimeLine {
  id: string;
  title: string;
  status: string;
  /** Said after the title: a claim's expiry, who answered or rejected. */
  note?: string;
}
export interface PrimeData {
  user: string;
  ready: PrimeLine[];
  mine: PrimeLine[];
  claims: PrimeLine[];
  waiting_on_me: PrimeLine[];
  /** Your question answered or your submission rejected since: read the ticket's comments. */
  responses?: PrimeLine[];
  /** Your live file reservations, as "pattern until time". */
  reserved?: string[];
  /** How many live reservations others hold (see `tack reservations`). */
  reserved_by_others?: number;
  /** The ready list is for every audience: nothing ready is marked audience=agent. */
  ready_all?: boolean;
}

export const PRIME_LIMIT = 2048;

const COMMANDS = [
  'tack ready --for agent        work you may start (--claim takes the top one)',
  'tack brief ID                 everything needed to do ID (markdown)',
  'tack claim ID / release ID    hold or let go of a ticket',
  'tack reserve PATH --ticket ID keep others off files you edit (--release)',
  'tack update ID -s in-progress start; tack comment ID "note" to record progress',
  'tack create "title" --discovered-from ID   file work you found',
  'tack ask ID "question"        stuck: the owner answers (tack answer)',
  'tack wait --answered ID       block until answered (or --reviewed ID, --ready) instead of polling',
  'tack submit ID --criteria "..." --instructions "..."   hand over for review',
  'tack show ID / list / search WORDS; add --json to any command',
  "tack sync                     publish your work, get others' (or: tack config agents.auto_sync true)",
];

function lines(title: string, items: PrimeLine[], max: number): string[] {
  if (items.length === 0) return [];
  const shown = items
    .slice(0, max)
    .map(
      (t) =>
        `- ${t.id} [${t.status}] ${t.title.length > 70 ? `${t.title.slice(0, 69)}…` : t.title}${t.note ? ` (${t.note})` : ''}`,
    );
  if (items.length > max) shown.push('- … and more');
  return [`## ${title}`, ...shown, ''];
}

function reservedLines(d: PrimeData, max: number): string[] {
  const mine = d.reserved ?? [];
  const others = d.reserved_by_others ?? 0;
  if (mine.length === 0 && others === 0) return [];
  const out = ['## Reserved files', ...mine.slice(0, max).map((r) => `- ${r}`)];
  if (mine.length > max) out.push('- … and more');
  if (others) out.push(`- ${others} reserved by others: \`tack reservations\``);
  return [...out, ''];
}

function render(d: PrimeData, max: number): string {
  return [
    `# Tack: issue tracker in git (you are ${d.user})`,
    '',
    ...lines('Answered or rejected: read its comments first', d.responses ?? [], max),
    ...lines('You hold (claimed)', d.claims, max),
    ...reservedLines(d, max),
    ...lines('Assigned to you', d.mine, max),
    ...lines('Waiting for your answer', d.waiting_on_me, max),
    ...(d.ready.length
      ? lines(d.ready_all ? 'Ready (none marked for agents: all audiences)' : 'Ready', d.ready, max)
      : ['## Ready', '- nothing ready', '']),
    '## Commands',
    ...COMMANDS,
    '',
  ].join('\n');
}

/** The orientation text, with shorter lists until it fits in PRIME_LIMIT bytes. */
export function primeText(d: PrimeData): string {
  for (let max = 5; max >= 0; max--) {
    const text = render(d, max);
    if (Buffer.byteLength(text) <= PRIME_LIMIT) return text;
  }
  return render({ ...d, ready: [], mine: [], claims: [], waiting_on_me: [], responses: [], reserved: [] }, 0).slice(
    0,
    PRIME_LIMIT,
  );
}
