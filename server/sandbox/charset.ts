/**
 * The `chart` parameter ("我们兼容GBK"): a merchant whose site is GBK (or GB2312) sends creat_order
 * values as GBK bytes, percent-encoded, signs md5 over those bytes, and gets its notify back in GBK.
 * Node decodes GBK (TextDecoder) but cannot encode it: iconv-lite does both, from one table.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { parse } from 'node:querystring';
import iconv from 'iconv-lite';
import { canonicalString, fieldWithSeparator, parseForm, sign, verify, type Params } from '../codepay/protocol.ts';

/** What the sandbox speaks: UTF-8 unless `chart` names GBK or its subset GB2312. */
export type Charset = 'utf-8' | 'gbk';

export function charsetOf(chart: string | undefined): Charset {
  return chart !== undefined && /^(gbk|gb2312)$/i.test(chart) ? 'gbk' : 'utf-8';
}

/**
 * A creat_order or ispay query read in the charset its `chart` names (an ASCII value, so the UTF-8
 * reading finds it). A repeated name is refused, as parseForm refuses it.
 */
export function parseQuery(query: string): { params: Params; charset: Charset } | undefined {
  const params = parseForm(query);
  if (!params) return undefined;
  const charset = charsetOf(params.chart);
  if (charset === 'utf-8') return { params, charset };
  const decoded = parse(query, '&', '=', { decodeURIComponent: (text) => iconv.decode(percentDecoded(text), 'gbk') });
  const gbk: Params = Object.create(null);
  for (const [name, value] of Object.entries(decoded)) {
    if (typeof value !== 'string') return undefined;
    gbk[name] = value;
  }
  return { params: gbk, charset };
}

/** The bytes a query value stands for: each %XX one byte, anything else its UTF-8 (parse turned + into %20). */
function percentDecoded(text: string): Buffer {
  const parts = text.split(/(%[0-9A-Fa-f]{2})/);
  return Buffer.concat(
    parts.map((part, i) => (i % 2 === 1 ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(part))),
  );
}

/** The CodePay sign with the signed string's bytes in the charset: md5 over GBK bytes for a GBK merchant. */
export function signIn(charset: Charset, params: Params, key: string): string {
  if (charset === 'utf-8') return sign(params, key);
  return hash('md5', iconv.encode(canonicalString(params) + key, 'gbk'), 'hex');
}

/** verify() in the charset, with verify()'s rules: lower-case hex, no field holding `&` or `=`, constant time. */
export function verifyIn(charset: Charset, params: Params, key: string): boolean {
  if (charset === 'utf-8') return verify(params, key);
  const given = params.sign;
  if (typeof given !== 'string' || !/^[0-9a-f]{32}$/.test(given)) return false;
  if (fieldWithSeparator(params) !== undefined) return false;
  return timingSafeEqual(Buffer.from(signIn(charset, params, key), 'hex'), Buffer.from(given, 'hex'));
}

export interface FormBody {
  body: string;
  contentType: string;
}

/** A form body whose values are percent-encoded bytes of the charset, and its content type. */
export function formBody(charset: Charset, params: Params): FormBody {
  if (charset === 'utf-8') {
    return { body: new URLSearchParams(params).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  const pairs = Object.entries(params).map(
    ([name, value]) => `${percentBytes(iconv.encode(name, 'gbk'))}=${percentBytes(iconv.encode(value, 'gbk'))}`,
  );
  return { body: pairs.join('&'), contentType: 'application/x-www-form-urlencoded; charset=GBK' };
}

/** Every byte but [A-Za-z0-9_.~-] as %XX: the bytes themselves, whatever charset they are in. */
function percentBytes(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    const character = String.fromCharCode(byte);
    text += /[A-Za-z0-9_.~-]/.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}
