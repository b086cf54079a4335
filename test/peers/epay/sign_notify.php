<?php
// The gateway's side of a payment notify: money cast to a float before signing (1.00 goes as 1),
// param only when not empty, sign then sign_type=MD5, as the query appended to notify_url.
// stdin: [{"key": ..., "notify": {name: value, ...}}, ...]   prints: [{"query": ...}, ...]
require __DIR__ . '/epay.php';

peer_each_case(function (array $case): array {
    $notify = $case['notify'];
    $notify['money'] = (float) $notify['money'];
    if (empty($notify['param'])) unset($notify['param']);
    $notify['sign'] = epay_sign($notify, $case['key']);
    $notify['sign_type'] = 'MD5';
    return ['query' => http_build_query($notify)];
});
