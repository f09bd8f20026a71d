#include <cstdio>

int main() {
  std::puts("feedgate " FEEDGATE_VERSION);
  return 0;
}
