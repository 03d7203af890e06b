/** IRC channel prefix modes -> Matrix power level, through the network's `modePowerLevels` map. */

/** The highest level any of the modes maps to; 0 for none. */
export function powerLevelForModes(modes: Iterable<string>, map: Readonly<Record<string, number>>): number {
  let level = 0;
  for (const mode of modes) level = Math.max(level, map[mode] ?? 0);
  return level;
}

/** The level from which a Matrix user counts as a channel operator (the `o` entry, 50 without one). */
export function operatorLevel(map: Readonly<Record<string, number>>): number {
  return map.o ?? 50;
}
