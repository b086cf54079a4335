<?php
// A merchant's server asking an epay site about its order: GET {base}/api.php?act=order with the
// pid and key in the URL, by out_trade_no. stdin: [{"base", "pid", "key", "out_trade_no"}, ...]
// prints: [{"paid": status == 1, "answer": the decoded JSON}, ...]
require __DIR__ . '/epay.php';

peer_each_case(function (array $case): array {
    $query = http_build_query([
        'act' => 'order',
        'pid' => $case['pid'],
        'key' => $case['key'],
        'out_trade_no' => $case['out_trade_no'],
    ]);
    $answer = json_decode((string) file_get_contents(rtrim($case['base'], '/') . '/api.php?' . $query), true);
    return ['paid' => ($answer['code'] ?? 0) == 1 && ($answer['status'] ?? '') == 1, 'answer' => $answer];
});
