/**
 * fast-check arbitraries for hostile HTTP input: odd Unicode, SQL- and script-looking strings,
 * malformed amounts, wrong types, broken JSON and forms, wrong content types and encodings.
 */
import fc from 'fast-check';

/** Strings that have broken other servers. */
export const NASTY_STRINGS = [
  "' OR '1'='1",
  '1; DROP TABLE orders; --',
  '" UNION SELECT * FROM payments --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202egnp.exe',
  '\ufeff9.90',
  '\r\nX-Injected: 1',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  '𝟗.𝟗𝟎',
  '９.９０',
  'Z̷̢͔a̶̱͝l̸g̵o̴',
  '👩‍👩‍👧‍👦',
  '\u00a0',
  '',
  ' ',
];

/** Amounts that are not amounts: signs, exponents, NaN, too many decimals, too large, not strings. */
export const BAD_PRICES: unknown[] = [
  '-1',
  '-0.01',
  '0',
  '0.00',
  '0.001',
  '9.999',
  '1e3',
  '1E3',
  '1e-2',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b11',
  '１０',
  '9,90',
  ' 9.90',
  '9.90 ',
  '+1',
  '.5',
  '5.',
  '9..9',
  '100000',
  '99999.999',
  '9'.repeat(400),
  '1_000',
  -1,
  0,
  9.9,
  1e21,
  -0,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  ['9.90'],
  { price: '9.90' },
  {},
];

export const weirdString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('%', '&', '=', '+', '#', '?', '/', '\\', '"', "'", '<', '\u0000', 'a', '1', '.'),
    maxLength: 30,
  }),
);

/** A well-formed amount (sometimes allowed by the policy, sometimes not). */
const amount = fc.integer({ min: 0, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2));

export const priceValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BAD_PRICES) },
  { weight: 2, arbitrary: weirdString },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: amount },
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(weirdString, priceValue, fc.anything({ maxDepth: 2 }));

/** A create-order body: the real fields with hostile values, sometimes an extra field. */
export const orderBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        price: priceValue,
        product: fc.oneof(weirdString, fc.constantFrom('tea', 'book'), anyValue),
        type: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, -1, 1.5, '1', '3', 'alipay', null, [1]), anyValue),
        param: fc.oneof(weirdString, fc.string({ minLength: 90, maxLength: 120 }), anyValue),
        reference: weirdString,
        extra: anyValue,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
);

/** A JSON text, or something that only looks like one. */
export const jsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: orderBody.map((body) => JSON.stringify(body) ?? 'undefined') },
  { weight: 1, arbitrary: orderBody.map((body) => (JSON.stringify(body) ?? '').slice(0, -1)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"price": 9.90}',
      '{"price":"9.90",}',
      "{'price':'9.90'}",
      '['.repeat(5000),
      '{"a":'.repeat(2000),
      'price=9.90',
      '\ufeff{"price":"9.90"}',
      '{"price":"9.90"}\u0000',
      'null',
      '""',
      '0',
      '{"__proto__":{"trusted":true},"price":"1.00"}',
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 17_000, max: 1_000_000 })
      .map((size) => JSON.stringify({ price: '1.00', param: 'x'.repeat(size) })),
  },
);

/** A urlencoded form of hostile fields, as a notify or a query string. */
export function formText(names: readonly string[]): fc.Arbitrary<string> {
  const field = fc.tuple(
    fc.oneof(fc.constantFrom(...names), weirdString),
    fc.oneof(weirdString, amount, fc.stringMatching(/^[0-9a-f]{32}$/)),
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(field, { maxLength: 14 }).map((pairs) => new URLSearchParams(pairs).toString()) },
    {
      weight: 2,
      arbitrary: fc
        .array(field, { maxLength: 8 })
        .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&')),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  );
}

export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-7',
  'application/json; charset=no-such-charset',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-16',
  'multipart/form-data; boundary=x',
  'text/plain',
  'text/html',
  'application/xml',
  'application/octet-stream',
  'application',
  ';;;',
  '',
);

/** Request header sets: sometimes a compressed or falsely compressed body, an origin, a secret. */
const someHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-nope'),
    origin: fc.constantFrom('https://shop.example.com', 'https://evil.example', 'null', 'http://127.0.0.1'),
    authorization: fc.constantFrom('Bearer ', 'Bearer wrong-secret-0000000000', 'Basic YTpi', 'Bearer \u00ff'),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'image/png', ''),
    'x-request-id': fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
  },
  { requiredKeys: [] },
);

/** Mostly none, so that most requests reach the body parser rather than the origin or secret checks. */
export const extraHeaders = fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: someHeaders });

/** A path segment: percent-encoded Unicode, or raw bytes a URL parser may choke on. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  // Lone surrogates cannot be percent-encoded: the URL carries U+FFFD for them, as a browser sends.
  weirdString.map((text) =>
    encodeURIComponent(
      text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
    ),
  ),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '..', '.', '%2e%2e', '%2F', ';', '*', 'a'.repeat(300), '0', '-1'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/),
);

export const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS');
