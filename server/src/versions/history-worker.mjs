// Opening and comparing versions, on a worker thread so long papers never stall the editing loop.
// Plain JavaScript: Node 20 worker threads cannot load TypeScript through tsx.
//
// Jobs (postMessage { jobId, kind, ... }):
//   content: { state }                       → { json }   ProseMirror JSON of the content fragment
//   compare: { older, newer, people, clients, deletions }
//            people: user ids; clients: [clientId, person index][]; deletions: Float64Array of
//            (clientId, clock, length, person index) × n
//            → { blocks, summary }            see shared/api/versions.ts (people as user ids)
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

const CONTENT_FRAGMENT = 'default';

/** Whether an item exists and is not deleted in a snapshot (Yjs does not export its own). */
function visibleIn(item, snapshot) {
  return item.id.clock < (snapshot.sv.get(item.id.client) ?? 0) && !Y.isDeleted(snapshot.ds, item.id);
}

/** Children of a type including deleted ones, in document order (toArray() skips deleted). */
function* items(type) {
  for (let item = type._start; item !== null; item = item.right) yield item;
}

/** Elements that contain blocks rather than text. */
const CONTAINERS = new Set(['bulletList', 'orderedList', 'listItem', 'blockquote', 'table', 'tableRow', 'tableCell', 'tableHeader']);

function compare({ older, newer, people, clients, deletions }) {
  const doc = new Y.Doc({ gc: false });
  // Older first: its content for what was deleted since is kept (gc off) when the newer state arrives.
  Y.applyUpdate(doc, older);
  Y.applyUpdate(doc, newer);
  const snapshotOf = (state) => {
    const d = new Y.Doc({ gc: false });
    Y.applyUpdate(d, state);
    const s = Y.snapshot(d);
    d.destroy();
    return s;
  };
  const before = snapshotOf(older);
  const after = snapshotOf(newer);
  const authorOf = new Map(clients.map(([clientId, person]) => [clientId, people[person]]));
  // Deletion ranges per client, sorted by clock, to find who deleted an item by binary search.
  const deletedBy = new Map();
  for (let i = 0; i < deletions.length; i += 4) {
    const clientId = deletions[i];
    if (!deletedBy.has(clientId)) deletedBy.set(clientId, []);
    deletedBy.get(clientId).push({ clock: deletions[i + 1], length: deletions[i + 2], userId: people[deletions[i + 3]] });
  }
  for (const ranges of deletedBy.values()) ranges.sort((a, b) => a.clock - b.clock);
  const deleterOf = (id) => {
    const ranges = deletedBy.get(id.client);
    if (!ranges) return null;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = ranges[middle];
      if (id.clock < range.clock) high = middle - 1;
      else if (id.clock >= range.clock + range.length) low = middle + 1;
      else return range.userId;
    }
    return null;
  };
  const changeOf = (item) => {
    const was = visibleIn(item, before);
    const is = visibleIn(item, after);
    if (was && is) return 'same';
    if (is) return 'inserted';
    if (was) return 'deleted';
    return null;
  };
  const byOf = (item, change) => (change === 'inserted' ? authorOf.get(item.id.client) ?? null : change === 'deleted' ? deleterOf(item.id) : null);

  const blocks = [];
  const words = new Map();
  const countWords = (userId, change, text) => {
    const n = (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
    if (n === 0 || change === 'same') return;
    const entry = words.get(userId) ?? { wordsAdded: 0, wordsRemoved: 0 };
    if (change === 'inserted') entry.wordsAdded += n;
    else entry.wordsRemoved += n;
    words.set(userId, entry);
  };

  /**
   * Text runs of a text block: its text and inline elements (footnotes). Deleting a block deletes
   * its children too, so each item's own change is the right one inside new or removed blocks.
   */
  const runsOf = (element) => {
    const runs = [];
    const push = (text, change, by) => {
      if (text === '') return;
      const last = runs[runs.length - 1];
      if (last && last.change === change && last.by === by) last.text += text;
      else runs.push({ text, change, by });
      countWords(by, change, text);
    };
    for (const child of items(element)) {
      const childChange = changeOf(child);
      if (childChange === null || !(child.content instanceof Y.ContentType)) continue;
      const type = child.content.type;
      if (type instanceof Y.XmlText) {
        for (const item of items(type)) {
          const change = item.content instanceof Y.ContentString ? changeOf(item) : null;
          if (change !== null) push(item.content.str, change, byOf(item, change));
        }
      } else if (type instanceof Y.XmlElement) {
        const note = type.getAttribute('note');
        if (typeof note === 'string') push(`[${note}]`, childChange, byOf(child, childChange));
      }
    }
    return runs;
  };

  const walk = (type, path) => {
    for (const item of items(type)) {
      if (!(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) continue;
      const change = changeOf(item);
      if (change === null) continue;
      const element = item.content.type;
      if (CONTAINERS.has(element.nodeName)) {
        walk(element, [...path, element.nodeName]);
        continue;
      }
      const runs = runsOf(element);
      const level = Number(element.getAttribute('level'));
      blocks.push({
        type: element.nodeName,
        level: Number.isInteger(level) && level > 0 ? level : null,
        path,
        change: change === 'same' && runs.some((run) => run.change !== 'same') ? 'changed' : change,
        runs,
      });
    }
  };
  walk(doc.getXmlFragment(CONTENT_FRAGMENT), []);
  doc.destroy();
  const summary = [...words].map(([userId, counts]) => ({ userId, ...counts })).sort((a, b) => b.wordsAdded + b.wordsRemoved - (a.wordsAdded + a.wordsRemoved));
  return { blocks, summary };
}

function content({ state }) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(CONTENT_FRAGMENT));
  doc.destroy();
  return { json };
}

parentPort.on('message', (job) => {
  try {
    const result = job.kind === 'compare' ? compare(job) : content(job);
    parentPort.postMessage({ jobId: job.jobId, result });
  } catch (error) {
    parentPort.postMessage({ jobId: job.jobId, error: error instanceof Error ? error.message : String(error) });
  }
});
