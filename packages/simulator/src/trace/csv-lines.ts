/** One parsed CSV record with its 1-based line number in the file. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * Splits CSV text into records: comma-separated, optional double quotes (with `""` inside), CRLF or LF line
 * ends, blank lines skipped. Fields are trimmed outside quotes. Enough for the public trace files (no newlines
 * inside fields).
 * Example: `a,"b,c",d` -> `['a', 'b,c', 'd']`.
 */
export function csvRecords(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    out.push({ line: i + 1, fields: raw.includes('"') ? splitQuoted(raw) : raw.split(',').map((f) => f.trim()) });
  }
  return out;
}

function splitQuoted(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  fields.push(cur.trim());
  return fields;
}

/** The header's column index by name (first occurrence). */
export function columnIndex(header: readonly string[]): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  header.forEach((name, i) => {
    if (!m.has(name)) m.set(name, i);
  });
  return m;
}
