#include "app/args.hpp"

namespace fg::app {

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

Result<Args> parse_args(int argc, char** argv, int first, const std::set<std::string>& valued,
                        const std::set<std::string>& switches) {
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
          if (i + 1 >= argc)
            return make_error(Errc::invalid_argument, "option " + a + " needs a value");
          value = argv[++i];
        }
        args.options[a] = value;
      } else if (switches.count(a) > 0 && !has_value) {
        args.flags.insert(a);
      } else {
        return make_error(Errc::invalid_argument, "unknown option " + a);
      }
    } else if (a.size() > 1 && a[0] == '-') {
      return make_error(Errc::invalid_argument, "unknown option " + a);
    } else {
      args.positionals.push_back(a);
    }
  }
  return args;
}

}  // namespace fg::app
