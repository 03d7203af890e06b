import type { BotPrivateReply } from './bot-private-reply';
import type { MemberModes } from './channel-modes/member-modes';
import type { PowerLevelSync } from './channel-modes/power-level-sync';
import type { InboundMapper } from './inbound-to-remote';
import type { NetsplitQuits } from './netsplit/netsplit-quits';
import type { IrcConnection } from './network/irc-connection';
import type { RecentMessages } from './recent-messages';
import type { RelayedNames } from './relay/relayed-names';
import type { VirtualUserPool } from './virtual/virtual-user-pool';

/** Everything the connector keeps for one configured IRC network. */
export interface NetworkRuntime {
  /** The bridge bot's connection: it sees the channels and speaks in relay mode. */
  bot: IrcConnection;
  pool: VirtualUserPool;
  mapper: InboundMapper;
  /** Recent lines by msgid, so replies and reactions can quote them. */
  recent: RecentMessages;
  relayedNames: RelayedNames;
  /** Channel operators and voiced users, as the bot sees them. */
  modes: MemberModes;
  powerLevels: PowerLevelSync;
  privateReply: BotPrivateReply;
  netsplits: NetsplitQuits;
}
