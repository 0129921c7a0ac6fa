import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { Comment } from '../model/comments.js';
import type { TicketFile } from '../model/ticketCodec.js';
import { idArg } from './ticketInput.js';

export const commentRef = {
  id: idArg,
  // Undescribed: every byte of a schema is paid for in each agent's context (MCP).
  comment: z.string().min(1),
};

/**
 * The live comment `cid` of a ticket, if `user` wrote it. Tack has no administrator who
 * may rewrite other people's words: an agent acting as itself cannot edit or delete
 * anyone else's comment, whatever flag it passes.
 */
export function ownComment(file: TicketFile, ticket: string, cid: string, user: string): Comment {
  const c = file.comments.find((x) => x.id === cid);
  if (!c || c.deleted !== undefined) {
    const ids = file.comments.filter((x) => x.deleted === undefined).map((x) => x.id);
    throw new TackError(
      'not_found',
      `${ticket} has no comment ${JSON.stringify(cid)}${c ? ' (it was deleted)' : ''}; expected one of: ${ids.join(', ') || '(none)'}`,
      { id: ticket, comment: cid },
    );
  }
  if (c.author !== user)
    throw new TackError(
      'forbidden',
      `comment ${cid} on ${ticket} was written by ${JSON.stringify(c.author)}, not by you (${JSON.stringify(user)}); only its author may change it`,
      { id: ticket, comment: cid, author: c.author, user },
    );
  return c;
}
