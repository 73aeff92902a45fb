/* SPDX-License-Identifier: MIT */
/* oracle_spec: the preload's host spec parser (docs/testing.md). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "oracle_spec.h"

#define MAX_TOKENS 9
#define MAX_TOKEN 40

struct token {
	char s[MAX_TOKEN];
	unsigned col;
};

static int fail(char *err, size_t errlen, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail(char *err, size_t errlen, unsigned line, unsigned col,
		const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%u:%u: ", line, col);
	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "0x" hex or decimal, no sign, at most max. */
static int number(const char *t, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		base = 16;
		t += 2;
	}
	if (!*t)
		return -1;
	for (; *t; t++) {
		unsigned d;
		if (*t >= '0' && *t <= '9')
			d = (unsigned)(*t - '0');
		else if (base == 16 && *t >= 'a' && *t <= 'f')
			d = (unsigned)(*t - 'a' + 10);
		else if (base == 16 && *t >= 'A' && *t <= 'F')
			d = (unsigned)(*t - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

struct keyword {
	const char *name;
	unsigned nargs;
	uint64_t max[7];	/* per argument */
};

#define U32 UINT32_MAX
#define U64 UINT64_MAX
static const struct keyword keywords[] = {
	{ "supported", 7, { U32, U32, U32, U32, U32, U32, U32 } },
	{ "emulated", 7, { U32, U32, U32, U32, U32, U32, U32 } },
	{ "raw", 7, { U32, U32, U32, U32, U32, U32, U32 } },
	{ "emulated-present", 0, { 0 } },
	{ "msr", 2, { U32, U64 } },
	{ "msr-index-present", 0, { 0 } },
	{ "msr-index", 1, { U32 } },
	{ "xcomp", 1, { U64 } },
	{ "tsc-khz", 1, { INT32_MAX } },
	{ "cap", 2, { U32, INT32_MAX } },
	{ "fake-cpuid-insn", 1, { 1 } },
	{ "refuse-msr", 1, { U32 } },
	{ "xcomp-perm", 1, { U64 } },
};

static void set_entry(struct kvm_cpuid_entry2 *e, const uint64_t *v)
{
	memset(e, 0, sizeof(*e));
	e->function = (uint32_t)v[0];
	e->index = (uint32_t)v[1];
	e->flags = (uint32_t)v[2];
	e->eax = (uint32_t)v[3];
	e->ebx = (uint32_t)v[4];
	e->ecx = (uint32_t)v[5];
	e->edx = (uint32_t)v[6];
}

static int apply(struct oracle_spec *s, const struct keyword *k,
		 const uint64_t *v)
{
	const char *name = k->name;
	if (!strcmp(name, "supported")) {
		if (s->nsup >= ORACLE_MAX_CPUID)
			return -1;
		set_entry(&s->sup[s->nsup++], v);
	} else if (!strcmp(name, "emulated")) {
		if (s->nemu >= ORACLE_MAX_CPUID)
			return -1;
		set_entry(&s->emu[s->nemu++], v);
		s->has_emu = 1;
	} else if (!strcmp(name, "raw")) {
		if (s->nraw >= ORACLE_MAX_RAW)
			return -1;
		set_entry(&s->raw[s->nraw++], v);
	} else if (!strcmp(name, "emulated-present")) {
		s->has_emu = 1;
	} else if (!strcmp(name, "msr")) {
		if (s->nmsr >= ORACLE_MAX_MSRS)
			return -1;
		s->msr_idx[s->nmsr] = (uint32_t)v[0];
		s->msr_val[s->nmsr++] = v[1];
	} else if (!strcmp(name, "msr-index-present")) {
		s->has_idx_list = 1;
	} else if (!strcmp(name, "msr-index")) {
		if (s->nidx >= ORACLE_MAX_MSRS)
			return -1;
		s->idx_list[s->nidx++] = (uint32_t)v[0];
		s->has_idx_list = 1;
	} else if (!strcmp(name, "xcomp")) {
		s->has_xcomp = 1;
		s->xcomp = v[0];
	} else if (!strcmp(name, "tsc-khz")) {
		s->tsc_khz = (uint32_t)v[0];
	} else if (!strcmp(name, "cap")) {
		if (s->ncaps >= ORACLE_MAX_CAPS)
			return -1;
		s->caps[s->ncaps].id = (uint32_t)v[0];
		s->caps[s->ncaps++].value = (int64_t)v[1];
	} else if (!strcmp(name, "fake-cpuid-insn")) {
		s->fake_insn = v[0] != 0;
	} else if (!strcmp(name, "refuse-msr")) {
		if (s->nrefused >= ORACLE_MAX_MSRS)
			return -1;
		s->refused[s->nrefused++] = (uint32_t)v[0];
	} else if (!strcmp(name, "xcomp-perm")) {
		s->has_xperm = 1;
		s->xperm = v[0];
	}
	return 0;
}

static int parse_line(struct oracle_spec *s, const char *p, size_t len,
		      unsigned line, char *err, size_t errlen)
{
	struct token t[MAX_TOKENS];
	unsigned n = 0;
	size_t i = 0;
	while (i < len) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r') {
			i++;
			continue;
		}
		if (p[i] == '#' && n == 0)
			return 0;
		if (n == MAX_TOKENS)
			return fail(err, errlen, line, (unsigned)i + 1,
				    "too many fields");
		size_t start = i, l = 0;
		while (i < len && p[i] != ' ' && p[i] != '\t' && p[i] != '\r') {
			if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
				return fail(err, errlen, line, (unsigned)i + 1,
					    "bad byte 0x%02x",
					    (unsigned char)p[i]);
			if (l + 1 >= MAX_TOKEN)
				return fail(err, errlen, line, (unsigned)start + 1,
					    "field too long");
			t[n].s[l++] = p[i++];
		}
		t[n].s[l] = 0;
		t[n++].col = (unsigned)start + 1;
	}
	if (n == 0)
		return 0;
	if (t[0].s[0] == '{')
		return fail(err, errlen, line, t[0].col,
			    "this is JSON: give the spec qemu_oracle.py writes");
	for (size_t k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++) {
		const struct keyword *kw = &keywords[k];
		uint64_t v[7] = { 0 };
		if (strcmp(t[0].s, kw->name))
			continue;
		if (n - 1 != kw->nargs)
			return fail(err, errlen, line, t[0].col,
				    "\"%s\" takes %u numbers, got %u", kw->name,
				    kw->nargs, n - 1);
		for (unsigned a = 0; a < kw->nargs; a++)
			if (number(t[a + 1].s, kw->max[a], &v[a]))
				return fail(err, errlen, line, t[a + 1].col,
					    "bad number \"%s\"", t[a + 1].s);
		if (apply(s, kw, v))
			return fail(err, errlen, line, t[0].col,
				    "too many \"%s\" lines", kw->name);
		return 0;
	}
	return fail(err, errlen, line, t[0].col, "unknown keyword \"%s\"",
		    t[0].s);
}

int oracle_spec_parse(struct oracle_spec *s, const char *buf, size_t len,
		      char *err, size_t errlen)
{
	unsigned line = 1;
	size_t i = 0;
	memset(s, 0, sizeof(*s));
	while (i < len) {
		size_t e = i;
		while (e < len && buf[e] != '\n')
			e++;
		if (parse_line(s, buf + i, e - i, line, err, errlen))
			return -1;
		i = e + 1;
		line++;
	}
	return 0;
}
