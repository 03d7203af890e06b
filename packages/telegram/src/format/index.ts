export { telegramToIr, type TelegramEntity, type TelegramToIrOptions } from './telegram-to-ir';
export {
  irToTelegram,
  inlinesToTelegram,
  type IrToTelegramOptions,
  type TelegramText,
} from './ir-to-telegram';
export { richTextPlainText, inlinePlainText } from './ir-plain-text';
