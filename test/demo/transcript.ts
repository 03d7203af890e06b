/** The conversation printed as each side saw it: one block per side, one `<author> text` line per message. */
import { SIDES, type Side, type SideViews } from '../cross-network/side-views';

const TITLES: Record<Side, string> = {
  matrix: 'Matrix (the room, as any Matrix client shows it)',
  irc: 'IRC (the channel, as an IRC user sees it)',
  discord: 'Discord (the channel)',
  telegram: 'Telegram (the group)',
};

/** Render what every side shows; `only` keeps messages containing one of these texts (drops bot chatter). */
export function renderTranscript(views: SideViews, only: readonly string[]): string {
  const blocks = SIDES.map((side) => {
    const lines = views
      .seen(side)
      .filter((m) => only.some((text) => m.text.includes(text)))
      .map((m) => `  <${m.author}> ${m.text}`);
    return `== ${TITLES[side]} ==\n${lines.join('\n')}`;
  });
  return blocks.join('\n\n');
}
