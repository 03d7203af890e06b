/** Appservice registration: generate it, read and write `registration.yaml`, check it against the config. */
export { RegistrationSchema, type Registration, type RegistrationNamespace } from './registration';
export { generateRegistration } from './generate-registration';
export {
  loadRegistration,
  parseRegistration,
  writeRegistration,
  type WriteRegistrationOptions,
} from './registration-file';
export { assertRegistrationMatchesConfig, checkRegistrationMatchesConfig } from './check-registration';
export { RegistrationError } from './registration-error';
export { botUserRegex, escapeRegExp, ghostUserRegex, portalAliasRegex } from './namespaces';
