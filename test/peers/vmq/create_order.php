<?php
// A merchant's server creating an order at createOrder with a JSON answer (isHtml=0).
// stdin: [{"key": ..., "order": {"payId", "param", "type", "price", ...}}, ...]
// prints: [{"sign": ..., "query": the query string}, ...]
require __DIR__ . '/vmq.php';

peer_each_case(function (array $case): array {
    $order = $case['order'];
    $order['isHtml'] = 0;
    $order['sign'] = vmq_sign([$order['payId'], $order['param'], $order['type'], $order['price']], $case['key']);
    return ['sign' => $order['sign'], 'query' => http_build_query($order)];
});
