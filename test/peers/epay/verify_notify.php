<?php
// A merchant's notify handler: the query parsed as PHP parses $_GET, the sign checked, and then
// what a handler must also check: trade_status TRADE_SUCCESS and the amount in cents.
// stdin: [{"key": ..., "query": ...}, ...]   prints: [{"verified": bool, "signed": ..., "cents": int|null}, ...]
require __DIR__ . '/epay.php';

peer_each_case(function (array $case): array {
    parse_str($case['query'], $notify);
    $verified = epay_verify($notify, $case['key']) && ($notify['trade_status'] ?? '') === 'TRADE_SUCCESS';
    $money = $notify['money'] ?? '';
    $cents = is_string($money) && preg_match('/^\d+(\.\d{1,2})?$/', $money) ? (int) round((float) $money * 100) : null;
    return ['verified' => $verified, 'signed' => epay_signed_string($notify), 'cents' => $cents];
});
