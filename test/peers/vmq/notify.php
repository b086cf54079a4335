<?php
// A merchant's V免签 notify handler: V免签 sends a GET, so the fields are $_GET; the concatenated
// sign is checked with the key; `success` when handled (V免签 never sends it again otherwise).
// Serve with: VMQ_KEY=... NOTIFY_LOG=/path php -S 127.0.0.1:PORT notify.php
// Each verified notify is appended to NOTIFY_LOG as one JSON line.
require __DIR__ . '/vmq.php';

$notify = $_GET;
foreach (['payId', 'param', 'type', 'price', 'reallyPrice', 'sign'] as $name) {
    if (!isset($notify[$name]) || !is_string($notify[$name])) exit('fail');
}
if (!hash_equals(vmq_notify_sign($notify, getenv('VMQ_KEY')), $notify['sign'])) exit('fail');
file_put_contents(getenv('NOTIFY_LOG'), json_encode($notify, JSON_UNESCAPED_UNICODE) . "\n", FILE_APPEND | LOCK_EX);
exit('success');
