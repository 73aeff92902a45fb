/* SPDX-License-Identifier: MIT */
/* import_text: `cpuid -r` / `cpuid -1 -r`, AIDA64 (InstLatx64) and libcpuid
 * raw dumps. The first CPU block of the file is imported; a line of dashes
 * ends the CPUID data (libcpuid's test files put expectations after it). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "data/leaves.h"

enum fmt { F_NONE, F_CPUID_R, F_AIDA, F_LIBCPUID };

static const char *const fmt_name[] = { "", "cpuid-r", "aida64", "libcpuid" };

struct rec {
	uint32_t leaf, sub, r[4];
	unsigned line;
	int key;	/* libcpuid key index, -1 for the other formats */
	bool implicit;	/* AIDA64 line without "[SL nn]" */
};

struct ctx {
	const char *name;
	vcpuid_error *err;
	unsigned line;
	const char *s;	/* current line */
	size_t len;
	unsigned entries; /* CPUID lines read, repeats too */
	struct rec *v;
	size_t n, cap;
};

static int perr(struct ctx *c, size_t col0, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct ctx *c, size_t col0, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vcpuid_fail(c->err, VCPUID_E_PARSE, "%s:%u:%zu: %s", c->name,
			   c->line, col0 + 1, msg);
}

/* The token at p for messages: up to 24 non-blank characters, printable. */
static const char *token(const struct ctx *c, size_t p, char *buf, size_t n)
{
	size_t k = 0;
	while (p < c->len && k + 1 < n && k < 24 && c->s[p] != ' ' &&
	       c->s[p] != '\t') {
		unsigned char ch = (unsigned char)c->s[p++];
		buf[k++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	buf[k] = 0;
	if (!k)
		snprintf(buf, n, "end of line");
	return buf;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	       (ch >= 'A' && ch <= 'F');
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t';
}

static void skip_ws(const struct ctx *c, size_t *p)
{
	while (*p < c->len && is_ws(c->s[*p]))
		(*p)++;
}

static bool lit(const struct ctx *c, size_t *p, const char *w)
{
	size_t n = strlen(w);
	if (c->len - *p < n || memcmp(c->s + *p, w, n))
		return false;
	*p += n;
	return true;
}

/* Hex digits at *p: exactly `exact` of them when exact != 0, else 1..8.
 * The digits must end at a non-alphanumeric character. */
static int hex32(struct ctx *c, size_t *p, unsigned exact, const char *what,
		 uint32_t *out)
{
	size_t q = *p;
	while (q < c->len && is_hex(c->s[q]))
		q++;
	size_t nd = q - *p;
	bool tail_bad = q < c->len && (c->s[q] == '_' ||
		(c->s[q] >= 'g' && c->s[q] <= 'z') || (c->s[q] >= 'G' && c->s[q] <= 'Z'));
	if (!nd || tail_bad || (exact ? nd != exact : nd > 8)) {
		char tk[32];
		if (!nd && *p >= c->len)
			return perr(c, *p, "truncated line: expected %s", what);
		return perr(c, *p, "bad hex for %s: '%s'", what,
			    token(c, *p, tk, sizeof(tk)));
	}
	uint64_t v;
	vu_parse_hex(c->s + *p, nd, &v);
	*out = (uint32_t)v;
	*p = q;
	return 0;
}

static int expect(struct ctx *c, size_t *p, const char *w)
{
	if (lit(c, p, w))
		return 0;
	char tk[32];
	if (*p >= c->len)
		return perr(c, *p, "truncated line: expected '%s'", w);
	return perr(c, *p, "expected '%s', got '%s'", w, token(c, *p, tk, sizeof(tk)));
}

static int need_ws(struct ctx *c, size_t *p)
{
	if (*p < c->len && is_ws(c->s[*p])) {
		skip_ws(c, p);
		return 0;
	}
	char tk[32];
	if (*p >= c->len)
		return perr(c, *p, "truncated line");
	return perr(c, *p, "expected a blank, got '%s'", token(c, *p, tk, sizeof(tk)));
}

static int trailing(struct ctx *c, size_t p)
{
	skip_ws(c, &p);
	if (p == c->len)
		return 0;
	char tk[32];
	return perr(c, p, "unexpected text '%s'", token(c, p, tk, sizeof(tk)));
}

/* ---- line classification ---- */

static bool starts(const struct ctx *c, size_t p, const char *w)
{
	size_t n = strlen(w);
	return c->len - p >= n && !memcmp(c->s + p, w, n);
}

static bool is_dash_line(const struct ctx *c)
{
	size_t n = c->len;
	while (n && is_ws(c->s[n - 1]))
		n--;
	if (n < 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (c->s[i] != '-')
			return false;
	return true;
}

/* A CPU block header of any supported format. */
static bool is_header(const struct ctx *c)
{
	size_t p = 0;
	skip_ws(c, &p);
	if (starts(c, p, "------[") || starts(c, p, "CPU#") ||
	    starts(c, p, "CPUID Registers") || starts(c, p, "___"))
		return true;
	if (!starts(c, p, "CPU"))
		return false;
	p += 3;
	/* cpuid -r: "CPU:" or "CPU 12:" */
	if (p < c->len && c->s[p] == ' ') {
		p++;
		size_t d = p;
		while (p < c->len && c->s[p] >= '0' && c->s[p] <= '9')
			p++;
		if (p == d)
			return false;
	}
	if (p >= c->len || c->s[p] != ':')
		return false;
	p++;
	skip_ws(c, &p);
	return p == c->len;
}

static enum fmt classify(const struct ctx *c)
{
	size_t p = 0;
	skip_ws(c, &p);
	if (starts(c, p, "0x"))
		return F_CPUID_R;
	if (starts(c, p, "CPUID") && c->len > p + 5 && is_ws(c->s[p + 5]))
		return F_AIDA;
	/* libcpuid: identifier '[' */
	size_t q = p;
	while (q < c->len && ((c->s[q] >= 'a' && c->s[q] <= 'z') ||
			      (c->s[q] >= '0' && c->s[q] <= '9') || c->s[q] == '_'))
		q++;
	if (q > p && q < c->len && c->s[q] == '[')
		return F_LIBCPUID;
	return F_NONE;
}

/* ---- one data line per format ---- */

static int parse_cpuid_r(struct ctx *c, struct rec *r)
{
	static const char *const regs[4] = { "eax=0x", "ebx=0x", "ecx=0x", "edx=0x" };
	size_t p = 0;
	int rc;
	skip_ws(c, &p);
	if ((rc = expect(c, &p, "0x")) || (rc = hex32(c, &p, 0, "the leaf", &r->leaf)) ||
	    (rc = need_ws(c, &p)) || (rc = expect(c, &p, "0x")) ||
	    (rc = hex32(c, &p, 0, "the subleaf", &r->sub)) || (rc = expect(c, &p, ":")))
		return rc;
	for (int i = 0; i < 4; i++) {
		static const char *const names[4] = { "EAX", "EBX", "ECX", "EDX" };
		if ((rc = need_ws(c, &p)) || (rc = expect(c, &p, regs[i])) ||
		    (rc = hex32(c, &p, 0, names[i], &r->r[i])))
			return rc;
	}
	return trailing(c, p);
}

static int parse_aida(struct ctx *c, struct rec *r)
{
	size_t p = 0;
	int rc;
	skip_ws(c, &p);
	if ((rc = expect(c, &p, "CPUID")) || (rc = need_ws(c, &p)) ||
	    (rc = hex32(c, &p, 8, "the leaf", &r->leaf)))
		return rc;
	if (p < c->len && c->s[p] == ':')
		p++;
	if ((rc = need_ws(c, &p)))
		return rc;
	static const char *const regs[4] = { "EAX", "EBX", "ECX", "EDX" };
	for (int i = 0; i < 4; i++) {
		if (i && (rc = expect(c, &p, "-")))
			return rc;
		if ((rc = hex32(c, &p, 8, regs[i], &r->r[i])))
			return rc;
	}
	r->sub = 0;
	r->implicit = true;
	if (p < c->len && !is_ws(c->s[p])) {
		char tk[32];
		return perr(c, p, "unexpected text '%s'", token(c, p, tk, sizeof(tk)));
	}
	skip_ws(c, &p);
	if (starts(c, p, "[SL")) {
		p += 3;
		if ((rc = need_ws(c, &p)) || (rc = hex32(c, &p, 0, "the subleaf", &r->sub)) ||
		    (rc = expect(c, &p, "]")))
			return rc;
		r->implicit = false;
	}
	/* Anything after is AIDA64's comment ("[GenuineIntel]", cache sizes). */
	return 0;
}

static int parse_libcpuid(struct ctx *c, struct rec *r)
{
	size_t p = 0, k;
	skip_ws(c, &p);
	k = p;
	while (k < c->len && c->s[k] != '[')
		k++;
	unsigned nkeys;
	const vcpuid_libcpuid_key *keys = vcpuid_libcpuid_keys(&nkeys);
	r->key = -1;
	for (unsigned i = 0; i < nkeys; i++)
		if (strlen(keys[i].key) == k - p && !memcmp(keys[i].key, c->s + p, k - p))
			r->key = (int)i;
	if (r->key < 0) {
		char tk[32];
		return perr(c, p, "unknown libcpuid key '%.*s'", (int)(k - p),
			    token(c, p, tk, sizeof(tk)));
	}
	p = k + 1;
	size_t d = p;
	uint32_t idx = 0;
	while (p < c->len && c->s[p] >= '0' && c->s[p] <= '9' && p - d < 6)
		idx = idx * 10 + (uint32_t)(c->s[p++] - '0');
	if (p == d || (p < c->len && c->s[p] >= '0' && c->s[p] <= '9')) {
		char tk[32];
		return perr(c, d, "bad index '%s'", token(c, d, tk, sizeof(tk)));
	}
	int rc;
	if ((rc = expect(c, &p, "]")) || (rc = expect(c, &p, "=")))
		return rc;
	static const char *const regs[4] = { "EAX", "EBX", "ECX", "EDX" };
	for (int i = 0; i < 4; i++) {
		if (i && (rc = need_ws(c, &p)))
			return rc;
		if ((rc = hex32(c, &p, 0, regs[i], &r->r[i])))
			return rc;
	}
	if (keys[r->key].subleaves) {
		r->leaf = keys[r->key].leaf;
		r->sub = idx;
	} else {
		r->leaf = keys[r->key].leaf + idx;
		r->sub = 0;
	}
	return trailing(c, p);
}

/* ---- assembling the table ---- */

static const struct rec *find_sub(const struct ctx *c, uint32_t leaf, uint32_t sub)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].leaf == leaf && c->v[i].sub == sub)
			return &c->v[i];
	return NULL;
}

