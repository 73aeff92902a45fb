/* SPDX-License-Identifier: MIT */
/* libvirt_dom: reading a libvirt XML document and walking its elements,
 * for both libvirt readers (libvirt_dom.h). */
#include <string.h>
#include "libvirt_dom.h"

/* libxml2 must not print to stderr: errors become vcpuid errors. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int lx_read(const char *buf, size_t len, const char *name, xmlDoc **doc,
	    vcpuid_error *err)
{
	*doc = NULL;
	if (len > (size_t)1 << 26)
		return vcpuid_fail(err, VCPUID_E_LIMIT,
				   "libvirt XML: larger than 64 MiB");
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	*doc = xmlReadMemory(buf, (int)len, name, NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR |
			     XML_PARSE_NOWARNING);
	if (*doc)
		return 0;
	const xmlError *e = xmlGetLastError();
	int rc = vcpuid_fail(err, VCPUID_E_PARSE, "libvirt XML:%d: %s",
			     e ? e->line : 0,
			     e && e->message ? e->message : "not well-formed");
	size_t ml = err ? strlen(err->msg) : 0;
	while (ml && (err->msg[ml - 1] == '\n' || err->msg[ml - 1] == ' '))
		err->msg[--ml] = 0;
	return rc;
}

bool lx_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

const xmlNode *lx_child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (lx_is(c, name))
			return c;
	return NULL;
}
