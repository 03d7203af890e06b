import { describe, expect, it } from '@jest/globals';
import { CommandSyntaxError, splitArguments } from './split-arguments';

describe('splitArguments', () => {
  it('splits on any whitespace', () => {
    expect(splitArguments('  link  libera\t#matrix \n')).toEqual(['link', 'libera', '#matrix']);
  });

  it('keeps quoted spaces in one argument, with either quote style', () => {
    expect(splitArguments(`topic "hello world" 'and more' “from a phone”`)).toEqual([
      'topic',
      'hello world',
      'and more',
      'from a phone',
    ]);
  });

  it('leaves apostrophes inside words alone', () => {
    expect(splitArguments("say don't panic")).toEqual(['say', "don't", 'panic']);
  });

  it('allows escaped double quotes and empty arguments', () => {
    expect(splitArguments('say "a \\"quoted\\" word" ""')).toEqual(['say', 'a "quoted" word', '']);
  });

  it('refuses a quote that is never closed', () => {
    expect(() => splitArguments('link "my chat')).toThrow(
      new CommandSyntaxError('the " quote is never closed'),
    );
  });
});
