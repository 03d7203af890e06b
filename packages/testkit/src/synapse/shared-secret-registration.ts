import { createHmac } from 'node:crypto';
import { SharedSecretRegistrationError } from './errors';

/** A user made through the admin API, with a logged-in device. */
export interface RegisteredMatrixUser {
  userId: string;
  accessToken: string;
  deviceId: string;
  password: string;
}

/** What to register. */
export interface SharedSecretRegistration {
  localpart: string;
  password: string;
  admin: boolean;
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { error: text };
  }
}

/**
 * Register a user through Synapse's shared-secret admin API (`/_synapse/admin/v1/register`): fetch a
 * nonce, then post the user with an HMAC-SHA1 over `nonce\0user\0password\0admin|notadmin`.
 *
 * @throws {@link SharedSecretRegistrationError} with the Matrix errcode when Synapse refuses.
 */
export async function registerWithSharedSecret(
  homeserverUrl: string,
  sharedSecret: string,
  user: SharedSecretRegistration,
): Promise<RegisteredMatrixUser> {
  const endpoint = new URL('/_synapse/admin/v1/register', homeserverUrl);
  const nonceResponse = await fetch(endpoint);
  const nonceBody = await readJson(nonceResponse);
  if (!nonceResponse.ok || typeof nonceBody.nonce !== 'string') {
    throw new SharedSecretRegistrationError(
      user.localpart,
      nonceResponse.status,
      nonceBody.errcode as string | undefined,
      `no nonce: ${JSON.stringify(nonceBody)}`,
    );
  }
  const mac = createHmac('sha1', sharedSecret)
    .update([nonceBody.nonce, user.localpart, user.password, user.admin ? 'admin' : 'notadmin'].join('\0'))
    .digest('hex');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      nonce: nonceBody.nonce,
      username: user.localpart,
      password: user.password,
      admin: user.admin,
      mac,
    }),
  });
  const body = await readJson(response);
  if (!response.ok) {
    throw new SharedSecretRegistrationError(
      user.localpart,
      response.status,
      body.errcode as string | undefined,
      String(body.error ?? ''),
    );
  }
  return {
    userId: body.user_id as string,
    accessToken: body.access_token as string,
    deviceId: body.device_id as string,
    password: user.password,
  };
}
