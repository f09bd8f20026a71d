#pragma once
// Internal to the config module: the `preview` section (the /preview page's switch, token and
// limits).

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace fg::config::detail {

// Reads `preview:` into `out`; a rate that is not "N/s", "N/min" or "N/h" is a problem.
void read_preview(Reporter& r, const Entry& section, PreviewOptions& out);

}  // namespace fg::config::detail
