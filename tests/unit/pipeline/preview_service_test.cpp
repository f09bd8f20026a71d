// PreviewService, the server's Handler for /preview: what it refuses at once (off, method,
// token, rate, concurrency) and the previews it runs on its own threads.

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "fetch/fetcher.hpp"
#include "pipeline/preview.hpp"
#include "support/http_server.hpp"

namespace fg::pipeline {
namespace {

using test::http_response;
using test::TestServer;

// The reply a handle() call gives, waited for (previews answer from a worker thread).
serve::HandlerReply ask(const PreviewService& service, std::string method, std::string target,
                        std::string body = "", std::string client = "192.0.2.1") {
  auto promise = std::make_shared<std::promise<serve::HandlerReply>>();
  auto reply = promise->get_future();
  service.handle({std::move(method), std::move(target), "application/x-www-form-urlencoded",
                  std::move(body), std::move(client)},
                 [promise](serve::HandlerReply r) { promise->set_value(std::move(r)); });
  return reply.get();
}

std::string header(const serve::HandlerReply& reply, std::string_view name) {
  for (const auto& [n, v] : reply.headers) {
    if (n == name) return v;
  }
  return "";
}

constexpr char kList[] = R"(<ul class="list">
<li><a href="/news/a.html">一条足够长的新闻标题</a> 2026-12-01</li>
<li><a href="/news/b.html">二条足够长的新闻标题</a> 2026-11-30</li>
<li><a href="/news/c.html">三条足够长的新闻标题</a> 2026-11-29</li>
<li><a href="/news/d.html">四条足够长的新闻标题</a> 2026-11-28</li>
</ul>)";

class PreviewServiceTest : public ::testing::Test {
 protected:
  PreviewServiceTest() : fetcher_(fetch_options()) {
    portal_.on("/list/", http_response(200, "Content-Type: text/html; charset=utf-8\r\n", kList));
    portal_.on("/news/a.html",
               http_response(200, "Content-Type: text/html; charset=utf-8\r\n",
                             "<h1>一条足够长的新闻标题</h1><p>正文足够长的一段文字。</p>"));
    portal_.on("/hang/", test::kHang);
    config_->preview.enabled = true;
    config_->fetch.allow_private = true;
  }
  ~PreviewServiceTest() override {
    fetcher_.stop();  // a hanging fetch ends now
    service_.stop();
  }
  static fetch::FetchOptions fetch_options() {
    fetch::FetchOptions o;
    o.allow_private = true;
    o.min_gap = std::chrono::milliseconds(0);
    return o;
  }
  std::string form_for(const std::string& path) { return "url=" + portal_.url(path); }

  TestServer portal_;
  std::shared_ptr<config::Config> config_ = std::make_shared<config::Config>();
  fetch::Fetcher fetcher_;
  PreviewService service_{fetcher_, [this] { return config_; }, 2};
};

TEST_F(PreviewServiceTest, OffAnswers404) {
  config_->preview.enabled = false;
  EXPECT_EQ(ask(service_, "GET", "/preview").status, 404);
}

TEST_F(PreviewServiceTest, FormAloneAndMethods) {
  const auto form = ask(service_, "GET", "/preview");
  EXPECT_EQ(form.status, 200);
  EXPECT_EQ(form.content_type, "text/html; charset=utf-8");
  EXPECT_NE(form.body.find("<form method=\"post\""), std::string::npos);
  EXPECT_NE(header(form, "Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  const auto put = ask(service_, "PUT", "/preview");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(header(put, "Allow"), "GET, HEAD, POST");
}

TEST_F(PreviewServiceTest, PostAndQueryRunAPreview) {
  const auto posted = ask(service_, "POST", "/preview", form_for("/list/"));
  EXPECT_EQ(posted.status, 200) << posted.body;
  EXPECT_NE(posted.body.find("一条足够长的新闻标题"), std::string::npos);
  EXPECT_NE(posted.body.find("id=\"yaml-entry\""), std::string::npos);
  const auto queried = ask(service_, "GET", "/preview?" + form_for("/list/"));
  EXPECT_EQ(queried.status, 200);
  EXPECT_EQ(ask(service_, "GET", "/preview?url=ftp%3A%2F%2Fx%2F").status, 400);
}

TEST_F(PreviewServiceTest, TokenIsAskedFor) {
  config_->preview.token = "0123456789abcdef";
  EXPECT_NE(ask(service_, "GET", "/preview").body.find("name=\"token\""), std::string::npos);
  const auto missing = ask(service_, "POST", "/preview", form_for("/list/"));
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("asks for the preview token"), std::string::npos);
  EXPECT_EQ(
      ask(service_, "POST", "/preview", form_for("/list/") + "&token=0123456789abcdeX").status,
      403);
  EXPECT_EQ(
      ask(service_, "POST", "/preview", form_for("/list/") + "&token=0123456789abcdef").status,
      200);
  EXPECT_EQ(portal_.requests().size(), 2u);  // only the admitted preview fetched (list, article)
}

TEST_F(PreviewServiceTest, RateIsPerClient) {
  config_->preview.rate_count = 2;
  config_->preview.rate_period = std::chrono::hours(1);
  EXPECT_EQ(ask(service_, "GET", "/preview?url=ftp%3A%2F%2Fx%2F").status, 400);  // counts too
  EXPECT_EQ(ask(service_, "POST", "/preview", form_for("/list/")).status, 200);
  const auto limited = ask(service_, "POST", "/preview", form_for("/list/"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_GT(std::stoll(header(limited, "Retry-After")), 1000);  // a token every half hour
  EXPECT_NE(limited.body.find("Too many previews from your address"), std::string::npos);
  EXPECT_EQ(ask(service_, "POST", "/preview", form_for("/list/"), "192.0.2.2").status, 200);
  EXPECT_EQ(ask(service_, "GET", "/preview").status, 200);  // the form alone is not counted
}

TEST_F(PreviewServiceTest, ConcurrencyIsGlobal) {
  config_->preview.concurrency = 1;
  // A preview that hangs on its fetch holds the one slot.
  std::promise<serve::HandlerReply> hung;
  auto hung_reply = hung.get_future();
  service_.handle({"POST", "/preview", "", form_for("/hang/"), "192.0.2.7"},
                  [&hung](serve::HandlerReply r) { hung.set_value(std::move(r)); });
  const auto busy = ask(service_, "POST", "/preview", form_for("/list/"), "192.0.2.8");
  EXPECT_EQ(busy.status, 429);
  EXPECT_EQ(header(busy, "Retry-After"), "5");
  EXPECT_NE(busy.body.find("preview.concurrency"), std::string::npos);
  fetcher_.stop();  // the hung fetch fails now, and its preview says so
  EXPECT_EQ(hung_reply.get().status, 502);
}

}  // namespace
}  // namespace fg::pipeline
