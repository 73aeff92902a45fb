/* SPDX-License-Identifier: MIT */
/* vcpuid: dispatch to one subcommand per file (cmd_*.c). */
#include <getopt.h>
#include <string.h>
#include "cli.h"

#define COMMAND(fn, name, summary) int cmd_##fn(int argc, char **argv);
#include "commands.def"
#undef COMMAND

static const struct cli_cmd cmds[] = {
#define COMMAND(fn, name, summary) { name, cmd_##fn, summary },
#include "commands.def"
#undef COMMAND
};

static void usage(FILE *f)
{
	fprintf(f, "usage: vcpuid COMMAND [OPTIONS]\n\n"
		   "Decide, apply and prove what CPU a KVM guest sees.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-14s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nThe commands that compute a guest take --machine M and\n"
		   "--qemu VERSION: which machine type, run by which QEMU release\n"
		   "(7.2, 8.0 .. 11.1; default the newest, and the newest type of\n"
		   "that release).\n");
	fprintf(f, "\n'vcpuid COMMAND --help' describes a command; "
		   "man vcpuid(1) has exit codes and formats.\n");
}

static int run(int argc, char **argv)
{
	opterr = 0; /* every error is one line: cli_getopt_fail() */
	if (argc < 2) {
		usage(stderr);
		return VCPUID_E_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vcpuid %s\n", VCPUID_VERSION);
		return 0;
	}
	cli_errors_init(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	return cli_error(VCPUID_E_USAGE, "unknown command '%s' (see 'vcpuid --help')",
			 argv[1]);
}

int main(int argc, char **argv)
{
	return cli_exit(run(argc, argv));
}
