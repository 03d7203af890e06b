/* eslint-disable no-control-regex -- IRC formatting and line structure are made of control characters */
/** Remove all mIRC formatting, leaving the plain text (for plain `body` fields and logs). */
export function stripMircFormatting(line: string): string {
  return line.replace(
    /\x03(?:\d{1,2}(?:,\d{1,2})?)?|\x04(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?|[\x02\x0f\x11\x16\x1d-\x1f]/g,
    '',
  );
}
