#!/bin/bash
# The guest's environment: what run.sh hands to selftests/vm/guest.sh
# (sourced there by the guest's /bin/sh), written by vm_env_write.
#
# The guest boots with an empty environment, so the knobs tests read
# (UNLOAD_CYCLES=50, STORM_SCALE=..., ENGINE_FULL=1...) reach it only
# through this file: every variable of the caller's environment whose name
# starts with one of VM_PASS_PREFIXES is exported in the guest.
VM_PASS_PREFIXES=${VM_PASS_PREFIXES:-"ALGS_ BENCH_ CHARON_ ENGINE_ IKE_ IPCOMP_ IPSECSTAT_ KAME_ KEEP_ MEM_ PFKEY_ SOCKPOLICY_ STORM_ UNLOAD_ XFER_"}

# vm_env_write SRC KVER NOLOAD CMD...: the file on stdout.
vm_env_write() {
	local src=$1 kver=$2 noload=$3 name p cmd
	shift 3
	cmd=$(printf '%q ' "$@")
	printf 'SRC=%q\nKVER=%q\nVM_NOLOAD=%q\n' "$src" "$kver" "$noload"
	printf 'VM_CRYPTO=%q\n' "${VM_CRYPTO-aesni_intel ghash_clmulni_intel sha1_ssse3 sha256_ssse3 sha512_ssse3 chacha_x86_64 poly1305_x86_64}"
	printf 'VM_CRYPTO_MORE=%q\n' "${VM_CRYPTO_MORE-des_generic des3_ede_x86_64 blowfish_x86_64 cast5_avx_x86_64 camellia_aesni_avx2 twofish_avx_x86_64 serpent_avx2 rmd160 xcbc cmac ctr gcm ccm authenc echainiv seqiv chacha20poly1305 deflate}"
	printf 'VM_CMD=%q\n' "( $cmd ); echo \$? >/tmp/.vm_rc"
	for name in $(compgen -e | sort); do
		for p in $VM_PASS_PREFIXES; do
			[ "${name#"$p"}" != "$name" ] || continue
			# One line each: a value with a newline would need $'...',
			# which the guest's dash does not read.
			case ${!name} in *$'\n'*) continue ;; esac
			printf 'export %s=%q\n' "$name" "${!name}"
			break
		done
	done
}
