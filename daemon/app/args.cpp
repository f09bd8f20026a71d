#include "app/args.hpp"

namespace fg::app {

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

std::optional<Args> parse_args(int argc, char** argv, int first,
                               const std::set<std::string>& valued,
                               const std::set<std::string>& switches, std::string& error) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-c") a = "--config";
    std::string value;
    bool has_value = false;
    if (a.rfind("--", 0) == 0) {
      if (auto eq = a.find('='); eq != std::string::npos) {
        value = a.substr(eq + 1);
        a = a.substr(0, eq);
        has_value = true;
      }
      if (valued.count(a) > 0) {
        if (!has_value) {
          if (i + 1 >= argc) {
            error = "option " + a + " needs a value";
            return std::nullopt;
          }
          value = argv[++i];
        }
        args.options[a] = value;
      } else if (switches.count(a) > 0 && !has_value) {
        args.flags.insert(a);
      } else {
        error = "unknown option " + a;
        return std::nullopt;
      }
    } else if (a.size() > 1 && a[0] == '-') {
      error = "unknown option " + a;
      return std::nullopt;
    } else {
      args.positionals.push_back(a);
    }
  }
  return args;
}

}  // namespace fg::app
