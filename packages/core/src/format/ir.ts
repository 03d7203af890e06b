/**
 * The rich-text intermediate representation (IR) every Trestle converter speaks.
 *
 * Matrix HTML, IRC control codes, Discord markdown and Telegram entities all convert to and from
 * this tree, so each network needs only two converters (network <-> IR) and the core owns the
 * Matrix side once. The IR keeps what any of the networks can express; a converter drops
 * (or spells out in plain text) what its network cannot.
 */

/** Who or what a mention points at. Connectors fill `remoteId`; the core fills `matrixId`. */
export type MentionTarget =
  | { kind: 'user'; matrixId?: string; remoteId?: string }
  | { kind: 'channel'; matrixId?: string; remoteId?: string }
  | { kind: 'role'; remoteId: string }
  | { kind: 'everyone' };

/** Inline (phrasing) content. */
export type Inline =
  | { type: 'text'; text: string }
  | {
      type: 'bold' | 'italic' | 'underline' | 'strike' | 'spoiler' | 'superscript' | 'subscript';
      children: Inline[];
    }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  /** `text` is what the mention shows, e.g. the display name. */
  | { type: 'mention'; target: MentionTarget; text: string }
  /** Colours as `#rrggbb`. */
  | { type: 'color'; fg?: string; bg?: string; children: Inline[] }
  /** A custom (network-specific) emoji; `fallback` is the text shown where images cannot be. */
  | { type: 'emoji'; name: string; url?: string; fallback: string }
  | { type: 'linebreak' };

/** Block content. */
export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'codeblock'; language?: string; text: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'list'; ordered: boolean; start?: number; items: Block[][] }
  | { type: 'rule' };

/** A formatted message body. */
export interface RichText {
  blocks: Block[];
}

/** Inline node types that wrap children (handy for generic walkers). */
export type ContainerInline = Extract<Inline, { children: Inline[] }>;
