import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderFeatureMatrix, renderFeatureMatrixFrom } from './render-feature-matrix';
import { writeConformanceResults, type ConformanceResults } from './results';

const result = (
  name: string,
  statuses: Record<string, 'passed' | 'failed' | 'unsupported'>,
): ConformanceResults => ({
  name,
  displayName: name.toUpperCase(),
  finishedAt: '2026-01-01T00:00:00Z',
  scenarios: Object.entries(statuses).map(([id, status]) => ({
    id,
    feature: id.split('.')[0] as 'text',
    direction: id.split('.')[1] as 'matrix-to-remote',
    title: id,
    status,
    ...(status === 'unsupported' ? { detail: 'the Bot API sends no deletion updates' } : {}),
  })),
});

describe('renderFeatureMatrixFrom', () => {
  const table = renderFeatureMatrixFrom([
    result('irc', { 'text.matrix-to-remote': 'passed', 'text.remote-to-matrix': 'failed' }),
    result('telegram', { 'text.matrix-to-remote': 'passed', 'redaction.remote-to-matrix': 'unsupported' }),
  ]);

  it('has one column per network and one row per scenario', () => {
    const lines = table.split('\n');
    expect(lines[0]).toBe('| Scenario | IRC | TELEGRAM |');
    expect(
      lines.filter(
        (line) => line.startsWith('| ') && !line.startsWith('| Scenario') && !line.startsWith('| ---'),
      ),
    ).toHaveLength(18);
  });

  it('marks passes, failures, unsupported and missing scenarios differently', () => {
    expect(table).toContain('| text (Matrix → network) | ✅ | ✅ |');
    expect(table).toContain('| text (network → Matrix) | ❌ | ? |');
    expect(table).toContain('| redaction (network → Matrix) | ? | — |');
  });

  it('lists why each unsupported scenario is unsupported', () => {
    expect(table).toContain(
      '- TELEGRAM, redaction (network → Matrix): the Bot API sends no deletion updates',
    );
  });
});

describe('renderFeatureMatrix', () => {
  it('reads every results file in a directory, ordered by display name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trestle-matrix-'));
    try {
      writeConformanceResults(result('telegram', {}), dir);
      writeConformanceResults(result('discord', {}), dir);
      expect(renderFeatureMatrix(dir).split('\n')[0]).toBe('| Scenario | DISCORD | TELEGRAM |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders an empty table when no bridge has reported yet', () => {
    expect(renderFeatureMatrix('/nonexistent/dir').split('\n')[0]).toBe('| Scenario |  |');
  });
});
