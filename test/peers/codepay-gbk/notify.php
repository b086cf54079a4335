<?php
// The GBK site's notify handler: the form body parsed as PHP parses $_POST (bytes, here GBK), the
// sign checked over those bytes. stdin: [{"key": ..., "body": ...}, ...]
// prints: [{"verified": bool, "fields": the fields as UTF-8}, ...]
require __DIR__ . '/gbk.php';

peer_each_case(function (array $case): array {
    parse_str($case['body'], $notify);
    $verified = isset($notify['sign'], $notify['pay_no']) && is_string($notify['sign'])
        && hash_equals(codepay_sign($notify, $case['key']), $notify['sign']);
    return ['verified' => $verified, 'fields' => gbk_to_utf8($notify)];
});
