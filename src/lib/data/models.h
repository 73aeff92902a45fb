/* SPDX-License-Identifier: MIT */
/* Private: tables shared by the model catalog data files. */
#ifndef VCPUID_DATA_MODELS_H
#define VCPUID_DATA_MODELS_H
#include "internal.h"

extern const vcpuid_cache_set vdata_cache_epyc;
extern const vcpuid_cache_set vdata_cache_epyc_rome;
extern const vcpuid_cache_set vdata_cache_epyc_milan;
extern const vcpuid_cache_set vdata_cache_epyc_v4;
extern const vcpuid_cache_set vdata_cache_epyc_rome_v3;
extern const vcpuid_cache_set vdata_cache_epyc_milan_v2;
extern const vcpuid_cache_set vdata_cache_epyc_genoa;

extern const char vdata_features_qemu64[];
extern const char vdata_features_phenom[];
extern const char vdata_features_core2duo[];
extern const char vdata_features_kvm64[];
extern const char vdata_features_qemu32[];
extern const char vdata_features_kvm32[];
extern const char vdata_features_coreduo[];
extern const char vdata_features_m_486[];
extern const char vdata_features_pentium[];
extern const char vdata_features_pentium2[];
extern const char vdata_features_pentium3[];
extern const char vdata_features_athlon[];
extern const char vdata_features_n270[];
extern const char vdata_features_conroe[];
extern const char vdata_features_penryn[];
extern const char vdata_features_nehalem[];
extern const vcpuid_model_version vdata_versions_nehalem[];
extern const char vdata_features_westmere[];
extern const vcpuid_model_version vdata_versions_westmere[];
extern const char vdata_features_sandybridge[];
extern const vcpuid_model_version vdata_versions_sandybridge[];
extern const char vdata_features_ivybridge[];
extern const vcpuid_model_version vdata_versions_ivybridge[];
extern const char vdata_features_haswell[];
extern const vcpuid_model_version vdata_versions_haswell[];
extern const char vdata_features_broadwell[];
extern const vcpuid_model_version vdata_versions_broadwell[];
extern const char vdata_features_skylake_client[];
extern const vcpuid_model_version vdata_versions_skylake_client[];
extern const char vdata_features_skylake_server[];
extern const vcpuid_model_version vdata_versions_skylake_server[];
extern const char vdata_features_cascadelake_server[];
extern const vcpuid_model_version vdata_versions_cascadelake_server[];
extern const char vdata_features_cooperlake[];
extern const vcpuid_model_version vdata_versions_cooperlake[];
extern const char vdata_features_icelake_server[];
extern const vcpuid_model_version vdata_versions_icelake_server[];
extern const char vdata_features_sapphirerapids[];
extern const vcpuid_model_version vdata_versions_sapphirerapids[];
extern const char vdata_features_graniterapids[];
extern const vcpuid_model_version vdata_versions_graniterapids[];
extern const char vdata_features_sierraforest[];
extern const vcpuid_model_version vdata_versions_sierraforest[];
extern const char vdata_features_clearwaterforest[];
extern const char vdata_features_denverton[];
extern const vcpuid_model_version vdata_versions_denverton[];
extern const char vdata_features_snowridge[];
extern const vcpuid_model_version vdata_versions_snowridge[];
extern const char vdata_features_knightsmill[];
extern const char vdata_features_opteron_g1[];
extern const char vdata_features_opteron_g2[];
extern const char vdata_features_opteron_g3[];
extern const char vdata_features_opteron_g4[];
extern const char vdata_features_opteron_g5[];
extern const char vdata_features_epyc[];
extern const vcpuid_model_version vdata_versions_epyc[];
extern const char vdata_features_dhyana[];
extern const vcpuid_model_version vdata_versions_dhyana[];
extern const char vdata_features_epyc_rome[];
extern const vcpuid_model_version vdata_versions_epyc_rome[];
extern const char vdata_features_epyc_milan[];
extern const vcpuid_model_version vdata_versions_epyc_milan[];
extern const char vdata_features_epyc_genoa[];
extern const char vdata_features_yongfeng[];

#endif
