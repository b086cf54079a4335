<?php
// The CodePay signature as the 码支付 document defines it, for the peers beside this file.
// The signed string: every parameter but `sign` and the empty ones, sorted by name letter by letter
// ("按首字母排序 如首字母相同则依次比对下一个字母"), joined as a=1&b=2 with the values as they are
// (not URL-encoded); the sign is md5 of that string with the merchant key appended.

// The parameters that are signed, in signing order.
function codepay_signed_params(array $params): array
{
    unset($params['sign']);
    $params = array_filter($params, fn ($value) => (string) $value !== '');
    ksort($params, SORT_STRING);
    return $params;
}

function codepay_sign(array $params, string $key): string
{
    $pairs = [];
    foreach (codepay_signed_params($params) as $name => $value) $pairs[] = "$name=$value";
    return md5(implode('&', $pairs) . $key);
}

// Command-line `name=value` arguments (the value may hold `=`), from $argv[$first] on.
function codepay_arguments(array $argv, int $first): array
{
    $params = [];
    foreach (array_slice($argv, $first) as $argument) {
        [$name, $value] = explode('=', $argument, 2);
        $params[$name] = $value;
    }
    return $params;
}
