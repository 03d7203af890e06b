/**
 * deploy/ cannot be run here (no Docker engine, no systemd as init), so its files are checked against
 * what the code really does: the sample configs are the schema's current output, the compose configs
 * load, the ports agree with the samples, and the dashboard only charts metrics the bridges export.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BridgeMetrics, loadConfig, renderSampleConfig, type BridgeDefinition } from '@trestle/core';
import { bridge as discord } from '@trestle/discord';
import { bridge as irc } from '@trestle/irc';
import { bridge as telegram } from '@trestle/telegram';
import type { TSchema } from '@sinclair/typebox';

const DEPLOY = join(__dirname, '../../deploy');
const read = (path: string) => readFileSync(join(DEPLOY, path), 'utf8');
const bridges: Record<string, BridgeDefinition<TSchema>> = { irc, discord, telegram };
const naming = (definition: BridgeDefinition<TSchema>) => ({
  network: definition.network,
  defaults: definition.defaults,
});

/** The environment docker-compose.yml passes to the bridges (deploy/env.example, filled in). */
const COMPOSE_ENV = {
  TRESTLE_DOMAIN: 'example.org',
  TRESTLE_DATABASE_URL: 'postgresql://trestle:secret@postgres/trestle',
  TRESTLE_IRC_NICK: 'trestle',
  TRESTLE_DISCORD_TOKEN: 'MTIz.abc.def',
  TRESTLE_TELEGRAM_TOKEN: '123456789:AAEexampleTokenFromBotFather',
};

/** The appservice and metrics ports of a sample config (it does not load as-is: tokens are placeholders). */
function samplePorts(sample: string) {
  const portIn = (section: string) =>
    Number(new RegExp(`^${section}:\\n(?:[ #].*\\n)*?  port: (\\d+)$`, 'm').exec(sample)?.[1]);
  return { appservice: { port: portIn('appservice') }, metrics: { port: portIn('metrics') } };
}

function withEnv<T>(env: Record<string, string>, run: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe.each(Object.keys(bridges))('deploy files of the %s bridge', (name) => {
  const definition = bridges[name]!;

  it('the sample config is what `trestle <bridge> sample-config` prints today (else run deploy/regenerate-samples.sh)', () => {
    expect(read(`config/${name}.sample.yaml`).trimEnd()).toBe(
      renderSampleConfig(definition.networkSchema, naming(definition)).trimEnd(),
    );
  });

  it('the docker-compose config loads, listens for Synapse on every interface, and keeps the sample ports', () => {
    const sample = samplePorts(read(`config/${name}.sample.yaml`));
    const compose = withEnv(COMPOSE_ENV, () =>
      loadConfig(join(DEPLOY, `compose/${name}.yaml`), definition.networkSchema, naming(definition)),
    );
    expect(compose.appservice).toMatchObject({
      bind_address: '0.0.0.0',
      port: sample.appservice.port,
      url: `http://${name}:${sample.appservice.port}`,
    });
    expect(compose.metrics).toMatchObject({ bind_address: '0.0.0.0', port: sample.metrics.port });
    expect(compose.database).toMatchObject({ engine: 'postgres', url: COMPOSE_ENV.TRESTLE_DATABASE_URL });
    const composeFile = read('docker-compose.yml');
    expect(composeFile).toContain(`expose: ['${sample.appservice.port}', '${sample.metrics.port}']`);
    expect(composeFile).toContain(`http://127.0.0.1:${sample.metrics.port}/health`);
    expect(read('Dockerfile')).toMatch(
      new RegExp(`EXPOSE .*\\b${sample.appservice.port} ${sample.metrics.port}\\b`),
    );
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(read('grafana/trestle-dashboard.json')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));

  it('charts only metrics a bridge exports, and every Trestle metric is charted', async () => {
    const exported = await new BridgeMetrics('irc').registry.metrics();
    const names = new Set([...exported.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!));
    const used = new Set(
      exprs.flatMap((e) => [...e.matchAll(/\b(trestle_[a-z_]+?)(?:_bucket)?\{/g)].map((m) => m[1]!)),
    );
    expect([...used].filter((metric) => !names.has(metric))).toEqual([]);
    const trestleMetrics = [...names].filter((n) => !n.startsWith('trestle_process_'));
    expect(trestleMetrics.filter((metric) => !used.has(metric))).toEqual([]);
  });
});

describe('the systemd unit', () => {
  it('runs the bridge named by the instance with its config, after checking the config', () => {
    const unit = read('systemd/trestle@.service');
    expect(unit).toContain(
      'ExecStartPre=/usr/bin/node /opt/trestle/packages/core/dist/cli/main.js %i check-config -c /etc/trestle/%i.yaml',
    );
    expect(unit).toContain(
      'ExecStart=/usr/bin/node /opt/trestle/packages/core/dist/cli/main.js %i start -c /etc/trestle/%i.yaml',
    );
  });
});
