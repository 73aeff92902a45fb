/* SPDX-License-Identifier: MIT */
/* The one output writer (output.c); private to libvcpuid and its
 * programs, included by internal.h. */
#ifndef VCPUID_OUTPUT_H
#define VCPUID_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vcpuid.h"

/* Replace the file at path with data, atomically, never following or
 * reusing what another user planted (see output.c). new_mode is the mode of
 * the new file (-1: keep the replaced file's mode if it is the caller's, else
 * 0666 & ~umask). A FIFO, character device or socket at path is written in
 * place unless flags has VP_WRITE_REPLACE. Errors are VCPUID_E_IO with the
 * errno text, VCPUID_E_USAGE for an empty path. */
#define VP_WRITE_REPLACE 1u
/* Use the named temporary, as where the file system has no O_TMPFILE. */
#define VP_WRITE_NAMED 2u
int vp_write_atomic(const char *path, const void *data, size_t len,
		    int new_mode, unsigned flags, vcpuid_error *err);

#endif
