/** Text as HTML: the characters that could open markup or end an attribute value escaped. */
export const escapeHtml = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A table cell's text: numbers to `d` decimals (integers as they are), '–' for none, anything else escaped. */
export const formatCell = (x: unknown, d = 3) => (typeof x === 'number' && Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(d)) : x === undefined || x === null ? '–' : escapeHtml(x));

/** An HTML table; a body cell that is a string starting with '<' is inserted as HTML, any other through formatCell. */
export function htmlTable(head: string[], rows: unknown[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'string' && c.startsWith('<') ? c : formatCell(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}
