/* SPDX-License-Identifier: MIT */
/* spec: parse a -cpu option the way QEMU 7.2 does (cpu.c parse_cpu_option and
 * x86_cpu_parse_featurestr, then the qdev global property parsers).
 *
 *   MODEL[,+feat][,-feat][,feat=on|off][,feat][,prop=value]...
 *
 * - The model name is everything before the first ','; it may not be empty.
 * - The rest is split on ',' with empty pieces skipped (QEMU uses strtok):
 *   ",," is not an escape, "a,,b" is "a" then "b".
 * - "+name"/"-name" take the name literally (no '_' to '-' conversion), so
 *   only names and registered aliases ("sse4_1", "lahf_lm") work; they win
 *   over feat=on|off whatever the order, and '-' wins over '+'.
 * - "name[=value]" converts '_' to '-' first; a bare name means "=on".
 *   Booleans: on yes true y / off no false n (case sensitive, like QEMU).
 *   Numbers: C syntax (0x hex, leading 0 octal), like strtoull base 0.
 * - "tsc-freq=2.5G" is the legacy spelling of tsc-frequency (metric suffixes).
 * Names are case sensitive. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "stages.h"

enum ptype { BOOL, U32, U64, INT, VENDOR, STR, TSCFREQ };
#define SUP 0x1u
#define MAXONLY 0x2u

static const struct cpu_prop {
	const char *name;
	enum ptype type;
	int64_t min, max;
	unsigned flags;
} props[] = {
#define CPU_PROP(n, t, mi, ma, f) { n, t, mi, ma, f },
#include "data/cpu_props.def"
};

static const struct { const char *name; uint16_t since; } prop_since[] = {
#define PROP_SINCE(n, s) { n, s },
#include "data/cpu_props.def"
};

#define SPECFILE "-cpu"

static const struct { const char *name; uint16_t until; } prop_until[] = {
#define PROP_UNTIL(n, u) { n, u },
#include "data/cpu_props.def"
};

uint16_t spec_prop_since(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(prop_since); i++)
		if (!strcmp(prop_since[i].name, name))
			return prop_since[i].since;
	return 702;
}

uint16_t spec_prop_until(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(prop_until); i++)
		if (!strcmp(prop_until[i].name, name))
			return prop_until[i].until;
	return 0xffff;
}

static const struct cpu_prop *prop_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(props); i++)
		if (!strcmp(props[i].name, name))
			return &props[i];
	return NULL;
}

int spec_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "y" };
	static const char *const no[] = { "off", "no", "false", "n" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* strtoull/strtoll base 0 with QEMU's strictness: whole string, no overflow. */
static int parse_u64(const char *v, uint64_t *out)
{
	char *end;
	if (!*v || isspace((unsigned char)*v) || *v == '-' || *v == '+')
		return -1;
	errno = 0;
	unsigned long long r = strtoull(v, &end, 0);
	if (errno || *end)
		return -1;
	*out = r;
	return 0;
}

static int parse_i64(const char *v, int64_t *out)
{
	char *end;
	if (!*v || isspace((unsigned char)*v))
		return -1;
	errno = 0;
	long long r = strtoll(v, &end, 0);
	if (errno || *end)
		return -1;
	*out = r;
	return 0;
}

/* qemu_strtosz_metric: a decimal number, optional fraction, optional
 * suffix B/K/M/G/T/P/E (powers of 1000). */
static int parse_metric(const char *v, uint64_t *out)
{
	char *end;
	if (!*v || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v)
		return -1;
	double mul = 1;
	if (*end) {
		static const char suffixes[] = "BKMGTPE";
		const char *p = strchr(suffixes, toupper((unsigned char)*end));
		if (!p || end[1])
			return -1;
		for (long i = 0; i < p - suffixes; i++)
			mul *= 1000;
	}
	d *= mul;
	if (d >= 9223372036854775807.0)
		return -1;
	*out = (uint64_t)d;
	return 0;
}

static void set_bits(vcpuid_words w, const vcpuid_feature *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[f[i].word] |= 1ull << f[i].bit;
}

static void clear_bits(vcpuid_words w, const vcpuid_feature *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[f[i].word] &= ~(1ull << f[i].bit);
}

static int unknown_name(const char *name, size_t col, vcpuid_error *err)
{
	char sugg[160];
	vcpuid_feature_suggest(name, sugg, sizeof(sugg));
	if (sugg[0])
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   SPECFILE ":1:%zu: unknown feature '%s' "
				   "(did you mean %s?)", col, name, sugg);
	return vcpuid_fail(err, VCPUID_E_UNKNOWN,
			   SPECFILE ":1:%zu: unknown feature or property '%s'",
			   col, name);
}

static int add_prop(vcpuid_spec *spec, const char *name, const char *value,
		    size_t col, vcpuid_error *err)
{
	if (spec->nprops >= VCPUID_SPEC_MAX_PROPS)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   SPECFILE ":1:%zu: more than %d properties",
				   col, VCPUID_SPEC_MAX_PROPS);
	snprintf(spec->props[spec->nprops].name,
		 sizeof(spec->props[0].name), "%s", name);
	snprintf(spec->props[spec->nprops].value,
		 sizeof(spec->props[0].value), "%s", value);
	spec->nprops++;
	return 0;
}

