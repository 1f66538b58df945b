/**
 * A strict CSV reader (RFC 4180 §2), independent of Certdesk's writer: records end in CRLF, a
 * quoted field doubles its quotes and may hold commas and line breaks, an unquoted one may hold
 * neither quotes nor CR/LF, and every record has as many fields as the header.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  if (!text.endsWith('\r\n')) throw new Error('Not RFC 4180: the last record does not end in CRLF');
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('Not RFC 4180: an unclosed quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`Not RFC 4180: a bare ${text[i] === '"' ? 'quote' : 'LF'} in an unquoted field`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`Not RFC 4180: unexpected "${text[i]}" after a field`);
    }
  }
  const width = records[0]?.length ?? 0;
  for (const [index, r] of records.entries()) if (r.length !== width) throw new Error(`Not RFC 4180: record ${index + 1} has ${r.length} fields, the header ${width}`);
  return records;
}
