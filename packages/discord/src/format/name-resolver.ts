/** Display names for ids found in Discord markdown; a missing name shows the id. */
export interface DiscordNameResolver {
  user?(id: string): string | undefined;
  role?(id: string): string | undefined;
  channel?(id: string): string | undefined;
}
