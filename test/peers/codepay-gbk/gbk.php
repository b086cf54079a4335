<?php
// A CodePay merchant whose site is GBK ("chart编码 … utf-8或gb2312", "我们兼容GBK"): its strings are
// GBK bytes, so it signs md5 over the GBK bytes of the document's signed string (every non-empty
// parameter but `sign`, sorted by name, a=1&b=2, the key appended) and urlencodes GBK bytes.
// The cases come as UTF-8 JSON (what this test speaks) and are turned into GBK here, with iconv.

function gbk_signed_string(array $params): string
{
    unset($params['sign']);
    $params = array_filter($params, fn ($value) => (string) $value !== '');
    ksort($params, SORT_STRING);
    $pairs = [];
    foreach ($params as $name => $value) $pairs[] = "$name=$value";
    return implode('&', $pairs);
}

function gbk_sign(array $params, string $key): string
{
    return md5(gbk_signed_string($params) . $key);
}

function gbk_from_utf8(array $params): array
{
    return array_map(fn ($value) => iconv('UTF-8', 'GBK', (string) $value), $params);
}

function gbk_to_utf8(array $params): array
{
    return array_map(fn ($value) => iconv('GBK', 'UTF-8', (string) $value), $params);
}

// The cases on standard input: a JSON array; each answer goes into the JSON array printed.
function gbk_each_case(callable $answer): void
{
    $cases = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
    echo json_encode(array_map($answer, $cases), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
}
