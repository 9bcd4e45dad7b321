import * as Y from 'yjs';
import type { CompareBlock, ContributionSummary, PersonRef, VersionSummary } from '../../../shared/api/index';
import { newId } from '../../../shared/protocol/index';
import { toPersonRef as person } from '../auth/index';
import { ApiError } from '../http/index';
import type { Store, VersionRecord } from '../store/index';
import type { RoomRegistry } from '../sync/index';
import { JobWorker } from '../workers/index';
import { transformContent } from './restore';

type HistoryJob =
  | { kind: 'content'; state: Uint8Array }
  | {
      kind: 'compare';
      older: Uint8Array;
      newer: Uint8Array;
      /** User ids; clients and deletions refer to them by index. */
      people: string[];
      clients: [number, number][];
      /** (clientId, clock, length, person index) × n */
      deletions: Float64Array;
    };

type WorkerRun = Omit<CompareBlock['runs'][number], 'by'> & { by: string | null };
type WorkerComparison = {
  blocks: (Omit<CompareBlock, 'runs'> & { runs: WorkerRun[] })[];
  summary: { userId: string | null; wordsAdded: number; wordsRemoved: number }[];
};


export function toVersionSummary(version: VersionRecord): VersionSummary {
  return {
    id: version.id,
    documentId: version.documentId,
    kind: version.kind,
    name: version.name,
    note: version.note,
    meetingDate: version.meetingDate,
    createdAt: version.createdAt.toISOString(),
    createdBy: version.createdBy && person(version.createdBy),
    contributors: version.contributors.map(person),
  };
}

/**
 * A document's history: taking versions of its current state, opening one, comparing two (with
 * who inserted and deleted what) and restoring one. Opening and comparing run on a worker
 * thread, so a long paper never holds up the editing of others.
 */
export class VersionHistory {
  private readonly worker: JobWorker<HistoryJob, unknown>;

  constructor(
    private readonly store: Store,
    private readonly registry: RoomRegistry,
    onWorkerLog: (message: string) => void,
  ) {
    this.worker = new JobWorker(new URL('./history-worker.mjs', import.meta.url), { onLog: onWorkerLog });
  }

  /** Stores the document's current state as a version (flushing what an open room holds first). */
  async take(
    documentId: string,
    version: { kind: 'named' | 'checkpoint'; name: string; note?: string; meetingDate?: string | null; createdById: string | null },
  ): Promise<VersionRecord> {
    const state = await this.currentState(documentId);
    const document = await this.store.getDocument(documentId);
    if (!document) throw new ApiError(404, 'not_found', 'no such document');
    return this.store.createVersion({
      id: newId(),
      documentId,
      kind: version.kind,
      name: version.name,
      note: version.note ?? '',
      meetingDate: version.meetingDate ?? null,
      title: document.title,
      state,
      createdById: version.createdById,
    });
  }

  async content(documentId: string, versionId: string): Promise<{ record: VersionRecord; json: Record<string, unknown> }> {
    const version = await this.findVersion(documentId, versionId);
    const { json } = (await this.worker.run({ kind: 'content', state: version.state })) as { json: Record<string, unknown> };
    return { record: version.record, json };
  }

  /** Compares two versions (`to` null: the current state), older to newer whichever way they are given. */
  async compare(
    documentId: string,
    fromId: string,
    toId: string | null,
  ): Promise<{ from: VersionRecord; to: VersionRecord | null; blocks: CompareBlock[]; summary: ContributionSummary[] }> {
    const from = await this.findVersion(documentId, fromId);
    const to = toId === null ? null : await this.findVersion(documentId, toId);
    const toState = to ? to.state : await this.currentState(documentId);
    const fromIsOlder = to === null || from.record.createdAt <= to.record.createdAt;
    const [older, newer] = fromIsOlder ? [from.record, to?.record ?? null] : [to!.record, from.record];
    // Only deletions made between the two can have removed something the older one shows.
    const attribution = await this.store.loadAttribution(documentId, {
      afterDeletion: older.deletionMark,
      uptoDeletion: newer?.deletionMark ?? null,
    });
    const people = [...new Set([...attribution.clients.map((c) => c.userId), ...attribution.deletions.map((d) => d.userId)])];
    const personIndex = new Map(people.map((id, index) => [id, index]));
    // Packed into one transferable array: handing the worker tens of thousands of objects took a
    // noticeable slice of the editing loop.
    const deletions = new Float64Array(attribution.deletions.length * 4);
    attribution.deletions.forEach((d, i) => deletions.set([d.clientId, d.clock, d.length, personIndex.get(d.userId)!], i * 4));
    const result = (await this.worker.run(
      {
        kind: 'compare',
        older: fromIsOlder ? from.state : toState,
        newer: fromIsOlder ? toState : from.state,
        people,
        clients: attribution.clients.map((c) => [c.clientId, personIndex.get(c.userId)!]),
        deletions,
      },
      [deletions.buffer],
    )) as WorkerComparison;
    const refs = await this.people(people);
    const ref = (id: string | null) => (id === null ? null : refs.get(id) ?? null);
    return {
      from: older,
      to: newer,
      blocks: result.blocks.map((block) => ({ ...block, runs: block.runs.map((run) => ({ ...run, by: ref(run.by) })) })),
      summary: result.summary.map((entry) => ({ person: ref(entry.userId), wordsAdded: entry.wordsAdded, wordsRemoved: entry.wordsRemoved })),
    };
  }

  /**
   * Makes a version's content the current content, as a normal edit by `userId` that everyone
   * sees live, after a checkpoint of the state before (so the restore can itself be undone).
   */
  async restore(documentId: string, versionId: string, userId: string): Promise<VersionRecord> {
    const version = await this.findVersion(documentId, versionId);
    return this.registry.withRoom(documentId, async (room) => {
      const label = version.record.name || `the checkpoint of ${version.record.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      const checkpoint = await this.take(documentId, { kind: 'checkpoint', name: `Before restoring ${label}`, createdById: userId });
      const source = new Y.Doc();
      Y.applyUpdate(source, version.state);
      room.changeAs({ userId }, (doc) => transformContent(doc, source));
      source.destroy();
      await room.flush();
      if (room.hasUnstoredChanges) throw new ApiError(503, 'store_unavailable', 'the restored content could not be saved yet; it will be retried');
      return checkpoint;
    });
  }

  close(): Promise<void> {
    return this.worker.stop();
  }

  private async findVersion(documentId: string, versionId: string) {
    const version = await this.store.getVersion(documentId, versionId);
    if (!version) throw new ApiError(404, 'not_found', 'no such version of this document');
    return version;
  }

  private async currentState(documentId: string): Promise<Uint8Array> {
    const room = this.registry.peek(documentId);
    if (room) {
      await room.flush();
      if (room.hasUnstoredChanges) throw new ApiError(503, 'store_unavailable', 'recent changes are not saved yet; try again shortly');
      return Y.encodeStateAsUpdate(room.doc);
    }
    const content = await this.store.loadContent(documentId);
    return Y.mergeUpdates([...(content.snapshot ? [content.snapshot] : []), ...content.updates]);
  }

  private async people(ids: (string | null)[]): Promise<Map<string, PersonRef>> {
    const people = new Map<string, PersonRef>();
    for (const id of new Set(ids)) {
      if (id === null) continue;
      const user = await this.store.getUser(id);
      if (user) people.set(id, person(user));
    }
    return people;
  }
}
