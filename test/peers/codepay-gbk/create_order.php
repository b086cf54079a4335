<?php
// The GBK site's creat_order URL: values in GBK, signed over those bytes, urlencoded, sign last.
// stdin: [{"gateway": ..., "key": ..., "params": {name: value (UTF-8)}}, ...]   prints: [{"url": ...}, ...]
require __DIR__ . '/gbk.php';

peer_each_case(function (array $case): array {
    $params = gbk_from_utf8($case['params']);
    $query = [];
    foreach (codepay_signed_params($params) as $name => $value) $query[] = $name . '=' . urlencode($value);
    $query[] = 'sign=' . codepay_sign($params, $case['key']);
    return ['url' => $case['gateway'] . '?' . implode('&', $query)];
});
