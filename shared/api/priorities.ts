import { z } from 'zod';
import { ParagraphId } from './sources';

/**
 * Priority rounds on a source paper: a co-chair opens a round ("indicate up to 12 proposals"),
 * each eligible person marks paragraphs (proposals) of the source, and once the round has closed
 * a tally lists the proposals by number of indications, grouped the way the group's own annex
 * does ("Proposals that received 6 indications"), ready to insert into a draft as a table.
 *
 * Eligible: co-chairs, members and the secretariat; observers too when the round says so.
 * Routes (errors as the rest of the API):
 * - POST /api/sources/:id/rounds (resolve: co-chairs) CreateRoundRequest → 201 RoundView
 * - GET  /api/sources/:id/rounds (read) → ListRoundsResponse, newest first
 * - PUT  /api/sources/:id/rounds/:roundId/indications (eligible, while open) IndicateRequest →
 *   200 RoundView. Replaces the person's whole indication: at most `maxChoices` distinct
 *   paragraphs of the source (400 otherwise); 409 `round_closed` once closed; 403 when not eligible.
 * - POST /api/sources/:id/rounds/:roundId/close (resolve) → 200 RoundView
 * - GET  /api/sources/:id/rounds/:roundId/tally (read) → Tally; 409 `round_open` until it closes.
 *   In a secret round the tally has counts only, never who indicated what.
 */

export const ROUND_TITLE_MAX_LENGTH = 200;
export const MAX_CHOICES_LIMIT = 100;

export const RoundId = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'not a round id');

export const CreateRoundRequest = z
  .object({
    title: z.string().trim().min(1, 'title must not be empty').max(ROUND_TITLE_MAX_LENGTH, `title must be at most ${ROUND_TITLE_MAX_LENGTH} characters`),
    maxChoices: z.number().int('maxChoices must be a whole number').min(1, 'maxChoices must be at least 1').max(MAX_CHOICES_LIMIT, `maxChoices must be at most ${MAX_CHOICES_LIMIT}`),
    /** ISO 8601; must be in the future. Without it the round stays open until a co-chair closes it. */
    closesAt: z.iso.datetime({ offset: true, error: 'closesAt must be an ISO 8601 date and time' }).optional(),
    includeObservers: z.boolean().default(false),
    secret: z.boolean().default(false),
  })
  .strict();
export type CreateRoundRequest = z.input<typeof CreateRoundRequest>;

export const IndicateRequest = z
  .object({ pids: z.array(ParagraphId).max(MAX_CHOICES_LIMIT, `at most ${MAX_CHOICES_LIMIT} paragraphs`) })
  .strict();
export type IndicateRequest = z.input<typeof IndicateRequest>;

export const RoundView = z.object({
  id: RoundId,
  sourceId: z.string(),
  title: z.string(),
  maxChoices: z.number().int(),
  closesAt: z.string().nullable(),
  includeObservers: z.boolean(),
  secret: z.boolean(),
  status: z.enum(['open', 'closed']),
  createdBy: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** How many people have indicated so far. */
  participants: z.number().int(),
  /** Whether the person asking may indicate in this round. */
  eligible: z.boolean(),
  /** The paragraphs the person asking indicated (empty if none or not eligible). */
  mine: z.array(z.string()),
});
export type RoundView = z.infer<typeof RoundView>;

export const ListRoundsResponse = z.object({ rounds: z.array(RoundView) });
export type ListRoundsResponse = z.infer<typeof ListRoundsResponse>;

export const TallyProposal = z.object({
  pid: z.string(),
  label: z.string(),
  /** The proposal's text ("V.4. On communication between different fora: …"). */
  text: z.string(),
  /** The heading it comes under ("V. Forging Links between Discussion and Decision-Making Bodies"), if any. */
  section: z.string().nullable(),
  /** Who indicated it, by name; null in a secret round. */
  indicatedBy: z.array(z.string()).nullable(),
});
export type TallyProposal = z.infer<typeof TallyProposal>;

export const Tally = z.object({
  roundId: z.string(),
  title: z.string(),
  sourceId: z.string(),
  citeAs: z.string(),
  closedAt: z.string(),
  /** People who indicated at least one proposal. */
  participants: z.number().int(),
  /** Most indications first; within a group, in the order of the source. Proposals nobody indicated are left out. */
  groups: z.array(z.object({ indications: z.number().int(), proposals: z.array(TallyProposal) })),
});
export type Tally = z.infer<typeof Tally>;
