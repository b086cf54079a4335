<?php
// A CodePay merchant whose site is GBK ("chart编码 … utf-8或gb2312", "我们兼容GBK"): its strings are
// GBK bytes, so the document's sign (../codepay/codepay.php), run on them, is md5 over GBK bytes, and
// urlencode encodes GBK bytes. The cases come as UTF-8 JSON (what the tests speak) and are turned
// into GBK here, with iconv.
require_once __DIR__ . '/../cases.php';
require __DIR__ . '/../codepay/codepay.php';

function gbk_from_utf8(array $params): array
{
    return array_map(fn ($value) => iconv('UTF-8', 'GBK', (string) $value), $params);
}

function gbk_to_utf8(array $params): array
{
    return array_map(fn ($value) => iconv('GBK', 'UTF-8', (string) $value), $params);
}
