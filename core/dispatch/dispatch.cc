#include "core/dispatch/dispatch.h"

#include <cstdlib>

#include "platform/log.h"

namespace edgefuse::core {

const char* TierName(Tier tier) {
  switch (tier) {
    case Tier::kReference: return "reference";
    case Tier::kNeon: return "neon";
    case Tier::kNeonDot: return "neondot";
  }
  return "?";
}

bool ParseTier(std::string_view text, Tier* tier) {
  for (Tier t : {Tier::kReference, Tier::kNeon, Tier::kNeonDot}) {
    if (text == TierName(t)) {
      *tier = t;
      return true;
    }
  }
  return false;
}

bool TierSupported(Tier tier, const platform::CpuFeatures& cpu) {
  switch (tier) {
    case Tier::kReference: return true;
    case Tier::kNeon: return cpu.arch == platform::CpuArch::kAarch64 && cpu.neon;
    case Tier::kNeonDot: return cpu.arch == platform::CpuArch::kAarch64 && cpu.neon && cpu.dotprod;
  }
  return false;
}

Tier BestTier(const platform::CpuFeatures& cpu) {
  for (Tier t : {Tier::kNeonDot, Tier::kNeon}) {
    if (TierSupported(t, cpu)) return t;
  }
  return Tier::kReference;
}

Tier DefaultTierCap() {
  static const Tier cap = [] {
    Tier best = BestTier(platform::DetectCpuFeatures());
    const char* env = std::getenv("EDGEFUSE_MAX_TIER");
    if (env == nullptr || *env == '\0') return best;
    Tier requested;
    if (!ParseTier(env, &requested)) {
      EF_LOG_WARN("EDGEFUSE_MAX_TIER=%s is not one of reference, neon, neondot; ignored", env);
      return best;
    }
    return requested < best ? requested : best;
  }();
  return cap;
}

}  // namespace edgefuse::core