/* Check a property value; out receives its normal form. */
static int check_prop(const struct cpu_prop *p, const char *val, size_t col,
		      bool max_model, char *out, size_t outlen,
		      vcpuid_error *err)
{
	if (!(p->flags & SUP))
		return vcpuid_fail(err, VCPUID_E_UNSUPPORTED,
				   SPECFILE ":1:%zu: property '%s' is not "
				   "supported by vcpuid", col, p->name);
	if ((p->flags & MAXONLY) && !max_model)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   SPECFILE ":1:%zu: property '%s' exists only "
				   "on the max and host models", col, p->name);
	uint64_t u;
	int64_t i;
	bool b;
	switch (p->type) {
	case BOOL:
		if (spec_parse_bool(val, &b))
			goto bad;
		snprintf(out, outlen, "%s", b ? "on" : "off");
		return 0;
	case U32:
	case U64:
		if (parse_u64(val, &u) ||
		    (p->type == U32 && u > 0xffffffffull))
			goto bad;
		if (p->max && ((int64_t)u < p->min || (int64_t)u > p->max))
			goto range;
		snprintf(out, outlen, "0x%llx", (unsigned long long)u);
		return 0;
	case INT:
		if (parse_i64(val, &i))
			goto bad;
		if (i < p->min || i > p->max)
			goto range;
		snprintf(out, outlen, "%lld", (long long)i);
		return 0;
	case TSCFREQ:
		if (parse_i64(val, &i) || i < 0)
			goto bad;
		snprintf(out, outlen, "%lld", (long long)i);
		return 0;
	case VENDOR:
		if (strlen(val) != 12)
			goto bad;
		snprintf(out, outlen, "%s", val);
		return 0;
	case STR:
		snprintf(out, outlen, "%.48s", val);
		return 0;
	}
bad:
	return vcpuid_fail(err, VCPUID_E_PARSE,
			   SPECFILE ":1:%zu: bad value '%s' for '%s'", col, val,
			   p->name);
range:
	return vcpuid_fail(err, VCPUID_E_PARSE,
			   SPECFILE ":1:%zu: value '%s' for '%s' is out of range "
			   "%lld..%lld", col, val, p->name, (long long)p->min,
			   (long long)p->max);
}

static bool is_max_model(const char *m)
{
	return !strcmp(m, "max") || !strcmp(m, "host");
}

int vcpuid_spec_parse(const char *s, vcpuid_spec *spec, vcpuid_error *err)
{
	memset(spec, 0, sizeof(*spec));
	if (!s || !*s)
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   SPECFILE ":1:1: the -cpu option cannot be empty");
	const char *comma = strchr(s, ',');
	size_t mlen = comma ? (size_t)(comma - s) : strlen(s);
	if (mlen == 0)
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   SPECFILE ":1:1: empty CPU model name");
	if (mlen >= sizeof(spec->model))
		return vcpuid_fail(err, VCPUID_E_UNKNOWN,
				   SPECFILE ":1:1: unknown CPU model '%.*s'",
				   (int)mlen, s);
	memcpy(spec->model, s, mlen);
	spec->model[mlen] = 0;
	bool max_model = is_max_model(spec->model);

	/* +bool-prop / -bool-prop are applied after everything else, like
	 * QEMU's plus_features and minus_features. */
	struct { const char *name; bool on; } late[VCPUID_SPEC_MAX_PROPS];
	size_t nlate = 0;

	const char *p = comma;
	while (p && *p) {
		while (*p == ',')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t col = (size_t)(p - s) + 1;
		char tok[160];
		if (len >= sizeof(tok))
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   SPECFILE ":1:%zu: option too long", col);
		memcpy(tok, p, len);
		tok[len] = 0;
		p = end;

		if (tok[0] == '+' || tok[0] == '-') {
			bool on = tok[0] == '+';
			const char *name = tok + 1;
			size_t nb = 0;
			const vcpuid_feature *f = vc_feature_exact(name, &nb);
			if (f) {
				set_bits(on ? spec->plus : spec->minus, f, nb);
				continue;
			}
			const struct cpu_prop *cp = prop_find(name);
			if (cp && cp->type == BOOL) {
				char norm[8];
				int rc = check_prop(cp, on ? "on" : "off", col,
						    max_model, norm, sizeof(norm),
						    err);
				if (rc)
					return rc;
				if (nlate < VCPUID_SPEC_MAX_PROPS) {
					late[nlate].name = cp->name;
					late[nlate].on = on;
					nlate++;
				}
				continue;
			}
			if (cp)
				return vcpuid_fail(err, VCPUID_E_PARSE,
						   SPECFILE ":1:%zu: '%s' is not "
						   "a boolean: use %s=VALUE",
						   col, name, name);
			if (!*name)
				return vcpuid_fail(err, VCPUID_E_PARSE,
						   SPECFILE ":1:%zu: '%c' without "
						   "a feature name", col, tok[0]);
			return unknown_name(name, col + 1, err);
		}

		char *eq = strchr(tok, '=');
		const char *val = "on";
		if (eq) {
			*eq = 0;
			val = eq + 1;
		}
		for (char *c = tok; *c; c++)
			if (*c == '_')
				*c = '-';
		const char *name = tok;
		if (!*name)
			return vcpuid_fail(err, VCPUID_E_PARSE,
					   SPECFILE ":1:%zu: empty property name",
					   col);
		size_t nb = 0;
		const vcpuid_feature *f = vc_feature_exact(name, &nb);
		if (f) {
			bool on;
			if (spec_parse_bool(val, &on))
				return vcpuid_fail(err, VCPUID_E_PARSE,
						   SPECFILE ":1:%zu: bad value "
						   "'%s' for '%s': expected on or "
						   "off", col, val, name);
			set_bits(on ? spec->on : spec->off, f, nb);
			clear_bits(on ? spec->off : spec->on, f, nb);
			continue;
		}
		char norm[sizeof(spec->props[0].value)];
		if (!strcmp(name, "tsc-freq")) {
			uint64_t hz;
			if (parse_metric(val, &hz))
				return vcpuid_fail(err, VCPUID_E_PARSE,
						   SPECFILE ":1:%zu: bad value "
						   "'%s' for 'tsc-freq'", col, val);
			snprintf(norm, sizeof(norm), "%llu",
				 (unsigned long long)hz);
			int rc = add_prop(spec, "tsc-frequency", norm, col, err);
			if (rc)
				return rc;
			continue;
		}
		const struct cpu_prop *cp = prop_find(name);
		if (!cp)
			return unknown_name(name, col, err);
		int rc = check_prop(cp, val, col, max_model, norm, sizeof(norm),
				    err);
		if (rc)
			return rc;
		rc = add_prop(spec, cp->name, norm, col, err);
		if (rc)
			return rc;
	}
	/* expand applies every +feat, then every -feat, after feat=on|off;
	 * bool properties given as +prop/-prop come last in the same order. */
	for (size_t i = 0; i < nlate; i++)
		if (late[i].on) {
			int rc = add_prop(spec, late[i].name, "on", 0, err);
			if (rc)
				return rc;
		}
	for (size_t i = 0; i < nlate; i++)
		if (!late[i].on) {
			int rc = add_prop(spec, late[i].name, "off", 0, err);
			if (rc)
				return rc;
		}
	return 0;
}

