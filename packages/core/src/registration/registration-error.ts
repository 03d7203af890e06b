import { formatProblems, type Problem } from '../config/problems';

/**
 * A registration file that cannot be used: unreadable, malformed, or disagreeing with the bridge config.
 * `message` is one line per problem; keys are registration keys such as `namespaces.users[0].regex`.
 */
export class RegistrationError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    /** The registration file concerned, when there is one. */
    readonly file?: string,
  ) {
    super(formatProblems(problems));
    this.name = 'RegistrationError';
  }
}
