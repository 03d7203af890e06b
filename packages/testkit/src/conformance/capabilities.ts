/** What a conformance scenario exercises. */
export type ConformanceFeature =
  'text' | 'formatting' | 'emote' | 'notice' | 'reply' | 'edit' | 'redaction' | 'reaction' | 'image';

/** Which way a message travels through the bridge. */
export type ConformanceDirection = 'matrix-to-remote' | 'remote-to-matrix';

/**
 * Whether a bridge supports a feature: `true`/`false` for both directions, or per direction with the
 * reason it cannot (shown in the feature matrix), e.g. Telegram's Bot API reports no deletions:
 * `{ matrixToRemote: true, remoteToMatrix: false, reason: 'the Bot API sends no deletion updates' }`.
 */
export type FeatureSupport = boolean | { matrixToRemote: boolean; remoteToMatrix: boolean; reason?: string };

/** A bridge's declared features; a feature left out counts as unsupported. */
export type ConformanceCapabilities = Partial<Record<ConformanceFeature, FeatureSupport>>;

/** Every feature, in the order the suite and the feature matrix list them. */
export const CONFORMANCE_FEATURES: readonly ConformanceFeature[] = [
  'text',
  'formatting',
  'emote',
  'notice',
  'reply',
  'edit',
  'redaction',
  'reaction',
  'image',
];

/** Whether a bridge declared `feature` in `direction`, and if not, why. */
export function supportFor(
  capabilities: ConformanceCapabilities,
  feature: ConformanceFeature,
  direction: ConformanceDirection,
): { supported: true } | { supported: false; reason: string } {
  const declared = capabilities[feature];
  if (declared === undefined) return { supported: false, reason: 'not declared by the bridge' };
  if (typeof declared === 'boolean') {
    return declared ? { supported: true } : { supported: false, reason: 'not supported by the network' };
  }
  const supported = direction === 'matrix-to-remote' ? declared.matrixToRemote : declared.remoteToMatrix;
  return supported
    ? { supported: true }
    : { supported: false, reason: declared.reason ?? 'not supported by the network' };
}
