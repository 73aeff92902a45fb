/* SPDX-License-Identifier: MIT */
/* profile_fast: the host profile as vcpuid writes it, read without jansson
 * (the full reader, and every error message, are profile.c's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* A profile as vcpuid writes it is read straight from its text, with no
 * jansson tree: building one (a hash table per object, a string per value)
 * was nearly all the time of loading a recorded host. This reader takes
 * only that plain form: the format's own keys, each once; ASCII strings
 * without escapes; numbers as strings vu_parse_num reads or as plain
 * integers; JSON whitespace. At anything else -- an escape, an unknown key,
 * a fraction, a duplicate, a value out of range, a syntax error -- it gives
 * up, and the jansson reader (profile.c) reads the text again: every error
 * message, and every input it does not take, stay that reader's. It never
 * takes an input the jansson reader rejects, nor reads one differently
 * (tests/unit/test_profile.c holds it to that). */

struct fscan {
	const char *p, *end;
	/* the table or list that went past its limit (core.h), if one did */
	const char *over, *over_unit;
	unsigned over_limit;
};

/* n elements read already: true (and s->over set) when one more would
 * pass the limit. */
static bool f_over(struct fscan *s, size_t n, unsigned limit, const char *what,
		   const char *unit)
{
	if (n < limit)
		return false;
	s->over = what;
	s->over_limit = limit;
	s->over_unit = unit;
	return true;
}

