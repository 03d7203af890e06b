/** What a Telegram bot cannot do, in words for the `telegram-limits` command and the docs. */
export const telegramLimits = [
  'Telegram does not tell bots about deleted messages, so deletions on Telegram stay visible on Matrix.',
  "Bots never see other bots' messages.",
  'With privacy mode on (the default), a bot that is not an admin sees only commands and replies to it: make the bot an admin or disable privacy in @BotFather.',
  'Reactions reach the bridge only when the bot is an admin; the bot itself can set one reaction per message from Telegram’s fixed set.',
  'Bots download files up to 20 MB and upload up to 50 MB.',
  'Opening or renaming a forum topic from Matrix needs the bot to be an admin of the group with the "Manage topics" right.',
  'Renaming a room or changing its topic on Matrix renames the Telegram chat or sets its description only when the bot is an admin with the "Change group info" right ("Change channel info" in channels).',
  'Telegram does not tell bots when a chat’s description changes, so a new description on Telegram does not reach the room topic.',
];
