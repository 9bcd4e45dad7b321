import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import { ApiError } from '../http/index';

/**
 * The body of an upload (POST /api/documents/import, /api/sources/import, /api/sources/:id/reimport),
 * spooled to a temporary file instead of parsed on the main thread: a 10 MiB file is 14 MB of JSON,
 * and `JSON.parse` of it (plus decoding it to a string, plus handing that string to the conversion
 * process) held up every document's editing for tenths of a second. The conversion process reads
 * the file and parses it there.
 *
 * While the body streams in, a small scanner (JsonFieldScanner) reads the JSON's top-level fields
 * as they pass, chunk by chunk, capturing every value but `content`'s, whose string it only skips
 * (memchr for quotes and backslashes). So the route can validate the request and check access
 * before any conversion, with the shared zod schemas, on `fields`, where `content` is a placeholder
 * of the same kind: 'x' for a non-empty string, '' for an empty one, the value itself otherwise.
 */
export interface SpooledUpload {
  /** The body's top-level fields; `content` as described above. */
  fields: unknown;
  /** The whole body, as sent. */
  bodyPath: string;
  /** A folder of this request's own, for the conversion's result; removed by dispose(). */
  dir: string;
  dispose(): Promise<void>;
}

/** Values of other fields are kept up to this many bytes of JSON (titles and ids are far smaller). */
const FIELD_MAX_BYTES = 64 * 1024;

const enum State {
  /** Before the top-level value. */
  Start,
  /** A top-level value that is not an object: captured whole (up to FIELD_MAX_BYTES). */
  Other,
  /** In the object, expecting a key or '}'. */
  Key,
  /** Inside a key's string. */
  KeyString,
  /** After a key, expecting ':'. */
  Colon,
  /** After ':', expecting the value. */
  Value,
  /** Inside a value (captured, or skipped when it is content's string). */
  InValue,
  /** After a value, expecting ',' or '}'. */
  Next,
  /** After the object: only white space. */
  End,
}

const WHITE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

class InvalidJson extends Error {}

/**
 * Reads the top-level fields of a JSON object fed in chunks (see SpooledUpload). Checks the object's
 * structure, not every value: the conversion process parses the whole body and refuses it if
 * `content` is not valid JSON.
 */
export class JsonFieldScanner {
  private state = State.Start;
  private readonly fields = new Map<string, unknown>();
  private key: number[] = [];
  private keyText = '';
  /** The current value's bytes (not kept for content's string), and how it nests. */
  private value: Buffer[] = [];
  private valueBytes = 0;
  private valueTooLong = false;
  private skipping = false;
  private firstByte = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private contentLength = 0;
  private other: Buffer[] = [];
  private otherBytes = 0;

