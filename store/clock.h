// The time the store believes it is. The owner (the server, or a test) sets it; every expiry
// decision of one command is made against the same instant, as Redis does with its cached time.
#pragma once

#include <cstdint>

namespace store {

struct Clock {
  int64_t now_ms = 0;  // Unix time in milliseconds
};

}  // namespace store
