/** Real y-websocket clients in Node (the stock WebsocketProvider) and small waiting helpers. */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { authHeaders, type Auth } from './accounts';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Plain text of the editor fragment (all text nodes, in order). */
  text(): string;
  destroy(): void;
}

/** A `ws` WebSocket class that sends these credentials on the upgrade (as a script with a token would). */
export function authenticatedWebSocket(auth: Auth | undefined): typeof WebSocket {
  const headers = authHeaders(auth);
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as typeof WebSocket;
}

/**
 * A stock WebsocketProvider client of `target`'s collaboration endpoint, with the owner's token
 * unless `auth` says otherwise.
 */
export function connectClient(
  target: { collabUrl: string; owner: { auth: Auth } },
  docId: string,
  options: { connect?: boolean; auth?: Auth } = {},
): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(target.collabUrl, docId, doc, {
    WebSocketPolyfill: authenticatedWebSocket(options.auth ?? target.owner.auth) as unknown as typeof globalThis.WebSocket,
    connect: options.connect ?? true,
    // Tests restart servers; don't wait the default 2.5 s between attempts.
    maxBackoffTime: 300,
    // Node 20 has a real BroadcastChannel: without this, clients in one process would sync with
    // each other directly and a test would pass even if the server relayed nothing.
    disableBc: true,
  });
  return {
    doc,
    provider,
    text: () => fragmentText(doc),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Concatenated text of every Y.XmlText under the 'default' fragment, paragraphs joined by \n. */
export function fragmentText(doc: Y.Doc): string {
  const parts: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText): void => {
    if (node instanceof Y.XmlText) parts.push(node.toString().replace(/<[^>]*>/g, ''));
    // Only XML types hold editor text; a crafted client can put other shared types in the fragment.
    else if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) for (const child of node.toArray()) walk(child as Y.XmlElement | Y.XmlText);
  };
  const paragraphs = doc.getXmlFragment('default').toArray();
  return paragraphs
    .map((p) => {
      parts.length = 0;
      walk(p as Y.XmlElement | Y.XmlText);
      return parts.join('');
    })
    .join('\n');
}

export function waitForSync(client: TestClient, timeoutMs = 10_000): Promise<void> {
  return waitFor(() => client.provider.synced, timeoutMs, 'client to sync');
}

/** Polls `condition` until it holds; fails with `what` after the timeout. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Appends a paragraph holding `text` to the editor fragment, as an editor would. */
export function appendParagraph(doc: Y.Doc, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph');
  const xmlText = new Y.XmlText();
  paragraph.insert(0, [xmlText]);
  xmlText.insert(0, text);
  doc.getXmlFragment('default').push([paragraph]);
  return xmlText;
}

/** Loads what the server stored for a document into a fresh Y.Doc (snapshot + updates). */
export function docFromStored(content: { snapshot: Uint8Array | null; updates: Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc();
  if (content.snapshot) Y.applyUpdate(doc, content.snapshot);
  for (const update of content.updates) Y.applyUpdate(doc, update);
  return doc;
}
