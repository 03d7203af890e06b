/**
 * The Gateway: a JSON websocket speaking Discord's opcodes. It sends HELLO first, answers IDENTIFY
 * with READY and one GUILD_CREATE per guild, acknowledges heartbeats, filters dispatches by the
 * session's intents, and keeps each session's events so a RESUME replays what the client missed.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ApplicationFlags,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { toApiUser, toGuildCreate, type GuildCreateView } from './serialize';
import type { DiscordWorld } from './world';

/** Intents Discord gates behind the developer portal's switches. */
export const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** The application flags Discord reports for the privileged intents switched on in the portal. */
export function applicationFlagsFor(enabledPrivilegedIntents: number): ApplicationFlags {
  let flags = 0;
  if (enabledPrivilegedIntents & GatewayIntentBits.GuildMembers)
    flags |= ApplicationFlags.GatewayGuildMembers;
  if (enabledPrivilegedIntents & GatewayIntentBits.GuildPresences) flags |= ApplicationFlags.GatewayPresence;
  if (enabledPrivilegedIntents & GatewayIntentBits.MessageContent)
    flags |= ApplicationFlags.GatewayMessageContent;
  return flags as ApplicationFlags;
}

/** How many past events a session keeps for RESUME. */
const REPLAY_BUFFER = 1000;
/** Identify's `large_threshold`: its default and range. */
const LARGE_THRESHOLD = { default: 50, min: 50, max: 250 };

export interface GatewaySession {
  id: string;
  intents: number;
  /** Members above which a guild is "large" (identify's `large_threshold`). */
  largeThreshold: number;
  sequence: number;
  events: Array<{ s: number; t: string; d: unknown }>;
  socket: WebSocket | undefined;
}

export interface GatewayOptions {
  world: DiscordWorld;
  token: string;
  applicationId: string;
  /** Privileged intents switched on in the (simulated) developer portal. */
  enabledPrivilegedIntents: () => number;
  heartbeatIntervalMs: number;
  /** The `ws://` URL clients resume to. */
  url: () => string;
}

export interface GatewayStats {
  identifies: number;
  resumes: number;
  /** Close codes the gateway sent, newest last. */
  closeCodes: number[];
}

export class SimulatedGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, GatewaySession>();
  readonly stats: GatewayStats = { identifies: 0, resumes: 0, closeCodes: [] };

  constructor(private readonly options: GatewayOptions) {
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  /** Take over an HTTP upgrade request for the gateway path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit('connection', ws, request));
  }

  /**
   * Send an event to every identified session whose intents include `intent` (0 = always).
   * `build` may tailor the payload per session (e.g. hide content without the Message Content intent).
   * Sessions whose socket is down keep the event for their RESUME.
   */
  dispatch(event: GatewayDispatchEvents, intent: number, build: (session: GatewaySession) => unknown): void {
    for (const session of this.sessions.values()) {
      if (intent !== 0 && (session.intents & intent) === 0) continue;
      this.sendDispatch(session, event, build(session));
    }
  }

  /** Close every open socket abnormally (like a network drop); sessions stay resumable. */
  dropConnections(): void {
    for (const session of this.sessions.values()) {
      session.socket?.terminate();
      session.socket = undefined;
    }
  }

  /** Close every socket and forget every session: a RESUME gets INVALID_SESSION. */
  expireSessions(): void {
    this.dropConnections();
    this.sessions.clear();
  }

  /** Ask clients to reconnect and resume (op 7), as Discord does during maintenance. */
  requestReconnect(): void {
    for (const session of this.sessions.values())
      session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    socket.send(
      JSON.stringify({
        op: GatewayOpcodes.Hello,
        d: { heartbeat_interval: this.options.heartbeatIntervalMs },
      }),
    );
    socket.on('message', (raw) => {
      let payload: { op: number; d: unknown };
      try {
        payload = JSON.parse(String(raw)) as { op: number; d: unknown };
      } catch {
        this.closeWith(socket, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
        return;
      }
      this.onPayload(socket, payload);
    });
    socket.on('close', () => {
      for (const session of this.sessions.values()) if (session.socket === socket) session.socket = undefined;
    });
  }

  private onPayload(socket: WebSocket, payload: { op: number; d: unknown }): void {
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
        return;
      case GatewayOpcodes.Identify:
        this.onIdentify(socket, payload.d as Identify);
        return;
      case GatewayOpcodes.Resume:
        this.onResume(socket, payload.d as { token: string; session_id: string; seq: number });
        return;
      default:
        // Presence and voice updates are accepted and ignored.
        return;
    }
  }

  private onIdentify(socket: WebSocket, identify: Identify): void {
    if (stripBotPrefix(identify.token) !== this.options.token) {
      this.closeWith(socket, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const privileged = identify.intents & PRIVILEGED_INTENTS;
    if ((privileged & ~this.options.enabledPrivilegedIntents()) !== 0) {
      this.closeWith(socket, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    this.stats.identifies += 1;
    const session: GatewaySession = {
      id: randomUUID().replace(/-/g, ''),
      intents: identify.intents,
      largeThreshold: Math.min(
        LARGE_THRESHOLD.max,
        Math.max(LARGE_THRESHOLD.min, identify.large_threshold ?? LARGE_THRESHOLD.default),
      ),
      sequence: 0,
      events: [],
      socket,
    };
    this.sessions.set(session.id, session);
    const { world } = this.options;
    const myGuilds = [...world.guilds.values()].filter((g) => g.members.has(world.botUserId));
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: toApiUser(world, world.botUserId),
      guilds: myGuilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.url(),
      application: {
        id: this.options.applicationId,
        flags: applicationFlagsFor(this.options.enabledPrivilegedIntents()),
        flags_new: String(applicationFlagsFor(this.options.enabledPrivilegedIntents())),
      },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    if (session.intents & GatewayIntentBits.Guilds) {
      for (const guild of myGuilds)
        this.sendDispatch(
          session,
          GatewayDispatchEvents.GuildCreate,
          toGuildCreate(world, guild, guildCreateView(session)),
        );
    }
  }

  private onResume(socket: WebSocket, resume: { token: string; session_id: string; seq: number }): void {
    if (stripBotPrefix(resume.token) !== this.options.token) {
      this.closeWith(socket, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(resume.session_id);
    const oldest = session?.events[0]?.s ?? 0;
    if (!session || (session.events.length > 0 && resume.seq < oldest - 1)) {
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
      return;
    }
    session.socket?.terminate();
    session.socket = socket;
    this.stats.resumes += 1;
    for (const event of session.events) {
      if (event.s > resume.seq) socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...event }));
    }
    this.sendDispatch(session, GatewayDispatchEvents.Resumed, null);
  }

  private sendDispatch(session: GatewaySession, t: string, d: unknown): void {
    session.sequence += 1;
    const event = { s: session.sequence, t, d };
    session.events.push(event);
    if (session.events.length > REPLAY_BUFFER) session.events.shift();
    session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, ...event }));
  }

  private closeWith(socket: WebSocket, code: number, reason: string): void {
    this.stats.closeCodes.push(code);
    socket.close(code, reason);
  }
}

interface Identify {
  token: string;
  intents: number;
  large_threshold?: number;
}

/** What shapes the members of a GUILD_CREATE sent to `session`. */
export function guildCreateView(session: GatewaySession): GuildCreateView {
  return {
    presences: (session.intents & GatewayIntentBits.GuildPresences) !== 0,
    largeThreshold: session.largeThreshold,
  };
}

function stripBotPrefix(token: string): string {
  return token.replace(/^Bot\s+/i, '');
}