/* Older AIDA64 dumps list the subleaves of an indexed leaf as repeated
 * lines without "[SL nn]": leaves 4, 0xB and 0x8000001D in order; leaf 0xD
 * as subleaf 0, then subleaf 1 when the CPU has it (its EAX is a flag word
 * with XSAVEOPT, bit 0, set; component sizes are even), then the state
 * components of XCR0 in bit order. */
static void aida_implicit_subleaf(const struct ctx *c, struct rec *r)
{
	const struct rec *first = NULL;
	uint32_t next = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].leaf == r->leaf && c->v[i].implicit) {
			if (!first)
				first = &c->v[i];
			if (c->v[i].sub + 1 > next)
				next = c->v[i].sub + 1;
		}
	if (!first || !vcpuid_leaf_indexed(r->leaf))
		return;	/* first occurrence, or a real duplicate */
	if (r->leaf != 0xD) {
		r->sub = next;
		return;
	}
	if ((r->r[0] & 1) && !find_sub(c, 0xD, 1)) {
		r->sub = 1;
		return;
	}
	for (uint32_t b = 2; b < 32; b++)
		if ((first->r[0] >> b & 1) && !find_sub(c, 0xD, b)) {
			r->sub = b;
			return;
		}
}

static int add_rec(struct ctx *c, const struct rec *r)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct rec *o = &c->v[i];
		if (o->leaf != r->leaf || o->sub != r->sub || o->key != r->key)
			continue;
		/* Some AIDA64 dumps repeat a line verbatim: harmless. */
		if (!memcmp(o->r, r->r, sizeof(o->r)))
			return 0;
		return perr(c, 0, "duplicate entry for leaf 0x%x subleaf 0x%x with "
			    "different values (first at line %u)", r->leaf, r->sub, o->line);
	}
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 128;
		struct rec *nv = realloc(c->v, nc * sizeof(*nv));
		if (!nv)
			return vcpuid_fail(c->err, VCPUID_E_NOMEM, "%s: out of memory", c->name);
		c->v = nv;
		c->cap = nc;
	}
	c->v[c->n++] = *r;
	return 0;
}

