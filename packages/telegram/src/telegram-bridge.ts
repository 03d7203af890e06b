/** The Telegram bridge definition: what `trestle telegram start` runs. */
import { defineBridge } from '@trestle/core';
import { telegramConfigSchema } from './config';
import { createTelegramConnector } from './telegram-connector';

export const bridge = defineBridge({
  network: 'telegram',
  networkSchema: telegramConfigSchema,
  defaults: { port: 29317 },
  createConnector: () => createTelegramConnector(),
});
