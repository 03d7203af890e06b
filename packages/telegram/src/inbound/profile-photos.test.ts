import { describe, expect, it } from '@jest/globals';
import type { Logger } from '@trestle/core';
import type { Telegram } from 'telegraf';
import { ProfilePhotos } from './profile-photos';

/** Profile photos over a Bot API that answers getUserProfilePhotos with `answers`, in turn (an Error throws). */
function photosAnswering(...answers: (string[] | Error)[]) {
  const telegram = {
    getUserProfilePhotos: async () => {
      const answer = answers.shift()!;
      if (answer instanceof Error) throw answer;
      return { photos: answer.map((id) => [{ file_id: `f-${id}`, file_unique_id: id }]) };
    },
  } as unknown as Telegram;
  const log = { debug: () => {} } as unknown as Logger;
  // refreshMs 0: every call looks the user up again.
  return new ProfilePhotos(telegram, async () => Buffer.from('jpg'), log, 0);
}

describe('Telegram profile photos as ghost avatars', () => {
  it('a user whose photo was removed gets null, so the ghost avatar is cleared', async () => {
    const photos = photosAnswering(['p1'], []);
    expect((await photos.avatarFor('42'))?.key).toBe('telegram:avatar:p1');
    expect(await photos.avatarFor('42')).toBeNull();
  });

  it('a failed lookup keeps the photo known before instead of clearing it', async () => {
    const photos = photosAnswering(['p1'], new Error('429'));
    await photos.avatarFor('42');
    expect((await photos.avatarFor('42'))?.key).toBe('telegram:avatar:p1');
  });

  it('a failed first lookup says nothing about the avatar (undefined)', async () => {
    expect(await photosAnswering(new Error('500')).avatarFor('42')).toBeUndefined();
  });
});
