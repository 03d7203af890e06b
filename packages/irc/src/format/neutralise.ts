/**
 * The last line of defence before text reaches the IRC socket. A CR or LF inside a parameter
 * would end the line and let the rest be read as a new command (`hi\r\nQUIT :bye`); a NUL
 * truncates the line on many servers. Line structure is decided earlier (by the splitter);
 * whatever still carries these characters here is flattened.
 */
export function neutraliseIrcText(text: string): string {
  return text.replace(/\0/g, '').replace(/[\r\n]+/g, ' ');
}

/** True when a string is safe as the last parameter of an IRC command. */
export function isWireSafe(text: string): boolean {
  return !/[\r\n\0]/.test(text);
}
