import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCsv, type CsvSource } from "../../src/services/csv-reader.js";

const dir = mkdtempSync(join(tmpdir(), "ae-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(name: string, bytes: Buffer | string): Promise<{ source: CsvSource; rows: [number, string[]][] }> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await openCsv(path);
  const rows: [number, string[]][] = [];
  for await (const r of source.records) rows.push([r.line, r.fields]);
  return { source, rows };
}

describe("reading CSV files from CRMs and Excel", () => {
  it("Windows-1252 (German Excel without BOM), semicolons", async () => {
    const { source, rows } = await read("cp1252.csv", Buffer.from("Firma;Umsatz\r\nM\xfcller GmbH;1.000\r\n", "latin1"));
    expect(source.encoding).toBe("windows-1252");
    expect(source.delimiter).toBe(";");
    expect(source.header).toEqual(["Firma", "Umsatz"]);
    expect(rows).toEqual([[2, ["Müller GmbH", "1.000"]]]);
  });

  it("UTF-16LE with BOM, tab-delimited (Excel's 'Unicode Text')", async () => {
    const text = "Account Name\tIndustry\r\nSøren A/S\tBanking\r\n";
    const { source, rows } = await read("utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    expect(source.encoding).toBe("utf-16le");
    expect(source.delimiter).toBe("\t");
    expect(rows).toEqual([[2, ["Søren A/S", "Banking"]]]);
  });

  it("old Mac CR line ends and Excel's sep= line", async () => {
    const { source, rows } = await read("mac.csv", "sep=;\rName;City\rA;B\r\rC;D\r");
    expect(source.delimiter).toBe(";");
    expect(source.header).toEqual(["Name", "City"]);
    expect(rows).toEqual([[3, ["A", "B"]], [5, ["C", "D"]]]);
  });

  it("a stray quote in an unquoted field is kept as text; an unclosed quote is reported by line", async () => {
    const { source, rows } = await read("quotes.csv", 'Name,Note\nAcme,"ok"\nBeta,5" screen\nGamma,"multi\nline"\nDelta,"never closed\nEpsilon,x\n');
    expect(rows).toEqual([
      [2, ["Acme", "ok"]],
      [3, ["Beta", '5" screen']],
      [4, ["Gamma", "multi\nline"]],
    ]);
    expect(source.parseProblems).toEqual([{ line: 6, reason: "a quoted field opened on this line is never closed, so lines 6–7 could not be read" }]);
  });

  it("line numbers stay right across read chunks with CRLF and multi-line fields", async () => {
    const lines = ["Name,Note"];
    for (let i = 0; i < 20_000; i++) lines.push(i % 1000 === 0 ? `Row ${i},"two\r\nlines"` : `Row ${i},x`);
    const { rows, source } = await read("big.csv", lines.join("\r\n") + "\r\n");
    expect(rows).toHaveLength(20_000);
    expect(rows.at(-1)).toEqual([20_001 + 20, ["Row 19999", "x"]]);
    expect(rows[1000]).toEqual([1002 + 1, ["Row 1000", "two\nlines"]]);
    expect(source.bytesRead()).toBe(source.totalBytes);
  });
});
