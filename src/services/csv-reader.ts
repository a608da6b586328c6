import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { Transform, type TransformCallback } from "node:stream";
import { TextDecoder } from "node:util";
import { parse, type CsvError } from "csv-parse";
import { detectDelimiter } from "../domain/crm-import.js";

/**
 * Streams a CSV file as records with the line each starts on, whatever Excel or a CRM wrote:
 * UTF-8 (with or without BOM), UTF-16 (BOM), or Windows-1252 (German Excel "CSV (Trennzeichen-
 * getrennt)"); `,` `;` TAB or `|` delimiters (detected from the header line, or Excel's `sep=;`);
 * CRLF, LF or CR line ends; quoted fields spanning lines. Stray quotes inside unquoted fields are
 * kept as text. A record the parser cannot read is reported by line and skipped.
 */

export class CsvFileError extends Error {
  override name = "CsvFileError";
}

export interface CsvRecord {
  /** 1-based line of the file the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvSource {
  encoding: string;
  delimiter: string;
  totalBytes: number;
  header: string[];
  /** Data records after the header. */
  records: AsyncIterable<CsvRecord>;
  /** Bytes of the file consumed so far (for progress). */
  bytesRead(): number;
  /** Records the parser had to skip, by line (filled while `records` is read). */
  parseProblems: { line: number; reason: string }[];
}

const SAMPLE_BYTES = 64 * 1024;
/** A record this long means a quote was never closed; stop buffering instead of eating memory. */
const MAX_RECORD_CHARS = 1_000_000;

function detectEncoding(sample: Buffer): { encoding: string; bomBytes: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: "utf-8", bomBytes: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: "utf-16le", bomBytes: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: "utf-16be", bomBytes: 2 };
  try {
    // stream: true tolerates a character cut in half at the end of the sample.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return { encoding: "utf-8", bomBytes: 0 };
  } catch {
    return { encoding: "windows-1252", bomBytes: 0 };
  }
}

/** Decodes bytes to text and turns CRLF and lone CR into LF (keeping a CR split across chunks). */
class DecodeLines extends Transform {
  bytes = 0;
  private readonly decoder: TextDecoder;
  private pendingCr = false;

  constructor(encoding: string) {
    super({ decodeStrings: true, encoding: "utf8" });
    this.decoder = new TextDecoder(encoding);
  }

  private normalize(text: string, final: boolean): string {
    let t = (this.pendingCr ? "\r" : "") + text;
    this.pendingCr = !final && t.endsWith("\r");
    if (this.pendingCr) t = t.slice(0, -1);
    return t.replace(/\r\n?/g, "\n");
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, this.normalize(this.decoder.decode(chunk, { stream: true }), false));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.normalize(this.decoder.decode(), true));
  }
}

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

/** csv-parse reports the line a record ends on; the raw text tells how many lines it spans. */
function startLine(endLine: number, raw: string | undefined): number {
  const body = (raw ?? "").replace(/^\n+/, "").replace(/\n$/, "");
  return endLine - newlines(body);
}

export async function openCsv(path: string): Promise<CsvSource> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new CsvFileError(`cannot read ${path}: it is a folder, not a CSV file`);
    size = s.size;
  } catch (error) {
    if (error instanceof CsvFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CsvFileError(code === "ENOENT" ? `cannot read ${path}: there is no such file` : `cannot read ${path}: ${(error as Error).message}`);
  }
  let sample: Buffer;
  try {
    const fh = await open(path, "r");
    try {
      const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      sample = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (error) {
    throw new CsvFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (sample.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    throw new CsvFileError(`${path} is an Excel workbook (.xlsx), not a CSV file: open it and save it as "CSV UTF-8"`);
  }
  const { encoding, bomBytes } = detectEncoding(sample);
  if (!encoding.startsWith("utf-16") && sample.includes(0)) {
    throw new CsvFileError(`${path} does not look like a CSV file (it contains binary data)`);
  }
  const text = new TextDecoder(encoding).decode(sample.subarray(bomBytes)).replace(/\r\n?/g, "\n");
  if (text.trim() === "") throw new CsvFileError(`${path} is empty: expected a header row and one row per account`);
  const firstLine = text.split("\n", 1)[0] ?? "";
  const sep = /^"?sep=(.)"?\s*$/i.exec(firstLine);
  const delimiter = sep ? sep[1]! : detectDelimiter(firstLine);

  const parseProblems: CsvSource["parseProblems"] = [];
  const decode = new DecodeLines(encoding);
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    raw: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    from_line: sep ? 2 : 1,
    on_skip: (error: CsvError | undefined, raw: string | undefined) => {
      if (!error) return;
      const end = Number((error as CsvError & { lines?: number }).lines ?? 0);
      const start = startLine(end, raw);
      if (error.code === "CSV_QUOTE_NOT_CLOSED" || error.code === "CSV_MAX_RECORD_SIZE") {
        parseProblems.push({ line: start, reason: `a quoted field opened on this line is never closed, so lines ${start}–${end} could not be read` });
      } else {
        parseProblems.push({ line: start, reason: `cannot be read as CSV: ${error.message}` });
      }
    },
  });
  const input = createReadStream(path);
  input.on("error", (error) => parser.destroy(error));
  input.pipe(decode).pipe(parser);

  type Parsed = { record: string[]; raw?: string; info: { lines: number } };
  const iterator = (parser as AsyncIterable<Parsed>)[Symbol.asyncIterator]();
  const first = await iterator.next().catch((error: unknown) => {
    throw new CsvFileError(`cannot parse ${path}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (first.done) {
    throw new CsvFileError(`${path} has no readable header row${parseProblems[0] ? ` (line ${parseProblems[0].line}: ${parseProblems[0].reason})` : ""}`);
  }
  const header = first.value.record.map((h) => h.trim());

  async function* records(): AsyncGenerator<CsvRecord> {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const { record, raw, info } = next.value;
        yield { line: startLine(info.lines, raw), fields: record };
      }
    } catch (error) {
      throw new CsvFileError(`cannot parse ${path}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      input.destroy();
      await iterator.return?.();
    }
  }

  return { encoding, delimiter, totalBytes: size, header, records: records(), bytesRead: () => decode.bytes, parseProblems };
}