const char *spec_prop_get(const vcpuid_spec *spec, const char *name)
{
	const char *v = NULL;
	for (size_t i = 0; i < spec->nprops; i++)
		if (!strcmp(spec->props[i].name, name))
			v = spec->props[i].value;
	return v;
}

/* x86_cpu_parse_featurestr's "Ambiguous CPU model string" warnings: a
 * name=value after +name or -name (names compared literally, after the
 * '_' to '-' conversion of the name=value side, as QEMU does). */
/* snprintf(dst, size, "%.*s", len, src) without the format machinery:
 * this runs for every token of every expansion. */
static void copy_token(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

int spec_ambiguity_warnings(const char *s, vcpuid_cpu *cpu)
{
	const char *p = strchr(s ? s : "", ',');
	char plus[VCPUID_SPEC_MAX_PROPS][160], minus[VCPUID_SPEC_MAX_PROPS][160];
	size_t np = 0, nm = 0;
	bool ambiguous = false;
	while (p && *p) {
		while (*p == ',')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ",");
		char tok[160];
		copy_token(tok, sizeof(tok), p, len);
		p += len;
		if (tok[0] == '+' || tok[0] == '-') {
			if (tok[0] == '+' && np < VCPUID_SPEC_MAX_PROPS)
				copy_token(plus[np++], sizeof(plus[0]), tok + 1,
					   strlen(tok + 1));
			else if (tok[0] == '-' && nm < VCPUID_SPEC_MAX_PROPS)
				copy_token(minus[nm++], sizeof(minus[0]), tok + 1,
					   strlen(tok + 1));
			continue;
		}
		char *eq = strchr(tok, '=');
		const char *val = "on";
		if (eq) {
			*eq = 0;
			val = eq + 1;
		}
		for (char *c = tok; *c; c++)
			if (*c == '_')
				*c = '-';
		int rc;
		for (size_t i = 0; i < np; i++)
			if (!strcmp(plus[i], tok)) {
				if ((rc = vo_warn(cpu, "Ambiguous CPU model string. "
						  "Don't mix both \"+%s\" and "
						  "\"%s=%s\"", tok, tok, val)))
					return rc;
				ambiguous = true;
				break;
			}
		for (size_t i = 0; i < nm; i++)
			if (!strcmp(minus[i], tok)) {
				if ((rc = vo_warn(cpu, "Ambiguous CPU model string. "
						  "Don't mix both \"-%s\" and "
						  "\"%s=%s\"", tok, tok, val)))
					return rc;
				ambiguous = true;
				break;
			}
	}
	if (ambiguous)
		return vo_warn(cpu, "Compatibility of ambiguous CPU model strings "
			       "won't be kept on future QEMU versions");
	return 0;
}
