<?php
// The 彩虹易支付 (epay) V1 MD5 signature as a merchant's site computes it, for the peers beside this
// file. Signed: every parameter but `sign` and `sign_type`, and but arrays and values that trim()
// leaves empty; sorted by name; joined as a=1&b=2 with the values as they are (not URL-encoded);
// the sign is md5 of that string with the merchant key appended, in lower-case hex.
require_once __DIR__ . '/../cases.php';

function epay_signed_string(array $params): string
{
    $pairs = [];
    ksort($params, SORT_STRING);
    foreach ($params as $name => $value) {
        if ($name === 'sign' || $name === 'sign_type' || is_array($value) || trim((string) $value) === '') continue;
        $pairs[] = "$name=$value";
    }
    return implode('&', $pairs);
}

function epay_sign(array $params, string $key): string
{
    return md5(epay_signed_string($params) . $key);
}

function epay_verify(array $params, string $key): bool
{
    return isset($params['sign']) && is_string($params['sign'])
        && (!isset($params['sign_type']) || $params['sign_type'] === 'MD5')
        && hash_equals(epay_sign($params, $key), $params['sign']);
}

/** The request as sent: the fields, their sign, and sign_type=MD5 (sent, not signed). */
function epay_signed_request(array $params, string $key): array
{
    $params['sign'] = epay_sign($params, $key);
    $params['sign_type'] = 'MD5';
    return $params;
}
