// RAII owners of the OpenSSL objects crypto/ uses, and the one way it reports an OpenSSL
// failure (std::runtime_error naming the call and OpenSSL's oldest queued error). Internal to
// emulator/crypto/.
#pragma once

#include <openssl/bn.h>
#include <openssl/err.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace cogemu::crypto::ossl {

struct BnFree {
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
};
struct BnCtxFree {
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxFree>;

// Throws std::runtime_error with `what` and the oldest queued OpenSSL error; clears the queue.
[[noreturn]] inline void ThrowOpenSsl(const std::string& what) {
  std::string message = what;
  if (const unsigned long code = ERR_get_error(); code != 0) {  // NOLINT(runtime/int)
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    message += ": ";
    message += buf;
  }
  ERR_clear_error();
  throw std::runtime_error(message);
}

inline BnPtr NewBn() {
  BnPtr bn(BN_new());
  if (!bn) ThrowOpenSsl("BN_new");
  return bn;
}

}  // namespace cogemu::crypto::ossl
