<?php
// A merchant's notify handler: the query parsed as PHP parses $_GET, the concatenated sign checked.
// stdin: [{"key": ..., "query": ...}, ...]   prints: [{"verified": bool}, ...]
require __DIR__ . '/vmq.php';

peer_each_case(function (array $case): array {
    parse_str($case['query'], $notify);
    foreach (['payId', 'param', 'type', 'price', 'reallyPrice', 'sign'] as $name) {
        if (!isset($notify[$name]) || !is_string($notify[$name])) return ['verified' => false];
    }
    return ['verified' => hash_equals(vmq_notify_sign($notify, $case['key']), $notify['sign'])];
});
