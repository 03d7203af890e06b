/** A command line that cannot be split into arguments (an unclosed quote). */
export class CommandSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandSyntaxError';
  }
}

/** Quote characters and the character that closes each; “curly” ones come from phone keyboards. */
const closingQuote: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/**
 * Split a command line on whitespace; quotes keep spaces inside one argument (`link "my chat"`).
 * A quote only opens at the start of an argument, so apostrophes inside words (`don't`) stay literal.
 * Inside double quotes, a backslash makes the next character literal (`"say \"hi\""`).
 * @throws {@link CommandSyntaxError} for a quote that is never closed.
 */
export function splitArguments(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let arg = '';
    const close = closingQuote[line[i]!];
    if (close) {
      const open = line[i]!;
      i++;
      while (i < line.length && line[i] !== close) {
        if (line[i] === '\\' && open === '"' && i + 1 < line.length) i++;
        arg += line[i++];
      }
      if (i >= line.length) throw new CommandSyntaxError(`the ${open} quote is never closed`);
      i++;
    }
    while (i < line.length && !/\s/.test(line[i]!)) arg += line[i++];
    args.push(arg);
  }
  return args;
}
