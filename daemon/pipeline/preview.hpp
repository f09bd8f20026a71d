#pragma once
// The /preview page's work: a channel URL someone typed, fetched through the polling Fetcher
// (its address policy, size and time limits), its links and first article extracted the way a
// poll would, and the page that shows them. PreviewService is the serve::Handler the server
// calls; it answers at once for what it refuses and runs previews on threads of its own.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/time.hpp"
#include "render/preview_page.hpp"
#include "serve/handler.hpp"

namespace fg::fetch {
class Fetcher;
}

namespace fg::pipeline {

// A preview as asked: the form's fields and the token, from a posted form body or a query.
struct PreviewAsk {
  render::PreviewForm form;
  std::string token;
};
PreviewAsk read_preview_ask(std::string_view urlencoded);

// The feed a form describes (its charset, links, link_pattern and article selectors).
config::FeedConfig preview_feed(const render::PreviewForm& form);

// A feed id `feedgate check` accepts, made from the URL's host and last path segment
// ("https://www.hangzhou.com.cn/gnxw/" → "hangzhou-com-cn-gnxw").
std::string preview_feed_id(std::string_view url);

// The config entry for the form's feed, titled `title`: a YAML sequence item to paste under
// `feeds:`, with only the keys the form set.
std::string preview_yaml(const render::PreviewForm& form, std::string_view title);

// A preview's page and the HTTP status it is answered with.
struct PreviewOutcome {
  int status = 200;
  render::PreviewPage page;
};

// Fetches and extracts as a poll of the form's feed would, read at `now`. Blocks for as long
// as the two fetches take (config.fetch's limits): run it on a worker, never a serving thread.
PreviewOutcome run_preview(const render::PreviewForm& form, fetch::Fetcher& fetcher,
                           const config::Config& config, Timestamp now);

class PreviewService : public serve::Handler {
 public:
  using ConfigSource = std::function<std::shared_ptr<const config::Config>()>;
  // Previews run on `workers` threads of its own, fetching through `fetcher`, under the
  // `preview` section of the config `config` returns at each request (a reload applies at once).
  PreviewService(fetch::Fetcher& fetcher, ConfigSource config, int workers);
  ~PreviewService() override;  // stop()
  PreviewService(const PreviewService&) = delete;
  PreviewService& operator=(const PreviewService&) = delete;

  void handle(serve::HandlerRequest request, serve::Respond respond) const override;

  // Previews waiting for a thread are answered 503; running ones end with their fetches (stop
  // the Fetcher first to end them at once); joins the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fg::pipeline
