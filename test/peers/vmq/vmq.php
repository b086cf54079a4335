<?php
// V免签's signatures, for the peers beside this file: md5 of the values joined with no separator
// and the key appended. Create: payId param type price; notify: payId param type price reallyPrice;
// closeOrder: orderId; getState: t.

function vmq_sign(array $values, string $key): string
{
    return md5(implode('', $values) . $key);
}

function vmq_notify_sign(array $notify, string $key): string
{
    return vmq_sign([$notify['payId'], $notify['param'], $notify['type'], $notify['price'], $notify['reallyPrice']], $key);
}

// The cases on standard input: a JSON array; each answer goes into the JSON array printed.
function vmq_each_case(callable $answer): void
{
    $cases = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
    echo json_encode(array_map($answer, $cases), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
}
