/* SPDX-License-Identifier: MIT */
/* Errors: one line each, with a status that doubles as the exit code. */
#include <stdarg.h>
#include <stdio.h>
#include "internal.h"

int vcpuid_fail(vcpuid_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

const char *vcpuid_status_name(int code)
{
	static const char *const names[] = {
		[VCPUID_OK] = "ok",
		[VCPUID_E_NEGATIVE] = "negative",
		[VCPUID_E_USAGE] = "usage",
		[VCPUID_E_IO] = "io",
		[VCPUID_E_PARSE] = "parse",
		[VCPUID_E_UNKNOWN] = "unknown",
		[VCPUID_E_NOKVM] = "no-kvm",
		[VCPUID_E_KVM] = "kvm",
		[VCPUID_E_GUEST] = "guest",
		[VCPUID_E_ENFORCE] = "enforce",
		[VCPUID_E_LIMIT] = "limit",
		[VCPUID_E_NOMEM] = "nomem",
		[VCPUID_E_UNSUPPORTED] = "unsupported",
	};
	if (code < 0 || (size_t)code >= ARRAY_SIZE(names) || !names[code])
		return "error";
	return names[code];
}
