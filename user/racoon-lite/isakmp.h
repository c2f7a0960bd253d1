/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IKEv1 wire constants: ISAKMP (RFC 2408), IKE (RFC 2409), the IPsec DOI
 * (RFC 2407) and the IANA registries that extend them.
 */
#ifndef RACOON_LITE_ISAKMP_H
#define RACOON_LITE_ISAKMP_H

#include <stdint.h>

#define ISAKMP_HDR_LEN		28
#define ISAKMP_GEN_LEN		4	/* generic payload header */
#define ISAKMP_VERSION		0x10	/* major 1, minor 0 */
#define ISAKMP_PORT		500
#define ISAKMP_MAX_PACKET	65535

/* Exchange types */
#define ETYPE_BASE		1
#define ETYPE_IDENT		2	/* Main Mode */
#define ETYPE_AUTH		3
#define ETYPE_AGGRESSIVE	4
#define ETYPE_INFO		5
#define ETYPE_QUICK		32

/* Header flags */
#define ISAKMP_FLAG_E		0x01
#define ISAKMP_FLAG_C		0x02
#define ISAKMP_FLAG_A		0x04

/* Payload types */
#define PL_NONE			0
#define PL_SA			1
#define PL_P			2
#define PL_T			3
#define PL_KE			4
#define PL_ID			5
#define PL_CERT			6
#define PL_CR			7
#define PL_HASH			8
#define PL_SIG			9
#define PL_NONCE		10
#define PL_N			11
#define PL_D			12
#define PL_VID			13
#define PL_NAT_D		20
#define PL_NAT_OA		21

#define DOI_IPSEC		1
#define SIT_IDENTITY_ONLY	1

/* Protocol ids (RFC 2407 4.4.1) */
#define PROTO_ISAKMP		1
#define PROTO_IPSEC_AH		2
#define PROTO_IPSEC_ESP		3
#define PROTO_IPCOMP		4

#define KEY_IKE			1	/* phase-1 transform id */

/* Phase-1 (Oakley) attributes, RFC 2409 appendix A */
#define OAKLEY_ENC		1
#define OAKLEY_HASH		2
#define OAKLEY_AUTH		3
#define OAKLEY_GROUP		4
#define OAKLEY_LIFE_TYPE	11
#define OAKLEY_LIFE_DURATION	12
#define OAKLEY_KEY_LENGTH	14

#define OAKLEY_ENC_3DES		5
#define OAKLEY_ENC_AES		7
#define OAKLEY_HASH_MD5		1
#define OAKLEY_HASH_SHA1	2
#define OAKLEY_HASH_SHA256	4
#define OAKLEY_HASH_SHA384	5	/* RFC 4868 / IANA IKEv1 hash ids */
#define OAKLEY_HASH_SHA512	6
#define OAKLEY_AUTH_PSK		1
#define OAKLEY_AUTH_RSA_SIG	3
#define OAKLEY_AUTH_ECDSA_256	9	/* RFC 4754: P-256 with SHA-256 */
#define OAKLEY_AUTH_ECDSA_384	10	/* P-384 with SHA-384 */
#define OAKLEY_AUTH_ECDSA_521	11	/* P-521 with SHA-512 */
#define LIFE_TYPE_SECONDS	1
#define LIFE_TYPE_KB		2

/* Phase-2 (IPsec DOI) attributes, RFC 2407 4.5 */
#define IPSEC_LIFE_TYPE		1
#define IPSEC_LIFE_DURATION	2
#define IPSEC_GROUP		3
#define IPSEC_ENCAP_MODE	4
#define IPSEC_AUTH_ALG		5
#define IPSEC_KEY_LENGTH	6

#define ENCAP_TUNNEL		1
#define ENCAP_TRANSPORT		2

#define AUTH_HMAC_MD5		1
#define AUTH_HMAC_SHA1		2
#define AUTH_HMAC_SHA256	5
#define AUTH_HMAC_SHA384	6
#define AUTH_HMAC_SHA512	7

/* ESP / AH / IPCOMP transform ids */
#define ESP_3DES		3
#define ESP_AES			12
#define AH_MD5			2
#define AH_SHA			3
#define AH_SHA2_256		5
#define AH_SHA2_384		6
#define AH_SHA2_512		7
#define IPCOMP_DEFLATE		2

/* ID types, RFC 2407 4.6.2.1 */
#define ID_IPV4_ADDR		1
#define ID_FQDN			2
#define ID_USER_FQDN		3
#define ID_IPV4_ADDR_SUBNET	4
#define ID_IPV6_ADDR		5
#define ID_IPV6_ADDR_SUBNET	6
#define ID_DER_ASN1_DN		9

/* CERT / CERTREQ encodings, RFC 2408 3.9 */
#define CERT_X509_SIG		4

/* Notify message types (RFC 2408 3.14.1, RFC 2407 4.6.3, RFC 3706) */
#define N_INVALID_PAYLOAD_TYPE		1
#define N_INVALID_COOKIE		4
#define N_INVALID_MAJOR_VERSION		5
#define N_INVALID_EXCHANGE_TYPE		7
#define N_INVALID_FLAGS			8
#define N_INVALID_MESSAGE_ID		9
#define N_INVALID_SPI			11
#define N_ATTRIBUTES_NOT_SUPPORTED	13
#define N_NO_PROPOSAL_CHOSEN		14
#define N_BAD_PROPOSAL_SYNTAX		15
#define N_PAYLOAD_MALFORMED		16
#define N_INVALID_KEY_INFORMATION	17
#define N_INVALID_ID_INFORMATION	18
#define N_INVALID_HASH_INFORMATION	23
#define N_AUTHENTICATION_FAILED		24
#define N_ERROR_MAX			16383
#define N_CONNECTED			16384
#define N_RESPONDER_LIFETIME		24576
#define N_REPLAY_STATUS			24577
#define N_INITIAL_CONTACT		24578
#define N_R_U_THERE			36136
#define N_R_U_THERE_ACK			36137

const char *isakmp_notify_name(unsigned int type);
const char *isakmp_payload_name(unsigned int type);

#endif
