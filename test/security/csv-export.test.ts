import { describe, expect, it } from "vitest";
import { csvCell } from "~/models/admin/trackings-list.server";

// A CSV cell a spreadsheet would run as a formula is defused with a leading apostrophe. Excel and
// LibreOffice also start a formula after a leading TAB or CR, and read the full-width signs
// (＝ ＋ － ＠) as their ASCII forms.
describe("CSV export's formula guard", () => {
  it("defuses every formula-looking start, ASCII and full-width, after TAB or CR too", () => {
    for (const text of [
      "=1+1",
      "+1",
      "-1",
      "@SUM(A1)",
      "\t=1+1",
      "\r=1+1",
      "＝1+1",
      "＋1",
      "－1",
      "＠SUM(A1)",
    ]) {
      expect(csvCell(text).replace(/^"/, ""), JSON.stringify(text)).toMatch(/^'/);
    }
  });

  it("leaves ordinary text as it is", () => {
    expect(["Ada Lovelace", "1Z999AA10123456784", "#1001", "2026-11-20T10:00:00.000Z"].map(csvCell)).toEqual([
      "Ada Lovelace",
      "1Z999AA10123456784",
      "#1001",
      "2026-11-20T10:00:00.000Z",
    ]);
  });
});
