#!/bin/bash
# ipsecstat -w: each drop provoked below reaches the "drops" listeners of
# its netns exactly once, with its reason, SPI or policy, addresses and
# interface, and the plain-words stream explains it; the per-SA and
# per-policy counters saw the same packets. (Layout: ipsecstat_lib.sh.)
cd "$(dirname "$0")"
. ./lib.sh
kame_loaded || skip_all "kameipsec not loaded"
A=isa$$ B=isb$$
. ./ipsecstat_lib.sh

ist_begin $A $B
ist_setup

ip netns exec $A "$IPSECSTAT" -w -j >"$D/json" 2>"$D/json.err" &
PIDS="$PIDS $!"
ip netns exec $A "$IPSECSTAT" -w >"$D/text" 2>"$D/text.err" &
PIDS="$PIDS $!"
wait_listener $A

esp valid 0x1001 1			# accepted: no event
esp valid 0x1001 1			# replayed
esp icv 0x1001 2			# ICV flipped
esp valid 0x2002 1			# nobody has SPI 0x2002
esp pad 0x1001 3			# padding wrong, ICV right
esp clear 0 0				# clear, policy requires ESP
ESP_SPORT=7002 esp valid 0x1001 4	# ESP where the policy requires AH
ip netns exec $A bash -c 'echo x >/dev/udp/10.90.0.2/7000' 2>/dev/null	# no SA out
sleep 1
stop_pids
sed 's/^/# event: /' "$D/json"
sed 's/^/# text: /' "$D/text"
PIN=$(policy_id in sport 7001)
PAH=$(policy_id in sport 7002)
POUT=$(policy_id out dport 7000)
ktap_note "policies: in $PIN, in (AH) $PAH, out $POUT"

ktap_plan 15
check "the accepted packet made no event, nothing else was reported" \
	test "$(wc -l <"$D/json")" -eq 7
check "replay: one in_esp_replay event for SPI 0x1001, from 10.90.0.2 on a0" \
	test "$(events "$D/json" in_esp_replay '"src":"10.90.0.2","dst":"10.90.0.1","proto":50,"spi":4097,"sa_proto":50,.*"ifname":"a0"')" -eq 1
check "wrong ICV: one in_esp_icv event for SPI 0x1001 with the SA's algorithms" \
	test "$(events "$D/json" in_esp_icv '"spi":4097,"sa_proto":50,"algs":"null/hmac-sha1","mode":"transport"')" -eq 1
check "unknown SPI: one in_nosa event for SPI 0x2002" \
	test "$(events "$D/json" in_nosa '"spi":8194,"sa_proto":50,')" -eq 1
check "bad padding: one in_bad_padding event for SPI 0x1001" \
	test "$(events "$D/json" in_bad_padding '"spi":4097,')" -eq 1
check "clear packet under a require policy: one in_policy_clear event with that policy, its request and the ports" \
	test -n "$PIN" -a "$(events "$D/json" in_policy_clear "\"proto\":17,\"sport\":7001,\"dport\":9,\"policy_id\":$PIN,\"policy\":\"ipsec esp/transport//require\",")" -eq 1
check "ESP where the policy requires AH: one in_policy_mismatch event with the SA and the policy" \
	test -n "$PAH" -a "$(events "$D/json" in_policy_mismatch "\"proto\":17,\"sport\":7002,\"dport\":9,\"spi\":4097,\"sa_proto\":50,.*\"policy_id\":$PAH,\"policy\":\"ipsec ah/transport//require\",")" -eq 1
check "no SA for an outbound require policy: one out_nosa event with that policy and its request" \
	test -n "$POUT" -a "$(events "$D/json" out_nosa "\"dir\":\"out\".*\"sport\":[0-9]*,\"dport\":7000,\"policy_id\":$POUT,\"policy\":\"ipsec esp/transport//require\",")" -eq 1
check "the words: ICV mismatch explained with the SA" \
	grep -q '^in  esp 10.90.0.2 → 10.90.0.1 spi 0x1001 on a0: ICV mismatch — the peer.s authentication key differs from ours.*(SA 0x1001, null/hmac-sha1, transport) {in_esp_icv}$' "$D/text"
check "the words: the policy and what it requires" \
	grep -q "^out udp 10.90.0.1:[0-9]* → 10.90.0.2:7000.*: no SA to protect it with — .* \\[policy $POUT: ipsec esp/transport//require\\] {out_nosa}\$" "$D/text"
check "the words: every event has its sentence" \
	test "$(grep -c ' — ' "$D/text")" -eq 7
proc_noage kame_ipsecstat >"$D/proc"
check "/proc agrees: the last ICV failure was SPI 0x1001" \
	grep -q '^drop in_esp_icv 1 spi 0x00001001 policy 0$' "$D/proc"
check "/proc agrees: the last policy violation was policy $PIN" \
	grep -q "^drop in_policy_clear 1 spi 0x00000000 policy $PIN\$" "$D/proc"
sa=$(ip netns exec $A "$IPSECSTAT" -s -j | grep '"spi":4097,')
ktap_note "SA: $sa"
# 88 bytes a packet as received: IP 20, ESP 8, UDP 8 + 36, padding 2, 2, ICV 12;
# charged: the valid one, the one with bad padding, the one under the AH policy.
check "per SA: 1 replay and 1 ICV failure counted on SA 0x1001, 3 packets of 88 bytes carried" \
	eval 'echo "$sa" | grep -q "\"bytes\":264,\"packets\":3,\"replay_fail\":1,\"icv_fail\":1,"'
pol=$(ip netns exec $A "$IPSECSTAT" -p -j | grep "^{\"id\":$PIN,")
ktap_note "policy: $pol"
check "per policy: the inbound policy counted its hit" \
	eval 'echo "$pol" | grep -q "\"hits\":[1-9]"'
ktap_finish
