#pragma once
// The WebSub hub's door in the server: `POST /websub` with a form body. The server knows no
// subscriptions, verifies nothing and calls no one: it reads the request (at most
// kMaxHubFormBytes) and hands it to the Site's Hub, whoever published it, then sends the answer.

#include <cstddef>
#include <string>
#include <string_view>

namespace fg::serve {

struct Site;

// Longest form body read from a POST /websub; longer ones are answered 413.
inline constexpr std::size_t kMaxHubFormBytes = 8 * 1024;

// What to answer a hub request with (text/plain).
struct HubAnswer {
  int status = 202;  // 202 taken (verification follows), 400 refused, 429 over a cap
  std::string text;  // one line saying what was done, or what is wrong
};

class Hub {
 public:
  virtual ~Hub() = default;
  // A POST /websub: `content_type` as sent, `form` its body, `site` the snapshot the request is
  // answered from (which feeds exist). Called on a serving thread: quick, never blocking on the
  // network (verification of intent happens later, elsewhere).
  virtual HubAnswer request(std::string_view content_type, std::string_view form,
                            const Site& site) = 0;
};

}  // namespace fg::serve
