// The blocking Fetcher: one easy handle per call, DNS and connection caches shared by all.

#include "fetch/fetcher.hpp"

#include <array>
#include <cstdlib>
#include <exception>
#include <mutex>

#include "fetch/transfer.hpp"

namespace fg::fetch {

namespace {

std::once_flag g_curl_init;

void init_curl_once() {
  // Process-wide and not thread-safe in curl itself, hence call_once; never cleaned up, as
  // other libraries in the process may still use curl at exit.
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

struct Fetcher::Impl {
  FetchOptions options;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->locks[static_cast<std::size_t>(data)].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->locks[static_cast<std::size_t>(data)].unlock();
  }
};

Fetcher::Fetcher(FetchOptions options) : impl_(std::make_unique<Impl>()) {
  init_curl_once();
  impl_->options = std::move(options);
  impl_->share = curl_share_init();
  if (impl_->share == nullptr) return;  // fetch() then works without shared caches
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

Fetcher::~Fetcher() {
  // Every easy handle is cleaned up inside fetch(), so nothing uses the share any more.
  if (impl_->share != nullptr) curl_share_cleanup(impl_->share);
}

Result<Response> Fetcher::fetch(const Request& request) {
  try {
    auto transfer = make_transfer(request, impl_->options);
    if (!transfer) return transfer.error();
    Transfer& t = **transfer;
    if (impl_->share != nullptr) curl_easy_setopt(t.easy.get(), CURLOPT_SHARE, impl_->share);
    const CURLcode code = curl_easy_perform(t.easy.get());
    return finish_transfer(t, code);
  } catch (const std::exception& e) {
    return make_error(Errc::io, std::string("fetch failed: ") + e.what(), request.url);
  }
}

int http_status_of(const Error& error) {
  if (error.code != Errc::http_status || error.message.rfind("HTTP ", 0) != 0) return 0;
  return std::atoi(error.message.c_str() + 5);
}

}  // namespace fg::fetch
