import { displayUrl } from '../../src/platform/display-url';

/** The one helper that decides how a CSV source is shown: never a signed URL's credential. */

test.each([
  [
    'https://bucket.s3.amazonaws.com/lists/dec.csv?X-Amz-Signature=abc&X-Amz-Credential=AKIA',
    'https://bucket.s3.amazonaws.com/lists/dec.csv',
  ],
  ['https://user:password@files.example.com:8443/a/b.csv#part', 'https://files.example.com:8443/a/b.csv'],
  ['HTTP://Files.Example.com/x.csv?sig=1', 'http://files.example.com/x.csv'],
  ['http://[::1', 'http://[::1'],
  ['http://user:pw@[bad/x.csv?sig=secret', 'http://[bad/x.csv'],
  ['/data/contacts.csv', '/data/contacts.csv'],
  ['contacts.csv', 'contacts.csv'],
])('%s is shown as %s', (source, shown) => {
  expect(displayUrl(source)).toBe(shown);
});
