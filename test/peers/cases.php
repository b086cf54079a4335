<?php
// How the peers beside this file take their cases: a JSON array on standard input, each case's
// answer in the JSON array printed (one php run for a whole batch).
function peer_each_case(callable $answer): void
{
    $cases = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
    echo json_encode(array_map($answer, $cases), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
}
