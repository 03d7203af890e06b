/** Discord message content -> the core's rich-text IR. */
import type { RichText } from '@trestle/core';
import { parseBlocks } from './markdown-blocks';
import type { DiscordNameResolver } from './name-resolver';

export interface DiscordToIrOptions {
  /** Names shown for `<@id>`, `<@&id>` and `<#id>` (the id when unknown). */
  names?: DiscordNameResolver;
  /** CDN base for custom emoji images (default Discord's CDN). */
  cdnBase?: string;
}

export const DISCORD_CDN = 'https://cdn.discordapp.com';

/** Parse Discord markdown as Discord's client renders it. Never throws. */
export function discordToIr(content: string, options: DiscordToIrOptions = {}): RichText {
  return {
    blocks: parseBlocks(content, { names: options.names ?? {}, cdnBase: options.cdnBase ?? DISCORD_CDN }),
  };
}
