/* SPDX-License-Identifier: MIT */
/* hostset: a fleet's host files, read by `jobs` threads, identical contents
 * folded (hash, then a byte compare) and each distinct content parsed once.
 * Real fleets are mostly copies of a few host kinds: reading and hashing
 * 100,000 files is the work, parsing is done a handful of times. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "vcpuid/hostset.h"

/* Four independent lanes of multiply-xorshift over 32-byte blocks (the
 * CPU overlaps them), then the tail; equal hashes are byte-compared. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t a = 0x243f6a8885a308d3ull ^ n, b = 0x13198a2e03707344ull,
		 c = 0xa4093822299f31d0ull, d = 0x082efa98ec4e6c89ull;
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		uint64_t v[4];
		memcpy(v, p + i, 32);
		a = mix(a, v[0]);
		b = mix(b, v[1]);
		c = mix(c, v[2]);
		d = mix(d, v[3]);
	}
	uint64_t h = mix(mix(mix(a, b), c), d);
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, p + i, 8);
		h = (h ^ v) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	uint64_t v = 0;
	memcpy(&v, p + i, n - i);
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

/* One distinct content. */
struct content {
	uint64_t hash;
	size_t len, first;	/* first: lowest file index with it */
	char *buf;
	int rc;			/* its parse result */
	vcpuid_error err;
	vcpuid_host host;
};

struct job {
	const char *const *files;
	size_t nfiles;
	const vcpuid_hostset_opts *o;
	atomic_size_t next, done;
	pthread_mutex_t lock;
	/* open-addressed table of content indexes (+1; 0 = empty) */
	size_t *slots, nslots;
	struct content *c;
	size_t nc, capc;
	size_t *of;		/* per file: content index */
	/* the first failing read, by file index */
	size_t bad;
	int bad_rc;
	vcpuid_error bad_err;
	bool oom;
};

static bool grow_slots(struct job *j)
{
	size_t n = j->nslots ? j->nslots * 2 : 1024;
	size_t *s = calloc(n, sizeof(*s));
	if (!s)
		return false;
	for (size_t i = 0; i < j->nc; i++) {
		size_t k = j->c[i].hash & (n - 1);
		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = i + 1;
	}
	free(j->slots);
	j->slots = s;
	j->nslots = n;
	return true;
}

/* Under the lock: the content index of buf, adding a copy when new.
 * SIZE_MAX when out of memory. */
static size_t intern(struct job *j, size_t file, const char *buf, size_t len,
		     uint64_t h)
{
	size_t k = h & (j->nslots - 1);
	for (; j->slots[k]; k = (k + 1) & (j->nslots - 1)) {
		struct content *c = &j->c[j->slots[k] - 1];
		if (c->hash == h && c->len == len && !memcmp(c->buf, buf, len)) {
			if (file < c->first)
				c->first = file;
			return j->slots[k] - 1;
		}
	}
	if (j->nc == j->capc) {
		size_t cap = j->capc ? j->capc * 2 : 16;
		struct content *nc = realloc(j->c, cap * sizeof(*nc));
		if (!nc)
			return SIZE_MAX;
		j->c = nc;
		j->capc = cap;
	}
	struct content *c = &j->c[j->nc];
	memset(c, 0, sizeof(*c));
	c->hash = h;
	c->len = len;
	c->first = file;
	if (!(c->buf = malloc(len + 1)))
		return SIZE_MAX;
	memcpy(c->buf, buf, len + 1);
	j->slots[k] = ++j->nc;
	if (2 * j->nc > j->nslots && !grow_slots(j))
		return SIZE_MAX;
	return j->nc - 1;
}

#define HOSTSET_MAX_FILE (64u << 20) /* no host file is near this */

/* Read a whole file into *buf (grown as needed, kept between files): one
 * open, one read and one close for a profile-sized file, which is what
 * 100,000 files cost. */
/* Each reader keeps its last directory open: a fleet directory's files are
 * opened relative to it (openat), one path component to look up instead of
 * the whole path. */
struct dircache {
	char dir[4096];
	int fd;			/* -1: none */
};

