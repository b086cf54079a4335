<?php
// A merchant's notify handler for an epay site: the GET query verified with the key, TRADE_SUCCESS
// required, then answered `success` (or `fail`, to be notified again). The money is read in cents
// whatever its float form (`1`, `0.1`, `1.00`).
// Serve with: EPAY_KEY=... NOTIFY_LOG=/path php -S 127.0.0.1:PORT notify.php
// Each verified notify is appended to NOTIFY_LOG as one JSON line, with its `cents`.
require __DIR__ . '/epay.php';

$notify = $_GET;
if (!epay_verify($notify, getenv('EPAY_KEY')) || ($notify['trade_status'] ?? '') !== 'TRADE_SUCCESS') {
    exit('fail');
}
$notify['cents'] = (int) round((float) $notify['money'] * 100);
file_put_contents(getenv('NOTIFY_LOG'), json_encode($notify, JSON_UNESCAPED_UNICODE) . "\n", FILE_APPEND | LOCK_EX);
exit('success');
