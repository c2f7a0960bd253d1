#!/bin/bash
# quick: setkey against whatever PF_KEY is loaded
set -x
S=/work/main/user/setkey/setkey
[ "${1:-}" = af_key ] && modprobe af_key
$S -D; echo rc=$?
printf 'flush;\nspdflush;\nadd 10.1.1.1 20.1.1.1 esp 9876 -E 3des-cbc "hogehogehogehogehogehoge";\nadd 10.1.1.1 20.1.1.1 ah 9877 -A hmac-sha256 "12345678901234567890123456789012";\nspdadd 10.1.1.1 20.1.1.1 any -P out ipsec esp/transport//use;\nspdadd 20.1.1.1 10.1.1.1 tcp -P in ipsec esp/transport//require;\nadd 10.1.1.1 20.1.1.1 esp 9876 -E null;\nget 10.1.1.1 20.1.1.1 ah 9877;\nadd 10.1.1.1 20.1.1.1 esp 9999 -E chacha20-poly1305 "123456789012345678901234567890123456";\n' > /tmp/a.conf
$S -f /tmp/a.conf; echo rc=$?
$S -D; echo rc=$?
$S -DP; echo rc=$?
printf 'deleteall 10.1.1.1 20.1.1.1 esp;\ndelete 10.1.1.1 20.1.1.1 ah 9877;\ndelete 10.1.1.1 20.1.1.1 ah 9877;\nspddelete 10.1.1.1 20.1.1.1 any -P out;\n' | $S -c; echo rc=$?
$S -D; $S -DP
$S -F; $S -FP; $S -D; $S -DP
