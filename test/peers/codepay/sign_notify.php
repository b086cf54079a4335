<?php
// The CodePay cloud's side of a payment notify: the fields given, signed, as the form body it POSTs.
// usage: php sign_notify.php KEY [name=value ...]   -> prints the urlencoded body, sign included
require __DIR__ . '/codepay.php';

$notify = codepay_arguments($argv, 2);
$notify['sign'] = codepay_sign($notify, $argv[1]);
echo http_build_query($notify);
