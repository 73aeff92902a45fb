/* SPDX-License-Identifier: MIT */
/* The live host's KVM facts kept for the boot (host/hostcache.c);
 * private to libvcpuid and its programs, included by internal.h. */
#ifndef VCPUID_HOST_HOSTCACHE_H
#define VCPUID_HOST_HOSTCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vcpuid.h"

struct vp_hostcache {
	bool on;		/* a cache directory and a key */
	char dir[256];
	char path[272];
	unsigned char key[512]; /* what the KVM facts were taken from */
	size_t key_len;
};
/* Where the cache of device `dev` is and what its key is now; false (and
 * c->on false) when the cache is off or the key cannot be known. */
bool vp_hostcache_begin(struct vp_hostcache *c, const char *dev);
/* Fill h's KVM part from the cache; 0 on a hit, -1 (h unchanged) else. */
int vp_hostcache_load(const struct vp_hostcache *c, vcpuid_host *h);
/* Write h's KVM part for the next probe (best effort, atomic rename). */
void vp_hostcache_store(const struct vp_hostcache *c, const vcpuid_host *h);
/* The file format itself (also the fuzz target's entry): parse checks the
 * magic, format, key and checksum and fills h's KVM part, or returns -1
 * with h's KVM part empty. serialize gives a malloc'd file image. */
int vp_hostcache_parse(const void *buf, size_t len, const void *key,
		       size_t key_len, vcpuid_host *h);
int vp_hostcache_serialize(const vcpuid_host *h, const void *key,
			   size_t key_len, unsigned char **out, size_t *len);
/* The file's last 8 bytes: this over everything before them. */
uint64_t vp_hostcache_checksum(const void *buf, size_t len);

#endif
