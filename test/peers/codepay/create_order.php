<?php
// A merchant's site creating an order the way the document's MD5 example does: the document's sample
// order (the admin user tops up 100 yuan by Alipay), changed by name=value arguments, sent as a
// creat_order query whose values are URL-encoded, with the sign last.
// usage: php create_order.php CODEPAY_ID KEY GATEWAY_URL [name=value ...]   -> prints the URL
require __DIR__ . '/codepay.php';

[, $codepayId, $key, $gateway] = $argv;
$order = array_merge([
    'id' => $codepayId,
    'pay_id' => 'admin',
    'type' => 1,
    'price' => 100,
    'param' => '',
    'notify_url' => '',
    'return_url' => 'http://codepay.fateqq.com/',
], codepay_arguments($argv, 4));

$query = [];
foreach (codepay_signed_params($order) as $name => $value) $query[] = $name . '=' . urlencode((string) $value);
$query[] = 'sign=' . codepay_sign($order, $key);
echo $gateway . '?' . implode('&', $query);
