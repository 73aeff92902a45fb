/* SPDX-License-Identifier: MIT */
/* What the libvirt XML readers (libvirt_xml_in.c: <domain>/<cpu>;
 * libvirt_host.c: domcapabilities and <cpudata>) share: reading a document
 * with libxml2 quiet and bounded, and walking its elements. Prefix lx_. */
#ifndef VCPUID_LIBVIRT_DOM_H
#define VCPUID_LIBVIRT_DOM_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include "internal.h"

/* Parse buf (at most 64 MiB; no network, nothing printed): 0 and *doc, or
 * VCPUID_E_LIMIT / VCPUID_E_PARSE with "libvirt XML:LINE: what" in err.
 * name is the document's name for libxml2. */
int lx_read(const char *buf, size_t len, const char *name, xmlDoc **doc,
	    vcpuid_error *err);
/* n is an element called name. */
bool lx_is(const xmlNode *n, const char *name);
/* The first child element of n called name, or NULL. */
const xmlNode *lx_child(const xmlNode *n, const char *name);

#endif
