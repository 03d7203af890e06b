export { mircToIr, mircToInlines } from './mirc-to-ir';
export { irToMircLines, inlinesToMirc } from './ir-to-mirc';
export { neutraliseIrcText, isWireSafe } from './neutralise';
export {
  splitIrcMessage,
  messageByteBudget,
  byteLength,
  IRC_LINE_LIMIT,
  DEFAULT_SOURCE_RESERVE,
  type ByteBudgetInput,
} from './split-lines';
export { MIRC_PALETTE, colorForCode, codeForColor, nearestCodeForColor } from './mirc-colors';
export { stripMircFormatting } from './strip';
export { linkMentions, type MentionResolver } from './link-mentions';
