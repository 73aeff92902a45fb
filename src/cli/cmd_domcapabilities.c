/* SPDX-License-Identifier: MIT */
/* vcpuid domcapabilities [--host P] [--machine M] [--qemu VERSION] [--blockers]
 *                        [--startable] [--no-check] [-o FILE] */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "qemu_opt.h"

static const char help[] =
	"usage: vcpuid domcapabilities [--host P|live] [--machine M] [--qemu VERSION]\n"
	"                              [--blockers] [--startable] [--no-check] [-o FILE]\n"
	"The <cpu> part of `virsh domcapabilities --virttype kvm` as libvirt 9.0\n"
	"computes it for host P with the machine type's QEMU: host-passthrough,\n"
	"maximum, host-model (libvirt's decoding of QEMU's host CPU into its own\n"
	"model and feature names) and the custom models with usable=.\n"
	"On the live host it also checks, as `vcpuid check` does, that QEMU can\n"
	"start libvirt's host-model; if not it says why on stderr and which\n"
	"features the host-model that starts leaves out.\n"
	"  --host P      host profile, dump, 'bundled:NAME' or 'live' (default)\n"
	"  --machine M   machine type (default: the newest of the release; with\n"
	"                --qemu alone the newest pc-i440fx type of that release)\n"
	CLI_QEMU_HELP
	"  --blockers    add <blockers model=> lists of the unusable models'\n"
	"                missing features (as libvirt from 9.8 prints them)\n"
	"  --startable   print the host-model that starts instead of libvirt's\n"
	"  --no-check    do not try the host-model on the live host's KVM\n"
	"  -o, --output FILE  write the output to FILE (atomically)\n"
	"Exit: 0; 1 with --startable when no host-model starts; 6 no KVM.\n";

int cmd_domcapabilities(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, 0, 'H' },
		{ "machine", required_argument, 0, 'm' },
		{ "qemu", required_argument, 0, 'Q' },
		{ "blockers", no_argument, 0, 'b' },
		{ "startable", no_argument, 0, 's' },
		{ "no-check", no_argument, 0, 'n' },
		{ "output", required_argument, 0, 'o' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 } };
	const char *hostspec = "live", *machine = NULL, *qemu = NULL, *out = NULL;
	bool blockers = false, startable = false, check = true;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "H:m:Q:bsnho:", opts, NULL)) != -1) {
		switch (o) {
		case 'H': hostspec = optarg; break;
		case 'm': machine = optarg; break;
		case 'Q': qemu = optarg; break;
		case 'b': blockers = true; break;
		case 's': startable = true; break;
		case 'n': check = false; break;
		case 'o': {
			int orc = cli_set_output("domcapabilities", optarg, &out);
			if (orc)
				return orc;
			break;
		}
		case 'h': fputs(help, stdout); return 0;
		default: return cli_getopt_fail("domcapabilities", "H:m:Q:bsnho:",
						argv);
		}
	}
	if (optind < argc)
		return cli_usage("domcapabilities", "unexpected argument '%s'",
				 argv[optind]);
	char mbuf[96];
	int mrc = cli_machine_arg("domcapabilities", machine, qemu, mbuf,
				  sizeof(mbuf), &machine);
	if (mrc)
		return mrc;
	vcpuid_error err = { 0 };
	vcpuid_host host;
	vcpuid_host_init(&host);
	int rc = vcpuid_host_load_ex(hostspec, VCPUID_PROBE_LAZY | VCPUID_PROBE_CACHE,
				     &host, &err);
	vcpuid_domcaps d;
	memset(&d, 0, sizeof(d));
	if (!rc)
		rc = vcpuid_libvirt_domcaps(&host, machine, &d, &err);
	if (!rc && check && !strcmp(hostspec, "live")) {
		vcpuid_error ce = { 0 };
		int crc = vcpuid_libvirt_domcaps_check(&d, &host, &ce);
		if (crc)
			fprintf(stderr, "vcpuid: could not try the host-model on this "
				"host's KVM: %s\n", ce.msg);
		else if (!d.hm_starts)
			fprintf(stderr, "vcpuid: QEMU would abort with libvirt's "
				"host-model on this host (%s); %s%s\n",
				d.hm_why ? d.hm_why : "launch failure",
				d.hm_drop ? "the host-model that starts disables: " :
				"no host-model found that starts",
				d.hm_drop ? d.hm_drop : "");
	}
	if (rc) {
		vcpuid_host_free(&host);
		return cli_fail(&err);
	}
	if (startable && !d.hm_starts && !d.hm_drop) {
		vcpuid_libvirt_domcaps_free(&d);
		vcpuid_host_free(&host);
		return VCPUID_E_NEGATIVE;
	}
	if (startable && d.hm_drop) {
		/* the names follow the adjusted words */
		char *req = NULL, *dis = NULL;
		size_t rl = 0, dl = 0;
		FILE *rf = open_memstream(&req, &rl), *df = open_memstream(&dis, &dl);
		size_t n;
		const vcpuid_libvirt_feature *lf = vcpuid_libvirt_features(&n);
		for (size_t i = 0; rf && df && i < n; i++) {
			if (lf[i].word < 0 ||
			    vcpuid_libvirt_feature_at(lf[i].word, lf[i].bit) != &lf[i])
				continue;
			if (d.hm_require[lf[i].word] >> lf[i].bit & 1)
				fprintf(rf, "%s%s", rl ? " " : "", lf[i].name), fflush(rf);
			if (d.hm_disable[lf[i].word] >> lf[i].bit & 1)
				fprintf(df, "%s%s", dl ? " " : "", lf[i].name), fflush(df);
		}
		if (rf)
			fclose(rf);
		if (df)
			fclose(df);
		free(d.hm_require_names);
		free(d.hm_disable_names);
		d.hm_require_names = req;
		d.hm_disable_names = dis;
	}
	char *xml = NULL;
	rc = vcpuid_libvirt_domcaps_xml(&d, blockers, &xml, &err);
	rc = rc ? cli_fail(&err) : cli_output(out, xml);
	free(xml);
	vcpuid_libvirt_domcaps_free(&d);
	vcpuid_host_free(&host);
	return rc;
}
