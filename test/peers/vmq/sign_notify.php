<?php
// V免签's side of a payment notify: the prices as its DOUBLE columns print them (0.10 goes as 0.1),
// the query built by plain concatenation, values not URL-encoded, sign last.
// stdin: [{"key": ..., "notify": {"payId", "param", "type", "price", "reallyPrice"}}, ...]
// prints: [{"query": ...}, ...]
require __DIR__ . '/vmq.php';

peer_each_case(function (array $case): array {
    $notify = $case['notify'];
    $notify['price'] = (string) (float) $notify['price'];
    $notify['reallyPrice'] = (string) (float) $notify['reallyPrice'];
    $query = 'payId=' . $notify['payId'] . '&param=' . $notify['param'] . '&type=' . $notify['type']
        . '&price=' . $notify['price'] . '&reallyPrice=' . $notify['reallyPrice'];
    return ['query' => $query . '&sign=' . vmq_notify_sign($notify, $case['key'])];
});
