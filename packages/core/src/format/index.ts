/** Rich text: the IR, Matrix HTML and plain text converters, and IR helpers. */
export * from './ir';
export { irFromText } from './ir-from-text';
export { irIsPlain } from './ir-inspect';
export { type InlineMapper, irForEachInline, irMapInlines } from './ir-walk';
export { contentText, emojiFallbackText, inlineText } from './ir-text';
export { type MatrixHtmlToIrOptions, matrixHtmlToIr } from './matrix-html-to-ir';
export { type PlainTextToIrOptions, plainTextToIr, stripPlainReplyFallback } from './plain-text-to-ir';
export { type IrToMatrixHtmlOptions, irToMatrixHtml } from './ir-to-matrix-html';
export { HIDDEN_SPOILER_TEXT, type IrToPlainTextOptions, irToPlainText } from './ir-to-plain-text';
export {
  MATRIX_HTML_FORMAT,
  type MatrixContentOptions,
  type MatrixTextContent,
  toMatrixContent,
} from './matrix-content';
export { type MentionRenderOptions, type MentionResolver, mentionFallbackText } from './mention-resolver';
export { sanitizeMatrixHtml } from './sanitize-matrix-html';
export {
  MATRIX_HTML_ALLOWED_ATTRIBUTES,
  MATRIX_HTML_ALLOWED_TAGS,
  MATRIX_HTML_MAX_DEPTH,
  MATRIX_IMAGE_SCHEMES,
  MATRIX_LINK_SCHEMES,
  isAllowedMatrixLinkHref,
  isMatrixHexColor,
} from './matrix-html-allow-list';
export { isLinkableHref } from './link-policy';
export { type MatrixLinkTarget, matrixToPermalink, parseMatrixLink } from './matrix-uri';
