import type { Schema } from './schema.js';
import { type RawSchema, schemaFail } from './schemaFail.js';

/** A gate either refuses the change it guards or allows it. */
export type GateMode = 'refuse' | 'allow';

/**
 * Rules enforced on every surface (they live in the one write path, ops/mutate):
 * selfReview: nobody approves or rejects work they submitted themselves;
 * selfAnswer: nobody answers the question they asked themselves;
 * completeBy: who may move a ticket to a completed state (`human`: no agent may);
 * agentTicketsStartIn: the state an agent's new ticket must start in, and which only a
 * human moves a ticket out of (null: no such rule);
 * criteriaBefore: a state no ticket enters without acceptance criteria, nor any state of a
 * later category but canceled (null: no such rule).
 */
export interface Gates {
  selfReview: GateMode;
  selfAnswer: GateMode;
  completeBy: 'anyone' | 'human';
  agentTicketsStartIn: string | null;
  criteriaBefore: string | null;
}

/**
 * The two self-rules are on unless schema.yaml says `allow` (a store made before gates is
 * governed too); the rules on agents are off until a schema asks for them.
 */
export const DEFAULT_GATES: Gates = {
  selfReview: 'refuse',
  selfAnswer: 'refuse',
  completeBy: 'anyone',
  agentTicketsStartIn: null,
  criteriaBefore: null,
};

const GATE_KEYS: Record<string, 'selfReview' | 'selfAnswer'> = { self_review: 'selfReview', self_answer: 'selfAnswer' };
const GATE_RULES = [...Object.keys(GATE_KEYS), 'complete_by', 'agent_tickets_start_in', 'criteria_before'];
/** The gates whose setting is a state of the schema, or `any` for off. */
const STATE_GATES: Record<string, 'agentTicketsStartIn' | 'criteriaBefore'> = {
  agent_tickets_start_in: 'agentTicketsStartIn',
  criteria_before: 'criteriaBefore',
};

export function parseGates(r: RawSchema, states: string[]): Gates {
  const v = r.gates ?? {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    schemaFail(`"gates" must be a map of rule → setting; received ${JSON.stringify(v)}`);
  const gates = { ...DEFAULT_GATES };
  for (const [key, mode] of Object.entries(v as RawSchema)) {
    if (key === 'complete_by') {
      if (mode !== 'anyone' && mode !== 'human')
        schemaFail(`gate "complete_by" is ${JSON.stringify(mode)}; expected anyone or human`);
      gates.completeBy = mode;
      continue;
    }
    const stateGate = Object.hasOwn(STATE_GATES, key) ? STATE_GATES[key] : undefined;
    if (stateGate) {
      if (mode === null || mode === 'any') gates[stateGate] = null;
      else if (typeof mode === 'string' && states.includes(mode)) gates[stateGate] = mode;
      else schemaFail(`gate "${key}" is ${JSON.stringify(mode)}; expected a state (${states.join(', ')}) or any`);
      continue;
    }
    const name = Object.hasOwn(GATE_KEYS, key) ? GATE_KEYS[key] : undefined;
    if (!name) schemaFail(`"gates" has an unknown rule "${key}"; expected one of: ${GATE_RULES.join(', ')}`);
    if (mode !== 'refuse' && mode !== 'allow')
      schemaFail(`gate "${key}" is ${JSON.stringify(mode)}; expected refuse or allow`);
    gates[name] = mode;
  }
  return gates;
}

/** The gates of a schema (an index written before gates existed has none: all on). */
export function gatesOf(schema: Schema): Gates {
  return { ...DEFAULT_GATES, ...schema.gates };
}
