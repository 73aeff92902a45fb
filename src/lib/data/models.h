/* SPDX-License-Identifier: MIT */
/* Private: tables shared by the model catalog data files. */
#ifndef VCPUID_DATA_MODELS_H
#define VCPUID_DATA_MODELS_H
#include "internal.h"

extern const vcpuid_cache_set vcpuid_cache_epyc;
extern const vcpuid_cache_set vcpuid_cache_epyc_rome;
extern const vcpuid_cache_set vcpuid_cache_epyc_milan;

extern const char vcpuid_features_qemu64[];
extern const char vcpuid_features_phenom[];
extern const char vcpuid_features_core2duo[];
extern const char vcpuid_features_kvm64[];
extern const char vcpuid_features_qemu32[];
extern const char vcpuid_features_kvm32[];
extern const char vcpuid_features_coreduo[];
extern const char vcpuid_features_m_486[];
extern const char vcpuid_features_pentium[];
extern const char vcpuid_features_pentium2[];
extern const char vcpuid_features_pentium3[];
extern const char vcpuid_features_athlon[];
extern const char vcpuid_features_n270[];
extern const char vcpuid_features_conroe[];
extern const char vcpuid_features_penryn[];
extern const char vcpuid_features_nehalem[];
extern const vcpuid_model_version vcpuid_versions_nehalem[];
extern const char vcpuid_features_westmere[];
extern const vcpuid_model_version vcpuid_versions_westmere[];
extern const char vcpuid_features_sandybridge[];
extern const vcpuid_model_version vcpuid_versions_sandybridge[];
extern const char vcpuid_features_ivybridge[];
extern const vcpuid_model_version vcpuid_versions_ivybridge[];
extern const char vcpuid_features_haswell[];
extern const vcpuid_model_version vcpuid_versions_haswell[];
extern const char vcpuid_features_broadwell[];
extern const vcpuid_model_version vcpuid_versions_broadwell[];
extern const char vcpuid_features_skylake_client[];
extern const vcpuid_model_version vcpuid_versions_skylake_client[];
extern const char vcpuid_features_skylake_server[];
extern const vcpuid_model_version vcpuid_versions_skylake_server[];
extern const char vcpuid_features_cascadelake_server[];
extern const vcpuid_model_version vcpuid_versions_cascadelake_server[];
extern const char vcpuid_features_cooperlake[];
extern const vcpuid_model_version vcpuid_versions_cooperlake[];
extern const char vcpuid_features_icelake_server[];
extern const vcpuid_model_version vcpuid_versions_icelake_server[];
extern const char vcpuid_features_denverton[];
extern const vcpuid_model_version vcpuid_versions_denverton[];
extern const char vcpuid_features_snowridge[];
extern const vcpuid_model_version vcpuid_versions_snowridge[];
extern const char vcpuid_features_knightsmill[];
extern const char vcpuid_features_opteron_g1[];
extern const char vcpuid_features_opteron_g2[];
extern const char vcpuid_features_opteron_g3[];
extern const char vcpuid_features_opteron_g4[];
extern const char vcpuid_features_opteron_g5[];
extern const char vcpuid_features_epyc[];
extern const vcpuid_model_version vcpuid_versions_epyc[];
extern const char vcpuid_features_dhyana[];
extern const vcpuid_model_version vcpuid_versions_dhyana[];
extern const char vcpuid_features_epyc_rome[];
extern const vcpuid_model_version vcpuid_versions_epyc_rome[];
extern const char vcpuid_features_epyc_milan[];

#endif
