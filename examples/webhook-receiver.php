<?php
// A merchant's webhook receiver in PHP: verifies CodePay-Signature, drops duplicates, fulfils.
// Serve with: MERCHANT_WEBHOOK_SECRET=... php -S 127.0.0.1:9000 webhook-receiver.php
$secret = getenv('MERCHANT_WEBHOOK_SECRET');
$body = file_get_contents('php://input');           // the raw body: verify before json_decode
$header = $_SERVER['HTTP_CODEPAY_SIGNATURE'] ?? '';

preg_match('/(?:^|,)t=(\d+)/', $header, $t);
preg_match_all('/(?:^|,)v1=([0-9a-f]{64})/', $header, $v1);
$timestamp = isset($t[1]) ? (int)$t[1] : 0;
$expected = hash_hmac('sha256', $timestamp . '.' . $body, $secret);
$valid = false;
foreach ($v1[1] as $signature) {
    if (hash_equals($expected, $signature)) $valid = true;
}
if (!$valid || abs(time() - $timestamp) > 300) {      // 5 minutes: older is a replay
    http_response_code(400);
    exit('bad signature');
}

$event = json_decode($body, true);
// Events come at least once: keep the ids you handled and skip a repeat.
$seen = getenv('SEEN_FILE');
$handled = file_exists($seen) ? file($seen, FILE_IGNORE_NEW_LINES) : array();
if (!in_array($event['id'], $handled, true)) {
    file_put_contents($seen, $event['id'] . "\n", FILE_APPEND | LOCK_EX);
    if ($event['type'] === 'order.paid' || $event['type'] === 'order.paid_late') {
        $order = $event['data']['order'];                // deliver $order['reference'] here
        file_put_contents(getenv('FULFILLED_LOG'), $order['id'] . ' ' . $order['reference'] . "\n", FILE_APPEND | LOCK_EX);
    }
}
echo 'ok';
