<?php
// A merchant's server creating its order at an epay site: the fields signed, sign_type=MD5 added,
// POSTed as a form to {base}/mapi.php, and the JSON answer read as a merchant's SDK reads it.
// stdin: [{"base": ..., "key": ..., "order": {name: value, ...}}, ...]
// prints: [{"http": the HTTP status line, "answer": the decoded JSON (null if not JSON)}, ...]
require __DIR__ . '/epay.php';

peer_each_case(function (array $case): array {
    $order = epay_signed_request($case['order'], $case['key']);
    $context = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Content-Type: application/x-www-form-urlencoded\r\n",
        'content' => http_build_query($order),
        'timeout' => 10,
        'ignore_errors' => true,
    ]]);
    $body = file_get_contents(rtrim($case['base'], '/') . '/mapi.php', false, $context);
    return ['http' => $http_response_header[0] ?? '', 'answer' => json_decode((string) $body, true)];
});
