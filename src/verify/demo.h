// Demo verification data for `doudi demo` / `make run`: authorisations and a month's agency feeds over the newest
// demo households, so that a verifier can run single and batch verifications in the console at once. Synthetic and
// deterministic (a household's figures follow from its position); every tenth household is left unauthorised to
// show the refusal, and a few carry a car, a business, large deposits or a dead member to show the flags.
#pragma once

#include <ostream>
#include <string>

#include "common/status.h"
#include "registry/service.h"
#include "verify/service.h"

namespace doudi::verify {

struct DemoFeedsOptions {
  int households = 60;  // this many households with members, in the registry's order (newest first)
  std::string as_of;    // YYYY-MM-DD; the feeds cover the 12 months before its month (period: the month before)
};

// Imports through the service (audited as the actor). The actor must see the households (a city-wide loader).
Status LoadDemoFeeds(VerifyService& verify, registry::RegistryService& registry, const Actor& actor,
                     const DemoFeedsOptions& options, std::ostream& out);

}  // namespace doudi::verify