static int open_in(struct dircache *dc, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	if (!slash || !slash[1] || dl == 0 || dl >= sizeof(dc->dir))
		return open(path, O_RDONLY | O_CLOEXEC);
	if (dc->fd < 0 || strncmp(dc->dir, path, dl) || dc->dir[dl]) {
		if (dc->fd >= 0)
			close(dc->fd);
		memcpy(dc->dir, path, dl);
		dc->dir[dl] = 0;
		dc->fd = open(dc->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dc->fd < 0)
			return open(path, O_RDONLY | O_CLOEXEC);
	}
	return openat(dc->fd, slash + 1, O_RDONLY | O_CLOEXEC);
}

static int slurp(struct dircache *dc, const char *path, char **buf,
		 size_t *cap, size_t *len, vcpuid_error *e)
{
	int fd = open_in(dc, path);
	if (fd < 0)
		return vcpuid_fail(e, VCPUID_E_IO, "%s: %s", path, strerror(errno));
	size_t n = 0;
	for (;;) {
		if (n + 1 >= *cap) {
			if (*cap >= HOSTSET_MAX_FILE) {
				close(fd);
				return vcpuid_fail(e, VCPUID_E_LIMIT, "%s: larger than "
						   "%u MiB: not a host file", path,
						   HOSTSET_MAX_FILE >> 20);
			}
			char *nb = realloc(*buf, *cap * 2);
			if (!nb) {
				close(fd);
				return vcpuid_fail(e, VCPUID_E_NOMEM, "%s: out of memory",
						   path);
			}
			*buf = nb;
			*cap *= 2;
		}
		ssize_t got = read(fd, *buf + n, *cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int er = errno;
			close(fd);
			return vcpuid_fail(e, VCPUID_E_IO, "%s: read error: %s", path,
					   strerror(er));
		}
		n += (size_t)got;
		/* a short read of a regular file is its end; read on otherwise */
		if (got == 0 || n + 1 < *cap)
			break;
	}
	close(fd);
	(*buf)[n] = 0;
	*len = n;
	return 0;
}

static void *reader(void *arg)
{
	struct job *j = arg;
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	struct dircache dc = { .fd = -1 };
	for (;;) {
		size_t i = atomic_fetch_add(&j->next, 1);
		if (i >= j->nfiles)
			break;
		size_t len = 0;
		vcpuid_error e = { 0 };
		int rc = buf ? slurp(&dc, j->files[i], &buf, &cap, &len, &e)
			     : vcpuid_fail(&e, VCPUID_E_NOMEM, "out of memory");
		uint64_t h = rc ? 0 : hash_bytes(buf, len);
		pthread_mutex_lock(&j->lock);
		if (rc) {
			if (i < j->bad) {
				j->bad = i;
				j->bad_rc = rc;
				j->bad_err = e;
			}
		} else {
			size_t ci = intern(j, i, buf, len, h);
			if (ci == SIZE_MAX)
				j->oom = true;
			else
				j->of[i] = ci;
		}
		pthread_mutex_unlock(&j->lock);
		size_t d = atomic_fetch_add(&j->done, 1) + 1;
		if (j->o && j->o->progress && (d & 1023) == 0)
			j->o->progress(d, j->nfiles, j->o->ctx);
	}
	free(buf);
	if (dc.fd >= 0)
		close(dc.fd);
	return NULL;
}

static void *parser(void *arg)
{
	struct job *j = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&j->next, 1);
		if (i >= j->nc)
			break;
		struct content *c = &j->c[i];
		vcpuid_host_init(&c->host);
		c->rc = vcpuid_host_parse(c->buf, c->len, j->files[c->first],
					  &c->host, &c->err);
		if (c->rc)
			vcpuid_host_free(&c->host);
		free(c->buf);
		c->buf = NULL;
	}
	return NULL;
}