static const struct rec *find_rec(const struct ctx *c, uint32_t leaf, int key)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].leaf == leaf && c->v[i].sub == 0 && c->v[i].key == key)
			return &c->v[i];
	return NULL;
}

/* libcpuid writes fixed-size arrays: entries past the maximum leaf are
 * padding, and a leaf with its own subleaf array supersedes the plain one. */
static bool libcpuid_keep(const struct ctx *c, const struct rec *r)
{
	unsigned nkeys;
	const vcpuid_libcpuid_key *keys = vcpuid_libcpuid_keys(&nkeys);
	/* keys[0] is basic_cpuid and keys[1] ext_cpuid (data/leaves.c) */
	const struct rec *b0 = find_rec(c, 0, 0), *e0 = find_rec(c, 0x80000000, 1);
	if (r->leaf == 0 || r->leaf == 0x80000000)
		return true;
	if (r->leaf < 0x80000000 && b0 && r->leaf > b0->r[0])
		return false;
	if (r->leaf > 0x80000000 && e0 && (e0->r[0] < 0x80000000 || r->leaf > e0->r[0]))
		return false;
	if (!keys[r->key].subleaves)
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].leaf == r->leaf && keys[c->v[i].key].subleaves)
				return false;
	return true;
}

static int build_table(struct ctx *c, enum fmt f, vcpuid_host *h)
{
	vcpuid_table_free(&h->raw);
	for (size_t i = 0; i < c->n; i++) {
		const struct rec *r = &c->v[i];
		if (f == F_LIBCPUID && !libcpuid_keep(c, r))
			continue;
		bool indexed = vcpuid_leaf_indexed(r->leaf) || r->sub != 0;
		for (size_t j = 0; j < c->n && !indexed; j++)
			indexed = c->v[j].leaf == r->leaf && c->v[j].sub != 0;
		if (!vcpuid_table_add(&h->raw, r->leaf, r->sub,
				      indexed ? VCPUID_FLAG_SIGNIFICANT_INDEX : 0,
				      r->r[0], r->r[1], r->r[2], r->r[3]))
			return vcpuid_fail(c->err, VCPUID_E_NOMEM, "%s: out of memory", c->name);
	}
	vcpuid_table_sort(&h->raw);
	h->has_raw = true;
	snprintf(h->origin, sizeof(h->origin), "%s", fmt_name[f]);
	if (!h->has_kvm && !h->kvm_absent[0])
		snprintf(h->kvm_absent, sizeof(h->kvm_absent),
			 "imported from a %s dump (no KVM data)", fmt_name[f]);
	return vp_host_check(h, c->name, c->err);
}

