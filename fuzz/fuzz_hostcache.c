/* SPDX-License-Identifier: MIT */
/* The host cache file reader (hostcache.c). The input is tried twice: as a
 * whole file, and as a payload wrapped in a valid header and checksum, so
 * that the payload reader is reached. What it accepts, it writes back to
 * the same bytes. */
#include <stdint.h>
#include "fuzz_input.h"
#include "host/hostcache.h"

static const char key[] = "fuzz key";

static void try_file(const unsigned char *img, size_t len)
{
	vcpuid_host h;
	vcpuid_host_init(&h);
	if (vp_hostcache_parse(img, len, key, sizeof(key), &h) == 0) {
		unsigned char *again;
		size_t n;
		if (vp_hostcache_serialize(&h, key, sizeof(key), &again, &n) == 0) {
			if (n != len || memcmp(again, img, len))
				abort();
			free(again);
		}
	} else if (h.caps || h.supported.n || h.feature_msrs.n) {
		abort(); /* a refusal leaves nothing behind */
	}
	vcpuid_host_free(&h);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	try_file(data, size);
	/* "VCPUIDHC", format 1, key length, key, payload length, payload,
	 * FNV-1a: the layout hostcache.c documents. */
	size_t len = 8 + 4 + 4 + sizeof(key) + 4 + size + 8;
	unsigned char *img = malloc(len);
	if (!img)
		return 0;
	unsigned char *p = img;
	uint32_t v;
	memcpy(p, "VCPUIDHC", 8);
	p += 8;
	v = 1;
	memcpy(p, &v, 4);
	p += 4;
	v = sizeof(key);
	memcpy(p, &v, 4);
	p += 4;
	memcpy(p, key, sizeof(key));
	p += sizeof(key);
	v = (uint32_t)size;
	memcpy(p, &v, 4);
	p += 4;
	memcpy(p, data, size);
	p += size;
	uint64_t sum = vp_hostcache_checksum(img, (size_t)(p - img));
	memcpy(p, &sum, 8);
	try_file(img, len);
	free(img);
	return 0;
}
