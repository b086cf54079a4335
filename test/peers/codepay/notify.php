<?php
// A merchant's notify handler, as the document asks: verify the sign with the key, insist on pay_no
// (only a paid notify carries one), answer `success` when handled or `fail` to be notified again.
// Serve with: CODEPAY_KEY=... NOTIFY_LOG=/path php -S 127.0.0.1:PORT notify.php
// Each verified notify is appended to NOTIFY_LOG as one JSON line.
require __DIR__ . '/codepay.php';

$notify = $_POST;
$paid = isset($notify['pay_no']) && is_string($notify['pay_no']) && $notify['pay_no'] !== '';
$signed = isset($notify['sign']) && is_string($notify['sign'])
    && hash_equals(codepay_sign($notify, getenv('CODEPAY_KEY')), $notify['sign']);
if (!$paid || !$signed) {
    exit('fail');
}
file_put_contents(getenv('NOTIFY_LOG'), json_encode($notify) . "\n", FILE_APPEND | LOCK_EX);
exit('success');
