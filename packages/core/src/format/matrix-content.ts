import type { RichText } from './ir';
import { irIsPlain } from './ir-inspect';
import { irToMatrixHtml } from './ir-to-matrix-html';
import { type IrToPlainTextOptions, irToPlainText } from './ir-to-plain-text';

/** The `format` value for Matrix HTML. */
export const MATRIX_HTML_FORMAT = 'org.matrix.custom.html';

/** The text part of an `m.room.message` content. */
export interface MatrixTextContent {
  msgtype: string;
  body: string;
  format?: typeof MATRIX_HTML_FORMAT;
  formatted_body?: string;
}

/** Options for {@link toMatrixContent}: mention resolution (both parts) and spoiler handling (body). */
export type MatrixContentOptions = IrToPlainTextOptions;

/**
 * Builds the `{ msgtype, body, format, formatted_body }` of an `m.room.message` from IR.
 * `format`/`formatted_body` are left out when the IR is plain text (see {@link irIsPlain}).
 * `msgtype` is usually `m.text`, `m.notice` or `m.emote` (or a media type, for captions).
 */
export function toMatrixContent(
  ir: RichText,
  msgtype: string,
  options: MatrixContentOptions = {},
): MatrixTextContent {
  const body = irToPlainText(ir, options);
  if (irIsPlain(ir)) return { msgtype, body };
  return { msgtype, body, format: MATRIX_HTML_FORMAT, formatted_body: irToMatrixHtml(ir, options) };
}