static void f_ws(struct fscan *s)
{
	const char *p = s->p;
	while (p < s->end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	s->p = p;
}

/* The next character (after whitespace), 0 at the end. */
static char f_peek(struct fscan *s)
{
	f_ws(s);
	return s->p < s->end ? *s->p : 0;
}

static bool f_lit(struct fscan *s, char c)
{
	if (f_peek(s) != c)
		return false;
	s->p++;
	return true;
}

static bool f_null(struct fscan *s)
{
	if (f_peek(s) != 'n' || s->end - s->p < 4 || memcmp(s->p, "null", 4))
		return false;
	s->p += 4;
	return true;
}

/* A string of printable ASCII without escapes: [*str, *str + *n). */
static bool f_str(struct fscan *s, const char **str, size_t *n)
{
	if (!f_lit(s, '"'))
		return false;
	const unsigned char *b = (const unsigned char *)s->p, *q = b,
			    *end = (const unsigned char *)s->end;
	for (; q < end && *q != '"'; q++)
		if (*q < 0x20 || *q > 0x7e || *q == '\\')
			return false;
	if (q == end)
		return false;
	*str = (const char *)b;
	*n = (size_t)(q - b);
	s->p = (const char *)q + 1;
	return true;
}

/* A string or null into out (left empty for null), as str_at reads it. */
static bool f_text(struct fscan *s, char *out, size_t outlen)
{
	const char *str;
	size_t n;
	if (f_null(s))
		return true;
	if (!f_str(s, &str, &n) || n >= outlen)
		return false;
	memcpy(out, str, n);
	out[n] = 0;
	return true;
}

/* A JSON integer of at most 18 digits (no fraction, no exponent, no
 * leading zero), as jansson reads it. */
static bool f_int(struct fscan *s, int64_t *out)
{
	f_ws(s);
	const char *q = s->p;
	bool neg = q < s->end && *q == '-';
	q += neg;
	const char *d = q;
	uint64_t v = 0;
	while (q < s->end && *q >= '0' && *q <= '9' && q - d < 18)
		v = v * 10 + (uint64_t)(*q++ - '0');
	if (q == d || (*d == '0' && q - d > 1))
		return false;
	if (q < s->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' ||
			   *q == 'E'))
		return false;
	s->p = q;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* A number as vj_u64 takes it: a non-negative integer or a string
 * vu_parse_num reads, at most max. */
static bool f_num(struct fscan *s, uint64_t max, uint64_t *out)
{
	if (f_peek(s) == '"') {
		const char *str;
		size_t n;
		char b[40];
		if (!f_str(s, &str, &n))
			return false;
		if (n >= 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X'))
			return vu_parse_hex(str, n, out) && *out <= max;
		if (n >= sizeof(b))
			return false;
		memcpy(b, str, n);
		b[n] = 0;
		return vu_parse_num(b, out) && *out <= max;
	}
	int64_t i;
	if (!f_int(s, &i) || i < 0 || (uint64_t)i > max)
		return false;
	*out = (uint64_t)i;
	return true;
}

/* Before each member of an object (close '}') or element of an array
 * (close ']'): 1 one follows, 0 the end, -1 malformed. */
static int f_next(struct fscan *s, bool first, char close)
{
	if (f_lit(s, close))
		return 0;
	if (!first && !f_lit(s, ','))
		return -1;
	return 1;
}

/* name is the key k[0..n) (k holds no NUL: f_str takes none). */
static bool f_is(const char *name, const char *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (name[i] != k[i])
			return false;
	return !name[n];
}

/* The next key of an object, as its index in names[] (each seen once):
 * >= 0 a key and its ':', -1 the end of the object, -2 anything else. */
static int f_key(struct fscan *s, bool first, const char *const *names,
		 int count, unsigned *seen)
{
	int r = f_next(s, first, '}');
	if (r <= 0)
		return r ? -2 : -1;
	const char *k;
	size_t n;
	if (!f_str(s, &k, &n) || !f_lit(s, ':'))
		return -2;
	/* keys mostly come in the order vcpuid writes them: look first at
	 * the one after the last seen */
	int start = *seen ? 32 - __builtin_clz(*seen) : 0;
	for (int j = 0; j < count; j++) {
		int i = (start + j) % count;
		if (f_is(names[i], k, n)) {
			if (*seen & 1u << i)
				return -2;
			*seen |= 1u << i;
			return i;
		}
	}
	return -2;
}

#define F_EACH_KEY(s, names, seen, i)                                        \
	for (bool first_ = true;                                             \
	     ((i) = f_key(s, first_, names, (int)ARRAY_SIZE(names), &(seen))) >= 0; \
	     first_ = false)
#define F_EACH_ELEM(s, r)                                                    \
	for (bool first_ = true; ((r) = f_next(s, first_, ']')) > 0; first_ = false)

static const char *const entry_keys[] = { "function", "index", "flags", "eax",
					  "ebx", "ecx", "edx" };

static bool f_table(struct fscan *s, const char *what, unsigned limit,
		    bool flags_required, vcpuid_table *t)
{
	int r, k;
	if (!f_lit(s, '['))
		return false;
	F_EACH_ELEM(s, r) {
		uint64_t v[7] = { 0 };
		unsigned seen = 0;
		if (f_over(s, t->n, limit, what, "CPUID entries") || !f_lit(s, '{'))
			return false;
		F_EACH_KEY(s, entry_keys, seen, k)
			if (!f_num(s, UINT32_MAX, &v[k]))
				return false;
		unsigned need = flags_required ? 0x7f : 0x7b;
		if (k != -1 || (seen & need) != need ||
		    !vcpuid_table_add(t, (uint32_t)v[0], (uint32_t)v[1],
				      (uint32_t)v[2], (uint32_t)v[3], (uint32_t)v[4],
				      (uint32_t)v[5], (uint32_t)v[6]))
			return false;
	}
	return r == 0;
}

static const char *const msr_keys[] = { "index", "value" };

static bool f_msrs(struct fscan *s, vcpuid_msr_list *l)
{
	int r, k;
	if (!f_lit(s, '['))
		return false;
	F_EACH_ELEM(s, r) {
		uint64_t v[2] = { 0 };
		unsigned seen = 0;
		if (f_over(s, l->n, VCPUID_MAX_MSRS, "kvm.feature_msrs", "MSRs") ||
		    !f_lit(s, '{'))
			return false;
		F_EACH_KEY(s, msr_keys, seen, k)
			if (!f_num(s, k ? UINT64_MAX : UINT32_MAX, &v[k]))
				return false;
		if (k != -1 || seen != 3 ||
		    vcpuid_msr_list_add(l, (uint32_t)v[0], v[1]))
			return false;
	}
	return r == 0;
}

/* Room for one more of n elements of size elem in *p (at least one, as the
 * jansson reader allocates even for an empty array). */
static bool f_room(void *p, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *np = realloc(*(void **)p, ncap * elem);
	if (!np)
		return false;
	memset((char *)np + *cap * elem, 0, (ncap - *cap) * elem);
	*(void **)p = np;
	*cap = ncap;
	return true;
}

/* An array of MSR indexes (kvm.msr_index_list, kvm.refused_msrs). */
static bool f_index_list(struct fscan *s, uint32_t **list, size_t *n,
			 const char *what)
{
	int r;
	size_t cap = 0;
	if (!f_lit(s, '[') || !f_room(list, 0, &cap, sizeof(uint32_t)))
		return false;
	F_EACH_ELEM(s, r) {
		uint64_t x;
		if (f_over(s, *n, VCPUID_MAX_MSRS, what, "MSRs") ||
		    !f_num(s, UINT32_MAX, &x) ||
		    !f_room(list, *n, &cap, sizeof(uint32_t)))
			return false;
		(*list)[(*n)++] = (uint32_t)x;
	}
	return r == 0;
}

static const char *const cap_keys[] = { "name", "id", "value" };

static bool f_caps(struct fscan *s, vcpuid_host *h)
{
	int r, k;
	size_t cap = 0;
	if (!f_lit(s, '[') || !f_room(&h->caps, 0, &cap, sizeof(*h->caps)))
		return false;
	F_EACH_ELEM(s, r) {
		unsigned seen = 0;
		uint64_t id = 0, x;
		int64_t value = 0;
		if (f_over(s, h->n_caps, VCPUID_MAX_CAPS, "kvm.capabilities",
			   "capabilities") ||
		    !f_room(&h->caps, h->n_caps, &cap, sizeof(*h->caps)) ||
		    !f_lit(s, '{'))
			return false;
		vcpuid_kvm_cap *c = &h->caps[h->n_caps];
		F_EACH_KEY(s, cap_keys, seen, k) {
			bool ok;
			if (k == 0)
				ok = f_text(s, c->name, sizeof(c->name));
			else if (k == 1)
				ok = f_num(s, UINT32_MAX, &id);
			else if (f_peek(s) == '"')
				ok = f_num(s, INT64_MAX, &x) && ((value = (int64_t)x), 1);
			else
				ok = f_int(s, &value);
			if (!ok)
				return false;
		}
		if (k != -1 || !(seen & 4) || !c->name[0] ||
		    vcpuid_host_cap(h, c->name))
			return false;
		c->id = (uint32_t)id;
		c->value = value;
		h->n_caps++;
	}
	return r == 0;
}

static const char *const kvm_keys[] = {
	"flavour", "api_version", "supported_cpuid", "emulated_cpuid",
	"feature_msrs", "msr_index_list", "capabilities", "xcomp_guest_supp",
	"tsc_khz", "refused_msrs",
};

static bool f_kvm(struct fscan *s, vcpuid_host *h)
{
	int k;
	unsigned seen = 0;
	uint64_t v = 0;
	if (!f_lit(s, '{'))
		return false;
	F_EACH_KEY(s, kvm_keys, seen, k) {
		bool ok = true;
		switch (k) {
		case 0:
			ok = f_text(s, h->kvm_flavour, sizeof(h->kvm_flavour));
			break;
		case 1:
			ok = f_num(s, INT32_MAX, &v);
			h->kvm_api_version = (int)v;
			break;
		case 2:
			ok = f_table(s, "kvm.supported_cpuid",
				     VCPUID_MAX_KVM_ENTRIES, true, &h->supported);
			break;
		case 3:
			ok = f_table(s, "kvm.emulated_cpuid",
				     VCPUID_MAX_KVM_ENTRIES, true, &h->emulated);
			break;
		case 4:
			ok = f_msrs(s, &h->feature_msrs);
			break;
		case 5:
			ok = f_index_list(s, &h->msr_index_list,
					  &h->n_msr_index_list,
					  "kvm.msr_index_list");
			break;
		case 6:
			ok = f_caps(s, h);
			break;
		case 7:
			if (!f_null(s)) {
				ok = f_num(s, UINT64_MAX, &h->xcomp_guest_supp);
				h->has_xcomp_guest_supp = true;
			}
			break;
		case 8:
			if (!f_null(s)) {
				ok = f_num(s, UINT32_MAX, &v);
				h->tsc_khz = (uint32_t)v;
			}
			break;
		default:
			ok = f_index_list(s, &h->refused_msrs,
					  &h->n_refused_msrs,
					  "kvm.refused_msrs");
			h->has_refused_msrs = true;
			break;
		}
		if (!ok)
			return false;
	}
	/* supported_cpuid and feature_msrs are required */
	h->has_kvm = true;
	return k == -1 && (seen & 0x14) == 0x14;
}

static const char *const root_keys[] = {
	"format", "version", "source", "origin", "kernel", "microcode",
	"cpuinfo_flags", "raw_cpuid", "kvm", "kvm_absent",
};

static int fast_parse(struct fscan *s, vcpuid_host *h)
{
	int k;
	unsigned seen = 0;
	bool kvm_null = false;
	char absent[sizeof(h->kvm_absent)] = "";
	const char *str;
	size_t n;
	int64_t ver;
	if (!f_lit(s, '{'))
		return -1;
	F_EACH_KEY(s, root_keys, seen, k) {
		bool ok = true;
		switch (k) {
		case 0:
			ok = f_str(s, &str, &n) && n == strlen(VCPUID_PROFILE_FORMAT) &&
			     !memcmp(str, VCPUID_PROFILE_FORMAT, n);
			break;
		case 1:
			ok = f_int(s, &ver) && ver == VCPUID_PROFILE_VERSION;
			break;
		case 2:
			ok = f_text(s, h->source, sizeof(h->source));
			break;
		case 3:
			ok = f_text(s, h->origin, sizeof(h->origin));
			break;
		case 4:
			ok = f_text(s, h->kernel, sizeof(h->kernel));
			break;
		case 5:
			if (!f_null(s)) {
				ok = f_num(s, UINT64_MAX, &h->microcode);
				h->has_microcode = true;
			}
			break;
		case 6:
			if (!f_null(s)) {
				ok = f_str(s, &str, &n) &&
				     (h->cpuinfo_flags = strndup(str, n));
			}
			break;
		case 7:
			if (!f_null(s)) {
				ok = f_table(s, "raw_cpuid",
					     VCPUID_MAX_RAW_ENTRIES, false, &h->raw);
				h->has_raw = true;
			}
			break;
		case 8:
			kvm_null = f_null(s);
			ok = kvm_null || f_kvm(s, h);
			break;
		default:
			ok = f_text(s, absent, sizeof(absent));
			break;
		}
		if (!ok)
			return -1;
	}
	/* format, version, raw_cpuid and kvm are required; kvm_absent too
	 * when kvm is null (and ignored when it is not) */
	if (k != -1 || (seen & 0x183) != 0x183 || (kvm_null && !absent[0]))
		return -1;
	if (kvm_null)
		memcpy(h->kvm_absent, absent, sizeof(absent));
	f_ws(s);
	return s->p == s->end ? 0 : -1;
}

int vp_profile_parse_plain(const char *buf, size_t len, const char *name,
			   vcpuid_host *h, vcpuid_error *err)
{
	struct fscan s = { .p = buf, .end = buf + len };
	vcpuid_host_init(h);
	if (len > VCPUID_MAX_JSON_BYTES) /* vj_parse refuses it */
		return -1;
	/* duplicates: the same check as the jansson reader's, whose message
	 * says where they are */
	if (!fast_parse(&s, h) && !vp_host_check(h, "", NULL))
		return 0;
	vcpuid_host_free(h);
	/* a table past its limit: refused now, without jansson reading all
	 * of a text that cannot be taken */
	if (s.over)
		return vp_limit_fail(err, name, s.over, s.over_limit, s.over_unit);
	return -1;
}

bool vcpuid_profile_parse_plain(const char *buf, size_t len, vcpuid_host *h)
{
	return !vp_profile_parse_plain(buf, len, "", h, NULL);
}
