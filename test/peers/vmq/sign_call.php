<?php
// The signs of closeOrder (md5(orderId + key)) and getState (md5(t + key)), as a merchant computes them.
// stdin: [{"key": ..., "value": orderId or t}, ...]   prints: [{"sign": ...}, ...]
require __DIR__ . '/vmq.php';

peer_each_case(fn (array $case): array => ['sign' => vmq_sign([$case['value']], $case['key'])]);
