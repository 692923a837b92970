// Salesforce writes errors as "CODE: message" in several places: Bulk result rows
// (`STRING_TOO_LONG:Last Name: data value too large:LastName --`), REST messages without an
// errorCode, Apex trigger failures. One reading of that form serves them all.

/** `CODE: message` → code and message; text without a leading code is all message. */
export function splitErrorCode(text: string): { errorCode?: string; message: string } {
  const m = /^([A-Z][A-Z0-9_]+):\s*(.*)$/s.exec(text.trim());
  return m ? { errorCode: m[1], message: m[2].trim() || m[1] } : { message: text };
}