  feed(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const c = chunk[i];
      switch (this.state) {
        case State.Start:
          if (WHITE.has(c)) i++;
          else if (c === 0x7b) {
            this.state = State.Key;
            i++;
          } else this.state = State.Other;
          break;
        case State.Other: {
          const take = chunk.subarray(i);
          this.otherBytes += take.length;
          if (this.otherBytes <= FIELD_MAX_BYTES) this.other.push(Buffer.from(take));
          i = n;
          break;
        }
        case State.Key:
          if (WHITE.has(c)) i++;
          else if (c === QUOTE) {
            this.key = [c];
            this.escaped = false;
            this.state = State.KeyString;
            i++;
          } else if (c === 0x7d && this.fields.size === 0 && this.keyText === '') {
            this.state = State.End;
            i++;
          } else throw new InvalidJson();
          break;
        case State.KeyString:
          this.key.push(c);
          if (this.key.length > FIELD_MAX_BYTES) throw new InvalidJson();
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) {
            this.keyText = JSON.parse(Buffer.from(this.key).toString('utf8')) as string;
            this.state = State.Colon;
          }
          i++;
          break;
        case State.Colon:
          if (WHITE.has(c)) i++;
          else if (c === 0x3a) {
            this.state = State.Value;
            i++;
          } else throw new InvalidJson();
          break;
        case State.Value:
          if (WHITE.has(c)) {
            i++;
            break;
          }
          this.value = [];
          this.valueBytes = 0;
          this.valueTooLong = false;
          this.firstByte = c;
          this.depth = 0;
          this.inString = false;
          this.escaped = false;
          this.skipping = this.keyText === 'content' && c === QUOTE;
          this.contentLength = 0;
          this.state = State.InValue;
          break;
        case State.InValue:
          i = this.scanValue(chunk, i);
          break;
        case State.Next:
          if (WHITE.has(c)) i++;
          else if (c === 0x2c) {
            this.state = State.Key;
            this.keyText = ',';
            i++;
          } else if (c === 0x7d) {
            this.state = State.End;
            i++;
          } else throw new InvalidJson();
          break;
        case State.End:
          if (!WHITE.has(c)) throw new InvalidJson();
          i++;
          break;
      }
    }
  }

  /** Scans the current value from `i`; returns where it stopped (the value's end, or the chunk's). */
  private scanValue(chunk: Buffer, start: number): number {
    const n = chunk.length;
    let i = start;
    let end = -1;
    while (i < n) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        // Jump to the next quote or backslash (most of a string is neither).
        const quote = chunk.indexOf(QUOTE, i);
        const backslash = chunk.indexOf(BACKSLASH, i);
        const stop = quote < 0 ? backslash : backslash < 0 ? quote : Math.min(quote, backslash);
        if (stop < 0) {
          i = n;
          break;
        }
        i = stop + 1;
        if (chunk[stop] === BACKSLASH) this.escaped = true;
        else {
          this.inString = false;
          if (this.depth === 0) {
            end = i;
            break;
          }
        }
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (this.depth === 0) {
          // The object's end right after a bare value (number, true, …).
          end = i;
          break;
        }
        this.depth--;
        if (this.depth === 0) {
          end = i + 1;
          break;
        }
      } else if (this.depth === 0 && (c === 0x2c || WHITE.has(c))) {
        end = i;
        break;
      }
      i++;
    }
    const taken = chunk.subarray(start, end < 0 ? n : end);
    if (this.skipping) this.contentLength += taken.length;
    else {
      this.valueBytes += taken.length;
      if (this.valueBytes <= FIELD_MAX_BYTES) this.value.push(Buffer.from(taken));
      else this.valueTooLong = true;
    }
    if (end >= 0) this.finishValue();
    return end < 0 ? n : end;
  }

  private finishValue(): void {
    let value: unknown;
    if (this.skipping) value = this.contentLength > 2 ? 'x' : '';
    else if (this.valueTooLong) {
      // Too long for any field: something of its kind that the schema refuses as well.
      value = this.firstByte === QUOTE ? 'x'.repeat(FIELD_MAX_BYTES) : this.firstByte === 0x5b ? [] : this.firstByte === 0x7b ? {} : null;
    } else {
      try {
        value = JSON.parse(Buffer.concat(this.value).toString('utf8'));
      } catch {
        throw new InvalidJson();
      }
    }
    this.fields.set(this.keyText, value);
    this.state = State.Next;
  }

  /** The fields, once the whole body was fed. */
  finish(): unknown {
    if (this.state === State.Start) return {};
    if (this.state === State.Other) {
      if (this.otherBytes > FIELD_MAX_BYTES) throw new ApiError(400, 'invalid_request', '(body): expected an object', [{ path: '(body)', message: 'expected an object' }]);
      try {
        return JSON.parse(Buffer.concat(this.other).toString('utf8'));
      } catch {
        throw new InvalidJson();
      }
    }
    if (this.state !== State.End) throw new InvalidJson();
    return Object.fromEntries(this.fields);
  }
}

const invalidJson = () => new ApiError(400, 'invalid_json', 'request body is not valid JSON');
const tooLarge = () => new ApiError(413, 'too_large', 'request body is too large');

/**
 * Streams the request's body into a temporary file (at most `maxBytes`, else 413), reading its
 * fields on the way (see SpooledUpload). The caller must dispose() the result.
 */
export async function spoolUpload(request: Request, { maxBytes }: { maxBytes: number }): Promise<SpooledUpload> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw new ApiError(415, 'unsupported_media_type', `uploads must not be compressed (Content-Encoding: ${encoding})`);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const dir = await mkdtemp(join(tmpdir(), 'concord-upload-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const bodyPath = join(dir, 'body.json');
  try {
    const scanner = new JsonFieldScanner();
    await new Promise<void>((resolve, reject) => {
      const file = createWriteStream(bodyPath);
      let received = 0;
      let failed: Error | null = null;
      const fail = (error: Error) => {
        if (failed) return;
        failed = error;
        request.unpipe(file);
        request.resume(); // let the rest of the body drain; the response goes out with the error
        file.destroy();
        reject(error);
      };
      request.on('data', (chunk: Buffer) => {
        if (failed) return;
        received += chunk.length;
        if (received > maxBytes) return fail(tooLarge());
        try {
          scanner.feed(chunk);
        } catch (error) {
          fail(error instanceof InvalidJson || error instanceof SyntaxError ? invalidJson() : (error as Error));
        }
      });
      request.on('aborted', () => fail(new ApiError(400, 'bad_request', 'the request was aborted')));
      request.on('error', (error) => fail(error));
      file.on('error', (error) => fail(error));
      file.on('finish', () => {
        if (!failed) resolve();
      });
      request.pipe(file);
    });
    let fields: unknown;
    try {
      fields = scanner.finish();
    } catch (error) {
      throw error instanceof InvalidJson ? invalidJson() : error;
    }
    return { fields, bodyPath, dir, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
