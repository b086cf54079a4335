<?php
// V免签's signatures, for the peers beside this file: md5 of the values joined with no separator
// and the key appended. Create: payId param type price; notify: payId param type price reallyPrice;
// closeOrder: orderId; getState: t.
require_once __DIR__ . '/../cases.php';

function vmq_sign(array $values, string $key): string
{
    return md5(implode('', $values) . $key);
}

function vmq_notify_sign(array $notify, string $key): string
{
    return vmq_sign([$notify['payId'], $notify['param'], $notify['type'], $notify['price'], $notify['reallyPrice']], $key);
}