static void run_threads(struct job *j, unsigned n, void *(*fn)(void *))
{
	pthread_t t[64];
	unsigned started = 0;
	atomic_store(&j->next, 0);
	for (unsigned i = 1; i < n && i < 64; i++)
		if (!pthread_create(&t[started], NULL, fn, j))
			started++;
	fn(j);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

static int cmp_first(const void *a, const void *b)
{
	const struct content *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

void vcpuid_hostset_free(vcpuid_hostset *s)
{
	for (size_t i = 0; s->hosts && i < s->n; i++)
		vcpuid_host_free(&s->hosts[i]);
	free(s->hosts);
	free(s->covers);
	free(s->of);
	memset(s, 0, sizeof(*s));
}

int vcpuid_hostset_load(const char *const *files, size_t nfiles,
			const vcpuid_hostset_opts *opts, vcpuid_hostset *out,
			vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	unsigned jobs = opts && opts->jobs ? opts->jobs : 0;
	if (!jobs) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = c < 1 ? 1 : c > 8 ? 8 : (unsigned)c;
	}
	if (jobs > 64)
		jobs = 64;
	struct job j = { .files = files, .nfiles = nfiles, .o = opts,
			 .bad = SIZE_MAX };
	pthread_mutex_init(&j.lock, NULL);
	int rc = 0;
	j.of = malloc((nfiles ? nfiles : 1) * sizeof(size_t));
	if (!j.of || !grow_slots(&j)) {
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		goto done;
	}
	run_threads(&j, jobs > nfiles ? (unsigned)(nfiles ? nfiles : 1) : jobs,
		    reader);
	if (opts && opts->progress)
		opts->progress(nfiles, nfiles, opts->ctx);
	if (j.oom) {
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		goto done;
	}
	if (j.bad != SIZE_MAX) {
		rc = j.bad_rc;
		if (err)
			*err = j.bad_err;
		goto done;
	}
	/* Parse each distinct content once, in the order of first files. */
	size_t *rank = malloc((j.nc ? j.nc : 1) * sizeof(size_t));
	if (!rank) {
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < j.nc; i++)
		j.c[i].hash = i;	/* remember the old index */
	if (j.nc) /* qsort's base must not be NULL, even for no elements */
		qsort(j.c, j.nc, sizeof(*j.c), cmp_first);
	for (size_t i = 0; i < j.nc; i++)
		rank[j.c[i].hash] = i;
	for (size_t f = 0; f < nfiles; f++)
		j.of[f] = rank[j.of[f]];
	free(rank);
	run_threads(&j, jobs > j.nc ? (unsigned)(j.nc ? j.nc : 1) : jobs, parser);

	/* Which files are skipped, which fail, which each host stands for. */
	out->hosts = calloc(j.nc ? j.nc : 1, sizeof(*out->hosts));
	out->covers = calloc(j.nc ? j.nc : 1, sizeof(size_t));
	size_t *newidx = malloc((j.nc ? j.nc : 1) * sizeof(size_t));
	if (!out->hosts || !out->covers || !newidx) {
		free(newidx);
		rc = vcpuid_fail(err, VCPUID_E_NOMEM, "out of memory");
		goto done;
	}
	for (size_t f = 0; f < nfiles; f++) {
		struct content *c = &j.c[j.of[f]];
		if (!c->rc)
			continue;
		if (c->rc == VCPUID_E_UNKNOWN && opts && opts->skippable &&
		    opts->skippable[f])
			continue;
		/* the message names the file it was parsed as; say this one */
		rc = c->rc;
		if (err) {
			*err = c->err;
			if (c->first != f)
				vcpuid_fail(err, c->rc, "%s: %s", files[f], c->err.msg);
		}
		free(newidx);
		goto done;
	}
	for (size_t i = 0; i < j.nc; i++) {
		newidx[i] = VCPUID_HOSTSET_SKIPPED;
		if (!j.c[i].rc) {
			newidx[i] = out->n;
			out->hosts[out->n++] = j.c[i].host;
			j.c[i].rc = -1;	/* moved */
		}
	}
	for (size_t f = 0; f < nfiles; f++) {
		j.of[f] = newidx[j.of[f]];
		if (j.of[f] == VCPUID_HOSTSET_SKIPPED)
			out->nskipped++;
		else
			out->covers[j.of[f]]++;
	}
	free(newidx);
	out->nfiles = nfiles;
	out->of = j.of;
	j.of = NULL;
done:
	for (size_t i = 0; i < j.nc; i++) {
		free(j.c[i].buf);
		if (j.c[i].rc == 0)
			vcpuid_host_free(&j.c[i].host);
	}
	free(j.c);
	free(j.slots);
	free(j.of);
	pthread_mutex_destroy(&j.lock);
	if (rc)
		vcpuid_hostset_free(out);
	return rc;
}
