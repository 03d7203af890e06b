/**
 * Compare two Discord snowflakes by the time they encode. They outgrow `Number`, and they are
 * decimal strings without leading zeros, so a longer one is larger and equal lengths compare as text.
 */
export function compareSnowflakes(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The snowflake right after `id`: `before: nextSnowflake(id)` includes `id` in a history page. */
export function nextSnowflake(id: string): string {
  return (BigInt(id) + 1n).toString();
}
