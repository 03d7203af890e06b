/**
 * The mIRC colour palette: codes 0–15 (the classic sixteen) and 16–98 (the extended set), as
 * documented at https://modern.ircdocs.horse/formatting.html. Code 99 means "default colour".
 */
export const MIRC_PALETTE: readonly string[] = [
  // 0–15
  'ffffff',
  '000000',
  '00007f',
  '009300',
  'ff0000',
  '7f0000',
  '9c009c',
  'fc7f00',
  'ffff00',
  '00fc00',
  '009393',
  '00ffff',
  '0000fc',
  'ff00ff',
  '7f7f7f',
  'd2d2d2',
  // 16–27
  '470000',
  '472100',
  '474700',
  '324700',
  '004700',
  '00472c',
  '004747',
  '002747',
  '000047',
  '2e0047',
  '470047',
  '47002a',
  // 28–39
  '740000',
  '743a00',
  '747400',
  '517400',
  '007400',
  '007449',
  '007474',
  '004074',
  '000074',
  '4b0074',
  '740074',
  '740045',
  // 40–51
  'b50000',
  'b56300',
  'b5b500',
  '7db500',
  '00b500',
  '00b571',
  '00b5b5',
  '0063b5',
  '0000b5',
  '7500b5',
  'b500b5',
  'b5006b',
  // 52–63
  'ff0000',
  'ff8c00',
  'ffff00',
  'b2ff00',
  '00ff00',
  '00ffa0',
  '00ffff',
  '008cff',
  '0000ff',
  'a500ff',
  'ff00ff',
  'ff0098',
  // 64–75
  'ff5959',
  'ffb459',
  'ffff71',
  'cfff60',
  '6fff6f',
  '65ffc9',
  '6dffff',
  '59b4ff',
  '5959ff',
  'c459ff',
  'ff66ff',
  'ff59bc',
  // 76–87
  'ff9c9c',
  'ffd39c',
  'ffff9c',
  'e2ff9c',
  '9cff9c',
  '9cffdb',
  '9cffff',
  '9cd3ff',
  '9c9cff',
  'dc9cff',
  'ff9cff',
  'ff94d3',
  // 88–98
  '000000',
  '131313',
  '282828',
  '363636',
  '4d4d4d',
  '656565',
  '818181',
  '9f9f9f',
  'bcbcbc',
  'e2e2e2',
  'ffffff',
].map((hex) => `#${hex}`);

/** The `#rrggbb` for a colour code, or undefined for 99 ("default") and anything out of range. */
export function colorForCode(code: number): string | undefined {
  return MIRC_PALETTE[code];
}

const codeByColor = new Map<string, number>();
MIRC_PALETTE.forEach((hex, code) => {
  // Duplicates (4 and 52 are both red …): the lower, classic code wins, as every client knows it.
  if (!codeByColor.has(hex)) codeByColor.set(hex, code);
});

/** The palette code for a `#rrggbb` colour, if the palette has it exactly. */
export function codeForColor(hex: string): number | undefined {
  return codeByColor.get(hex.toLowerCase());
}

/** The palette code closest to a `#rrggbb` colour (for places where only codes can be sent). */
export function nearestCodeForColor(hex: string): number {
  const exact = codeForColor(hex);
  if (exact !== undefined) return exact;
  const [r, g, b] = rgb(hex);
  let best = 1;
  let bestDistance = Infinity;
  MIRC_PALETTE.forEach((candidate, code) => {
    const [cr, cg, cb] = rgb(candidate);
    const distance = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = code;
    }
  });
  return best;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}