int vcpuid_import_text(const char *buf, size_t len, const char *name,
		       vcpuid_host *h, vcpuid_error *err)
{
	struct ctx c = { .name = name, .err = err };
	enum fmt f = F_NONE;
	bool header_seen = false;
	int rc = 0;
	size_t pos = 0;
	while (pos < len && !rc) {
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - s) : len - pos;
		pos += l + (nl ? 1 : 0);
		if (l && s[l - 1] == '\r')
			l--;
		c.s = s;
		c.len = l;
		c.line++;
		size_t p = 0;
		skip_ws(&c, &p);
		if (p == l)
			continue;
		if (is_dash_line(&c))
			break;
		if (is_header(&c)) {
			if (c.n)
				break;	/* the first CPU block is complete */
			header_seen = true;
			continue;
		}
		enum fmt lf = classify(&c);
		if (f == F_NONE) {
			if (lf == F_NONE) {
				char tk[32];
				if (!header_seen)
					return vcpuid_fail(err, VCPUID_E_UNKNOWN,
							   "%s:%u:%zu: not a cpuid -r, AIDA64 or "
							   "libcpuid dump ('%s')", name, c.line,
							   p + 1, token(&c, p, tk, sizeof(tk)));
				rc = perr(&c, p, "expected a CPUID line, got '%s'",
					  token(&c, p, tk, sizeof(tk)));
				break;
			}
			f = lf;
		} else if (lf != f) {
			char tk[32];
			rc = perr(&c, p, "expected a %s line, got '%s'", fmt_name[f],
				  token(&c, p, tk, sizeof(tk)));
			break;
		}
		/* the limit of a table, counted in lines: every step below
		 * looks at the records read so far */
		if (++c.entries > VCPUID_MAX_RAW_ENTRIES) {
			rc = vcpuid_fail(err, VCPUID_E_LIMIT, "%s:%u: more than "
					 "%u CPUID entries for one CPU (the limit)",
					 name, c.line, VCPUID_MAX_RAW_ENTRIES);
			break;
		}
		struct rec r = { .key = -1 };
		r.line = c.line;
		rc = f == F_CPUID_R ? parse_cpuid_r(&c, &r) :
		     f == F_AIDA    ? parse_aida(&c, &r) : parse_libcpuid(&c, &r);
		if (!rc && r.implicit)
			aida_implicit_subleaf(&c, &r);
		if (!rc)
			rc = add_rec(&c, &r);
	}
	if (!rc && !c.n) {
		if (f == F_NONE && !header_seen)
			rc = vcpuid_fail(err, VCPUID_E_UNKNOWN,
					 "%s: no CPUID data (not a cpuid -r, AIDA64 or "
					 "libcpuid dump)", name);
		else
			rc = vcpuid_fail(err, VCPUID_E_PARSE, "%s:%u: no CPUID entries",
					 name, c.line);
	}
	if (!rc && (rc = build_table(&c, f, h))) {
		vcpuid_table_free(&h->raw);
		h->has_raw = false;
	}
	free(c.v);
	return rc;
}
