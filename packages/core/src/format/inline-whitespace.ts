import type { ContainerInline, Inline } from './ir';

/**
 * HTML whitespace rules for inline runs read from Matrix HTML: runs of whitespace show as one
 * space, and space at the start or end of a line does not show at all. Applying them here means
 * networks receive what Matrix users saw, not the sender's source indentation.
 */

const WHITESPACE_RUN = /[ \t\n\r\f]+/g;

/** Collapses each run of HTML whitespace into one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(WHITESPACE_RUN, ' ');
}

/**
 * Trims HTML whitespace only. `String.prototype.trim` would also eat no-break spaces, which
 * HTML shows, so text would lose them.
 */
export function trimHtmlWhitespace(text: string): string {
  return text.replace(/^[ \t\n\r\f]+|[ \t\n\r\f]+$/g, '');
}

function isContainer(node: Inline): node is ContainerInline {
  return 'children' in node;
}

/** Drops a leading space wherever the previous visible character was a space or a line start. */
function trimLeading(nodes: Inline[], state: { afterSpace: boolean }): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      if (state.afterSpace && node.text.startsWith(' ')) node.text = node.text.slice(1);
      if (node.text.length > 0) state.afterSpace = node.text.endsWith(' ');
    } else if (node.type === 'linebreak') {
      state.afterSpace = true;
    } else if (isContainer(node)) {
      trimLeading(node.children, state);
    } else {
      state.afterSpace = false;
    }
  }
}

/** Drops a trailing space wherever the next visible thing is a line break or the end. */
function trimTrailing(nodes: Inline[], state: { beforeLineEnd: boolean }): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.type === 'text') {
      if (state.beforeLineEnd && node.text.endsWith(' ')) node.text = node.text.slice(0, -1);
      if (node.text.length > 0) state.beforeLineEnd = false;
    } else if (node.type === 'linebreak') {
      state.beforeLineEnd = true;
    } else if (isContainer(node)) {
      trimTrailing(node.children, state);
    } else {
      state.beforeLineEnd = false;
    }
  }
}

/** Removes empty text and empty wrappers, and merges neighbouring text nodes. */
function prune(nodes: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    if (isContainer(node)) {
      node.children = prune(node.children);
      if (node.children.length === 0) continue;
    } else if (node.type === 'text') {
      if (node.text.length === 0) continue;
      const previous = out[out.length - 1];
      if (previous?.type === 'text') {
        previous.text += node.text;
        continue;
      }
    }
    out.push(node);
  }
  return out;
}

/**
 * Tidies a freshly parsed inline run (mutating it): trims spaces at line starts and ends,
 * drops empty nodes, merges text, and removes line breaks at the very start or end.
 * Text in it must already be whitespace-collapsed.
 */
export function tidyInlineRun(run: Inline[]): Inline[] {
  trimLeading(run, { afterSpace: true });
  trimTrailing(run, { beforeLineEnd: true });
  const pruned = prune(run);
  let start = 0;
  let end = pruned.length;
  while (start < end && pruned[start]!.type === 'linebreak') start++;
  while (end > start && pruned[end - 1]!.type === 'linebreak') end--;
  return pruned.slice(start, end);
}
