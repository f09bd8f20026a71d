// PreviewService (preview.hpp): the server's Handler for /preview. What it refuses (disabled,
// wrong method, bad token, rate, concurrency) it answers on the serving thread at once; a
// preview goes to a worker thread, which answers when the fetches are done.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/log.hpp"
#include "core/time.hpp"
#include "fetch/fetcher.hpp"
#include "pipeline/preview.hpp"

namespace fg::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

// Clients remembered by the rate limiter before those with nothing left to wait for are forgotten.
constexpr std::size_t kRememberedClients = 4096;
// What a client turned away for concurrency is told to wait.
constexpr int kBusyRetrySeconds = 5;

// Headers of every page: nothing from the fetched pages may run or load anything but images.
void page_headers(serve::HandlerReply& reply) {
  reply.headers.emplace_back("Content-Security-Policy",
                             "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: "
                             "data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
}

serve::HandlerReply page_reply(int status, const render::PreviewPage& page) {
  serve::HandlerReply reply;
  reply.status = status;
  reply.body = render::render_preview_page(page);
  page_headers(reply);
  return reply;
}

serve::HandlerReply text_reply(int status, std::string text) {
  serve::HandlerReply reply;
  reply.status = status;
  reply.content_type = "text/plain; charset=utf-8";
  reply.body = std::move(text);
  return reply;
}

// Compares without stopping at the first difference, so timing tells nothing of the token.
bool same_token(std::string_view given, std::string_view expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  }
  return diff == 0;
}

// A token bucket per client address: `count` previews at once, refilled over `period`.
class RateLimiter {
 public:
  // 0 when the client may start one now; otherwise the whole seconds until it may.
  long long admit(const std::string& client, int count, std::chrono::milliseconds period,
                  Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (buckets_.size() >= kRememberedClients) forget_refilled(period, now);
    auto [it, fresh] = buckets_.try_emplace(client, Bucket{static_cast<double>(count), now});
    Bucket& b = it->second;
    const double per_ms = static_cast<double>(count) / static_cast<double>(period.count());
    if (!fresh) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - b.at);
      b.tokens = std::min<double>(count, b.tokens + per_ms * static_cast<double>(elapsed.count()));
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return static_cast<long long>((1 - b.tokens) / per_ms / 1000) + 1;
  }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  // A client not seen for a whole period has a full bucket again: forgetting it changes nothing.
  void forget_refilled(std::chrono::milliseconds period, Clock::time_point now) {
    std::erase_if(buckets_, [&](const auto& entry) { return now - entry.second.at >= period; });
  }
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace

struct PreviewService::Impl {
  struct Job {
    render::PreviewForm form;
    std::shared_ptr<const config::Config> config;
    serve::Respond respond;
  };

  Impl(fetch::Fetcher& f, ConfigSource c) : fetcher(f), config(std::move(c)) {}

  void work() {
    while (true) {
      Job job;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !jobs.empty(); });
        if (jobs.empty()) return;  // stopping, and nothing left
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      run(job);
      std::lock_guard lock(mutex);
      --running;
    }
  }

  void run(Job& job) {
    try {
      const PreviewOutcome outcome = run_preview(job.form, fetcher, *job.config, now_seconds());
      log::info("preview" + log::kv("url", job.form.url) + log::kv("status", outcome.status));
      job.respond(page_reply(outcome.status, outcome.page));
    } catch (const std::exception& e) {
      log::error("preview_failed" + log::kv("url", job.form.url) + log::kv("error", e.what()));
      job.respond(text_reply(500, "the preview failed; the server's log says why\n"));
    }
  }

  fetch::Fetcher& fetcher;
  ConfigSource config;
  RateLimiter rate;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Job> jobs;
  int running = 0;  // admitted and not finished, queued ones included
  bool stopping = false;
  std::vector<std::thread> threads;
};

PreviewService::PreviewService(fetch::Fetcher& fetcher, ConfigSource config, int workers)
    : impl_(std::make_unique<Impl>(fetcher, std::move(config))) {
  for (int i = 0; i < std::max(workers, 1); ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->work(); });
  }
}

PreviewService::~PreviewService() {
  stop();
}

void PreviewService::stop() {
  std::deque<Impl::Job> dropped;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->stopping = true;
    dropped.swap(impl_->jobs);
  }
  impl_->wake.notify_all();
  for (auto& job : dropped) job.respond(text_reply(503, "feedgate is shutting down\n"));
  for (auto& thread : impl_->threads) thread.join();
}

void PreviewService::handle(serve::HandlerRequest request, serve::Respond respond) const {
  auto config = impl_->config();
  if (!config || !config->preview.enabled) {
    return respond(text_reply(404, "not found (the preview page is off: preview.enabled)\n"));
  }
  const bool post = request.method == "POST";
  if (!post && request.method != "GET" && request.method != "HEAD") {
    auto reply = text_reply(405, "method not allowed\n");
    reply.headers.emplace_back("Allow", "GET, HEAD, POST");
    return respond(std::move(reply));
  }
  const std::size_t query = request.target.find('?');
  const std::string_view asked_text = post ? std::string_view(request.body)
                                      : query == std::string::npos
                                          ? std::string_view()
                                          : std::string_view(request.target).substr(query + 1);
  PreviewAsk ask = read_preview_ask(asked_text);
  render::PreviewPage page;
  page.form = ask.form;
  page.asks_token = !config->preview.token.empty();
  // The form alone costs nothing: it is not counted against the limits.
  if (ask.form.url.empty() || request.method == "HEAD") return respond(page_reply(200, page));
  if (page.asks_token && !same_token(ask.token, config->preview.token)) {
    page.refusal = ask.token.empty() ? "This server asks for the preview token."
                                     : "The token does not match the one this server asks for.";
    return respond(page_reply(403, page));
  }
  const config::PreviewOptions& limits = config->preview;
  if (const long long wait =
          impl_->rate.admit(request.client, limits.rate_count, limits.rate_period, Clock::now())) {
    page.refusal = "Too many previews from your address (preview.rate allows " +
                   std::to_string(limits.rate_count) + " per " +
                   std::to_string(limits.rate_period.count() / 1000) + " s); try again in " +
                   std::to_string(wait) + " s.";
    auto reply = page_reply(429, page);
    reply.headers.emplace_back("Retry-After", std::to_string(wait));
    return respond(std::move(reply));
  }
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->stopping && impl_->running < limits.concurrency) {
      ++impl_->running;
      impl_->jobs.push_back({std::move(ask.form), std::move(config), std::move(respond)});
      impl_->wake.notify_one();
      return;
    }
  }
  page.refusal = "feedgate is running as many previews as preview.concurrency allows (" +
                 std::to_string(limits.concurrency) + "); try again in a few seconds.";
  auto reply = page_reply(429, page);
  reply.headers.emplace_back("Retry-After", std::to_string(kBusyRetrySeconds));
  respond(std::move(reply));
}

}  // namespace fg::pipeline
