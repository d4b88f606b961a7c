import { describe, expect, it } from 'vitest';
import { rpcSignature, rpcStringToSign } from '../../../../sandbox/alibaba/rpc-signature';

/** The worked example of Alibaba's "API signature mechanism" page (ECS DescribeRegions, key testid/testsecret). */
const EXAMPLE: Array<[string, string]> = [
  ['TimeStamp', '2016-02-23T12:46:24Z'],
  ['Format', 'XML'],
  ['AccessKeyId', 'testid'],
  ['Action', 'DescribeRegions'],
  ['SignatureMethod', 'HMAC-SHA1'],
  ['SignatureNonce', '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'],
  ['Version', '2014-05-26'],
  ['SignatureVersion', '1.0'],
];

describe('classic RPC signature (HMAC-SHA1)', () => {
  it("reproduces the vendor's worked example: the string to sign and the signature", () => {
    const toSign = rpcStringToSign('GET', EXAMPLE);
    // The page prints the '&' between pairs raw; percent-encoding the canonical string makes it %26.
    expect(toSign).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(rpcSignature('testsecret', toSign)).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
  });

  it('leaves the Signature itself out and signs the method', () => {
    const withSignature: Array<[string, string]> = [...EXAMPLE, ['Signature', 'anything']];
    expect(rpcStringToSign('GET', withSignature)).toBe(rpcStringToSign('GET', EXAMPLE));
    expect(rpcStringToSign('POST', EXAMPLE).startsWith('POST&%2F&')).toBe(true);
  });
});
