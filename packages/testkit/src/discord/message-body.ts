/** Reads the message fields Discord accepts in create/edit/execute bodies. */
import type { APIAllowedMentions, APIEmbed } from 'discord-api-types/v10';
import type { UploadedFile } from './actions';
import type { ParsedBody } from './multipart';

export interface MessageBody {
  content: string | undefined;
  embeds: APIEmbed[] | undefined;
  allowedMentions: APIAllowedMentions | undefined;
  replyTo: string | undefined;
  stickerIds: string[] | undefined;
  nonce: string | number | undefined;
  files: UploadedFile[];
  /** Ids of existing attachments listed in `attachments` (edits keep only these). */
  keptAttachmentIds: string[] | undefined;
}

interface RawMessageJson {
  content?: unknown;
  embeds?: APIEmbed[];
  allowed_mentions?: APIAllowedMentions;
  message_reference?: { message_id?: string };
  sticker_ids?: string[];
  nonce?: string | number;
  attachments?: Array<{ id: string | number; filename?: string; description?: string }>;
}

export function readMessageBody(body: ParsedBody): MessageBody {
  const json = body.json as RawMessageJson;
  const described = new Map((json.attachments ?? []).map((a) => [String(a.id), a]));
  const files = [...body.files.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, file]) => {
      const meta = described.get(String(index));
      return { ...file, filename: meta?.filename ?? file.filename, description: meta?.description };
    });
  const uploadedIndexes = new Set([...body.files.keys()].map(String));
  return {
    content: typeof json.content === 'string' ? json.content : undefined,
    embeds: json.embeds,
    allowedMentions: json.allowed_mentions,
    replyTo: json.message_reference?.message_id,
    stickerIds: json.sticker_ids,
    nonce: json.nonce,
    files,
    keptAttachmentIds: json.attachments
      ? json.attachments.map((a) => String(a.id)).filter((id) => !uploadedIndexes.has(id))
      : undefined,
  };
}
