<?php
// A merchant's server creating an order at mapi.php: the order's fields signed, sign_type=MD5 added,
// sent as a form body. stdin: [{"key": ..., "order": {name: value, ...}}, ...]
// prints: [{"signed": the signed string, "sign": ..., "body": the form body}, ...]
require __DIR__ . '/epay.php';

peer_each_case(function (array $case): array {
    $order = epay_signed_request($case['order'], $case['key']);
    return ['signed' => epay_signed_string($order), 'sign' => $order['sign'], 'body' => http_build_query($order)];
});
