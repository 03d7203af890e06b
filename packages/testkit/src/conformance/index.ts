/**
 * The conformance suite every bridge runs: the same user-visible scenarios (text, formatting,
 * emotes, notices, replies, edits, redactions, reactions, images — both ways) against each network,
 * through a {@link RemoteDriver}, with results rendered into the feature matrix.
 */
export { CONFORMANCE_FEATURES, supportFor } from './capabilities';
export type {
  ConformanceCapabilities,
  ConformanceDirection,
  ConformanceFeature,
  FeatureSupport,
} from './capabilities';
export { expectRemoteMessage } from './remote-driver';
export type {
  ObservedRemoteEvent,
  ObservedRemoteMessage,
  RemoteAttachment,
  RemoteDriver,
  RemoteMessageRef,
  RemotePost,
} from './remote-driver';
export { paragraph, plainText, styledTexts } from './rich-text';
export type { InlineStyle } from './rich-text';
export { CONFORMANCE_SCENARIOS } from './scenarios';
export type { ConformanceContext, ConformanceMatrixUser, ConformanceScenario } from './scenarios';
export { defineConformanceSuite } from './define-conformance-suite';
export type { ConformanceEnvironment, ConformanceSuiteOptions } from './define-conformance-suite';
export { conformanceResultsDir, readConformanceResults, writeConformanceResults } from './results';
export type { ConformanceResults, ScenarioResult, ScenarioStatus } from './results';
export { renderFeatureMatrix, renderFeatureMatrixFrom } from './render-feature-matrix';
export { CONFORMANCE_PNG } from './fixtures';
