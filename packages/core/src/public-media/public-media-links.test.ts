import { describe, expect, it } from '@jest/globals';
import { PublicMediaLinks } from './public-media-links';

const links = new PublicMediaLinks('https://bridge.example.org/', 'a-signing-key-of-some-length-1234');
const pathOf = (url: string) => new URL(url).pathname;

describe('public media links', () => {
  it('a link the bridge made verifies, naming the media and the file', () => {
    const url = links.urlFor('mxc://example.org/AbC123', 'long message.txt')!;
    expect(url).toMatch(
      /^https:\/\/bridge\.example\.org\/_trestle\/media\/example\.org\/AbC123\/[\w-]{22}\/long%20message\.txt$/,
    );
    expect(links.verify(pathOf(url))).toMatchObject({
      server: 'example.org',
      mediaId: 'AbC123',
      filename: 'long message.txt',
    });
  });

  it('a link without a file name verifies too', () => {
    expect(links.verify(pathOf(links.urlFor('mxc://example.org/AbC123')!))?.mediaId).toBe('AbC123');
  });

  it('a link pointed at other media keeps its signature and is refused', () => {
    const url = links.urlFor('mxc://example.org/AbC123')!;
    expect(links.verify(pathOf(url).replace('AbC123', 'Other99'))).toBeUndefined();
  });

  it('a link signed with another key is refused', () => {
    const other = new PublicMediaLinks('https://bridge.example.org', 'another-key-of-some-length-5678');
    expect(links.verify(pathOf(other.urlFor('mxc://example.org/AbC123')!))).toBeUndefined();
  });

  it('malformed paths and URIs are refused, never thrown on', () => {
    expect(links.verify('/_trestle/media/example.org/AbC123')).toBeUndefined();
    expect(links.verify('/_trestle/media/%E0%A4%A/AbC123/x')).toBeUndefined();
    expect(links.verify('/elsewhere')).toBeUndefined();
    expect(links.urlFor('https://example.org/x.png')).toBeUndefined();
    expect(links.urlFor('mxc://example.org/../../etc')).toBeUndefined();
  });
});
