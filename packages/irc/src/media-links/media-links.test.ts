import { describe, expect, it } from '@jest/globals';
import { createLogger, irFromText, type ConnectorMedia, type MatrixSideEvent } from '@trestle/core';
import { MediaLinks } from './media-links';

const uploads: Array<{ text: string; type: string }> = [];
const media: ConnectorMedia = {
  upload: async (data, type) => {
    uploads.push({ text: data.toString('utf8'), type });
    return 'mxc://hs/uploaded';
  },
  publicUrl: (mxc, name) => `https://bridge.example.org/m/${mxc.slice(6)}/${name ?? ''}`,
};
const log = createLogger('error', () => undefined);
const sender = { userId: '@alice:hs', displayName: 'Alice' };
const text = (body: string): MatrixSideEvent => ({
  kind: 'message',
  eventId: '$e',
  sender,
  content: { type: 'text', msgtype: 'text', body: irFromText(body) },
});
const bodyOf = (ev: MatrixSideEvent) =>
  ev.kind === 'message' && ev.content.type === 'text' ? JSON.stringify(ev.content.body) : '';

describe('links for what IRC cannot take inline', () => {
  it('a message longer than the line limit is uploaded whole and announced with its link', async () => {
    const long = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join('\n');
    const out = await new MediaLinks(media, log).prepare(text(long), '#chan', 5);
    expect(uploads.at(-1)).toEqual({ text: long, type: 'text/plain; charset=utf-8' });
    expect(out.kind === 'message' && out.content.type === 'text' && out.content.msgtype).toBe('emote');
    expect(bodyOf(out)).toContain(
      'posted a long message: https://bridge.example.org/m/hs/uploaded/message.txt',
    );
  });

  it('a message within the limit is left alone', async () => {
    const event = text('one\ntwo');
    expect(await new MediaLinks(media, log).prepare(event, '#chan', 5)).toBe(event);
  });

  it('without public media a long message is left to be cut, as before', async () => {
    const event = text(Array.from({ length: 8 }, () => 'x').join('\n'));
    const noLinks = { ...media, publicUrl: () => undefined };
    expect(await new MediaLinks(undefined, log).prepare(event, '#chan', 5)).toBe(event);
    expect(await new MediaLinks(noLinks, log).prepare(event, '#chan', 5)).toEqual(event);
  });

  it('a Matrix image is named with its public link', async () => {
    const image: MatrixSideEvent = {
      kind: 'message',
      eventId: '$i',
      sender,
      content: {
        type: 'media',
        kind: 'image',
        name: 'cat.png',
        source: { mxc: 'mxc://hs/cat', fetch: async () => Buffer.alloc(0) },
      },
    };
    const out = await new MediaLinks(media, log).prepare(image, '#chan', 5);
    expect(bodyOf(out)).toContain('[image: cat.png] https://bridge.example.org/m/hs/cat/cat.png');
  });
});
